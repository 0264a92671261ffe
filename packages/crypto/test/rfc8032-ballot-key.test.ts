import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  assertValidBallotPublicKey,
  ballotPublicKeyFromSecret,
  generateBallotKeyPair,
  signWithBallotKey,
  verifyBallotSignature,
} from '../src/credentials/ballot-key.ts';

// RFC 8032 §7.1, TEST 1 (empty message).
const rfc = {
  secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
const L = ed25519.Point.Fn.ORDER;

function littleEndian(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return out;
}

describe('Ed25519 ballot keys (RFC 8032, strict)', () => {
  it('matches RFC 8032 §7.1 test 1', () => {
    expect(bytesToHex(ballotPublicKeyFromSecret(hexToBytes(rfc.secretKey)))).toBe(rfc.publicKey);
    const signature = signWithBallotKey(hexToBytes(rfc.secretKey), new Uint8Array(0));
    expect(bytesToHex(signature)).toBe(rfc.signature);
    expect(verifyBallotSignature(hexToBytes(rfc.publicKey), new Uint8Array(0), signature)).toBe(true);
  });

  it('sign → verify round-trips; any changed message or signature bit is rejected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (message, bit) => {
        const { secretKey, publicKey } = generateBallotKeyPair();
        const signature = signWithBallotKey(secretKey, message);
        expect(verifyBallotSignature(publicKey, message, signature)).toBe(true);
        const badSignature = signature.slice();
        badSignature[(bit >> 3) % 64]! ^= 1 << (bit & 7);
        expect(verifyBallotSignature(publicKey, message, badSignature)).toBe(false);
        expect(verifyBallotSignature(publicKey, Uint8Array.of(...message, 0), signature)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('rejects a malleated signature with S + ℓ (non-canonical S)', () => {
    const signature = hexToBytes(rfc.signature);
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]!);
    const malleated = Uint8Array.of(...signature.subarray(0, 32), ...littleEndian(s + L, 32));
    expect(verifyBallotSignature(hexToBytes(rfc.publicKey), new Uint8Array(0), malleated)).toBe(false);
  });

  it('refuses small-order and non-canonical public keys', () => {
    const identity = littleEndian(1n, 32); // y = 1: the neutral element
    expect(() => assertValidBallotPublicKey(identity)).toThrow(expect.objectContaining({ code: 'IDENTITY_POINT' }));
    const order2 = littleEndian(2n ** 255n - 19n - 1n, 32); // y = −1: the point of order 2
    expect(() => assertValidBallotPublicKey(order2)).toThrow(expect.objectContaining({ code: 'IDENTITY_POINT' }));
    const nonCanonical = littleEndian(2n ** 255n - 19n + 1n, 32); // y = p + 1 ≡ 1, not reduced
    expect(() => assertValidBallotPublicKey(nonCanonical)).toThrow(expect.objectContaining({ code: 'NON_CANONICAL_POINT' }));
    expect(() => verifyBallotSignature(identity, new Uint8Array(0), new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: 'IDENTITY_POINT', field: 'publicKey' }),
    );
  });

  const { secretKey, publicKey } = generateBallotKeyPair();
  const cases: [string, () => unknown, string, string][] = [
    ['secret key of 31 bytes', () => signWithBallotKey(new Uint8Array(31), new Uint8Array(1)), 'INVALID_LENGTH', 'secretKey'],
    ['message as string', () => signWithBallotKey(secretKey, 'vote' as never), 'INVALID_TYPE', 'message'],
    ['public key of 31 bytes', () => verifyBallotSignature(new Uint8Array(31), new Uint8Array(1), new Uint8Array(64)), 'INVALID_LENGTH', 'publicKey'],
    ['signature of 63 bytes', () => verifyBallotSignature(publicKey, new Uint8Array(1), new Uint8Array(63)), 'INVALID_LENGTH', 'signature'],
    ['public key as hex', () => verifyBallotSignature(bytesToHex(publicKey) as never, new Uint8Array(1), new Uint8Array(64)), 'INVALID_TYPE', 'publicKey'],
    ['secret key null', () => ballotPublicKeyFromSecret(null as never), 'INVALID_TYPE', 'secretKey'],
  ];
  it.each(cases)('hostile input: %s', (_name, run, code, field) => {
    expect(run).toThrow(expect.objectContaining({ name: 'CryptoError', code, field }));
  });
});
