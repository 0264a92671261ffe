// Worker thread that computes RFC 9474 blind signatures (see blind-sign-thread.ts).
import { parentPort } from 'node:worker_threads';
import { CryptoError } from '@townhall/crypto';
import { createBlindSigner, importIssuerPrivateKey, type BlindSigner } from '@townhall/crypto/credentials-signer';
import type { BlindSignForget, BlindSignReply, BlindSignRequest } from './blind-sign-thread.ts';

const signers = new Map<string, BlindSigner>();

parentPort?.on('message', (request: BlindSignRequest | BlindSignForget) => {
  if ('forget' in request) {
    signers.delete(request.forget);
    return;
  }
  let reply: BlindSignReply;
  try {
    let signer = signers.get(request.keyId);
    if (!signer) {
      if (!request.privateKey) throw new CryptoError('INVALID_ARGUMENT', 'privateKey', `no key ${request.keyId} in this worker yet`);
      signer = createBlindSigner(importIssuerPrivateKey(request.privateKey));
      signers.set(request.keyId, signer);
    }
    reply = { id: request.id, signature: signer.blindSign(request.blindedMessage) };
  } catch (error) {
    reply = error instanceof CryptoError ? { id: request.id, error: { code: error.code, field: error.field, message: error.message } } : { id: request.id, error: { message: String(error) } };
  }
  parentPort?.postMessage(reply);
});
