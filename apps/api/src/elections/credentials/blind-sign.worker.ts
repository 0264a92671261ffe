// Worker thread that checks the passkey assertion and computes the RFC 9474 blind signature (see blind-sign-thread.ts).
import { parentPort } from 'node:worker_threads';
import { CryptoError } from '@townhall/crypto';
import { createBlindSigner, importIssuerPrivateKey, type BlindSigner } from '@townhall/crypto/credentials-signer';
import { counterRegressed, verifyPasskeyAssertion } from '../../identity/passkey-assertion.ts';
import { PasskeyRefusal, type BlindSignReply, type BlindSignRequest } from './blind-sign-thread.ts';

const signers = new Map<string, BlindSigner>();

async function answer(request: BlindSignRequest): Promise<BlindSignReply> {
  // The key first: it travels with the first request for it only, whatever becomes of that request.
  let signer = signers.get(request.keyId);
  if (!signer) {
    if (!request.privateKey) throw new CryptoError('INVALID_ARGUMENT', 'privateKey', `no key ${request.keyId} in this worker yet`);
    signer = createBlindSigner(importIssuerPrivateKey(request.privateKey));
    signers.set(request.keyId, signer);
  }
  let newCounter: number | null = null;
  const check = request.passkeyCheck;
  if (check) {
    try {
      ({ newCounter } = await verifyPasskeyAssertion(check.rp, check.response, check.expectedChallenge, check.passkey));
    } catch (error) {
      throw new PasskeyRefusal('assertion', (error as Error).message);
    }
    if (counterRegressed(newCounter, check.storedCounter)) throw new PasskeyRefusal('counter', `counter ${newCounter} after ${check.storedCounter}`);
  }
  return { id: request.id, signature: signer.blindSign(request.blindedMessage), newCounter };
}

parentPort?.on('message', (request: BlindSignRequest) => {
  answer(request).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        error:
          error instanceof PasskeyRefusal
            ? { refused: error.kind, message: error.message }
            : error instanceof CryptoError
              ? { code: error.code, field: error.field, message: error.message }
              : { message: String(error) },
      } satisfies BlindSignReply),
  );
});
