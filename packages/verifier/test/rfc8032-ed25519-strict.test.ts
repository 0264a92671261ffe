import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { fromHex, utf8 } from '../src/bytes.ts';
import { verifyEd25519 } from '../src/signatures.ts';

// Ed25519 as the ledger and ballots use it (RFC 8032 §5.1.7, strict: ledger.md §4.2): whichever
// implementation runs the equation (WebCrypto or @noble), the same signatures are accepted.

const secret = new Uint8Array(32).fill(5);
const publicKey = ed25519.getPublicKey(secret);
const message = utf8('townhall/v1 test message');
const signature = ed25519.sign(message, secret);
const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

function withS(s: bigint): Uint8Array {
  const out = signature.slice();
  for (let i = 0; i < 32; i++, s >>= 8n) out[32 + i] = Number(s & 0xffn);
  return out;
}

describe('verifyEd25519 (RFC 8032 §5.1.7, strict)', () => {
  it('accepts a valid signature and rejects a changed message, signature or key', async () => {
    expect(await verifyEd25519(signature, message, publicKey)).toBe(true);
    expect(await verifyEd25519(signature, utf8('another message'), publicKey)).toBe(false);
    const flipped = signature.slice();
    flipped[5]! ^= 1;
    expect(await verifyEd25519(flipped, message, publicKey)).toBe(false);
    expect(await verifyEd25519(signature, message, ed25519.getPublicKey(new Uint8Array(32).fill(6)))).toBe(false);
  });

  it('rejects S ≥ ℓ (the malleable form S + ℓ of a valid signature)', async () => {
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(signature[32 + i]!);
    expect(await verifyEd25519(withS(s + ORDER), message, publicKey)).toBe(false);
  });

  it.each([
    ['the identity', '0100000000000000000000000000000000000000000000000000000000000000'],
    ['the point of order 2', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['a point of order 4', '0000000000000000000000000000000000000000000000000000000000000000'],
    ['a point of order 8', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'],
    ['a point of order 8, negated', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'],
    ['a non-canonical y (p + 1)', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
  ])('rejects a public key that is %s', async (_name, hex) => {
    expect(await verifyEd25519(signature, message, fromHex(hex))).toBe(false);
  });

  it('rejects wrong lengths without throwing', async () => {
    expect(await verifyEd25519(signature.subarray(0, 63), message, publicKey)).toBe(false);
    expect(await verifyEd25519(signature, message, publicKey.subarray(0, 31))).toBe(false);
  });
});
