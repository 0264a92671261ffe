// Known answers from RFC 9474 Appendix A (test vector 1, RSABSSA-SHA384-PSS-Randomized): the
// client (blindrsa-ts through our wrappers) must reproduce blinded_msg and sig, and our
// node:crypto signer must reproduce blind_sig on the vector's key.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import {
  blindMessage,
  finalizeBlindSignature,
  importIssuerPublicKey,
  prepareMessage,
  verifyBlindRsaSignature,
} from '../src/credentials/index.ts';
import { createBlindSigner } from '../src/credentials/signer-node.ts';

interface Vector {
  p: string; q: string; n: string; e: string; d: string;
  msg: string; msg_prefix: string; input_msg: string; salt: string; inv: string;
  blinded_msg: string; blind_sig: string; sig: string;
}
const vector: Vector = JSON.parse(
  readFileSync(new URL('./vectors/rfc9474/rsabssa-sha384-pss-randomized.json', import.meta.url), 'utf8'),
);

const big = (hex: string) => BigInt(`0x${hex}`);
const toBase64Url = (value: bigint) => {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
};
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r, oldS, s] = [a % m, m, 1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const n = big(vector.n);
const [p, q, d] = [big(vector.p), big(vector.q), big(vector.d)];
const jwk = {
  kty: 'RSA', n: toBase64Url(n), e: toBase64Url(big(vector.e)), d: toBase64Url(d), p: toBase64Url(p), q: toBase64Url(q),
  dp: toBase64Url(d % (p - 1n)), dq: toBase64Url(d % (q - 1n)), qi: toBase64Url(modInverse(q, p)),
};
const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
const kLen = vector.n.length / 2;

/** Feed the vector's randomness to WebCrypto in the order RFC 9474 consumes it. */
function replayVectorRandomness(): void {
  const r = modInverse(big(vector.inv), n);
  const byLength = new Map<number, Uint8Array>([
    [32, hexToBytes(vector.msg_prefix)],
    [48, hexToBytes(vector.salt)],
    [kLen, hexToBytes(r.toString(16).padStart(kLen * 2, '0'))],
  ]);
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    const bytes = array as unknown as Uint8Array;
    const value = byLength.get(bytes.length);
    if (!value) throw new Error(`unexpected randomness request of ${bytes.length} bytes`);
    bytes.set(value);
    return array;
  });
}

describe('RFC 9474 Appendix A — RSABSSA-SHA384-PSS-Randomized', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the client reproduces input_msg, blinded_msg and inv', async () => {
    const issuer = await importIssuerPublicKey(spki);
    replayVectorRandomness();
    const prepared = prepareMessage(hexToBytes(vector.msg));
    expect(bytesToHex(prepared)).toBe(vector.input_msg);
    const { blindedMessage, inverse } = await blindMessage(issuer, prepared);
    expect(bytesToHex(blindedMessage)).toBe(vector.blinded_msg);
    expect(bytesToHex(inverse)).toBe(vector.inv);
  });

  it('the node:crypto signer reproduces blind_sig on the vector key', () => {
    const signer = createBlindSigner(privateKey);
    expect(signer.modulusLength).toBe(kLen);
    expect(bytesToHex(signer.blindSign(hexToBytes(vector.blinded_msg)))).toBe(vector.blind_sig);
  });

  it('finalize reproduces sig, and the signature verifies as RSASSA-PSS', async () => {
    const issuer = await importIssuerPublicKey(spki);
    const signature = await finalizeBlindSignature(
      issuer,
      hexToBytes(vector.input_msg),
      hexToBytes(vector.blind_sig),
      hexToBytes(vector.inv),
    );
    expect(bytesToHex(signature)).toBe(vector.sig);
    expect(await verifyBlindRsaSignature(issuer, hexToBytes(vector.input_msg), signature)).toBe(true);
    expect(await verifyBlindRsaSignature(issuer, hexToBytes(vector.msg), signature)).toBe(false);
  });

  it('finalize rejects a blind signature that is off by one', async () => {
    const issuer = await importIssuerPublicKey(spki);
    const tampered = hexToBytes(vector.blind_sig);
    tampered[kLen - 1] = tampered[kLen - 1]! ^ 1;
    await expect(
      finalizeBlindSignature(issuer, hexToBytes(vector.input_msg), tampered, hexToBytes(vector.inv)),
    ).rejects.toMatchObject({ code: 'INVALID_SIGNATURE', field: 'blindSignature' });
  });
});
