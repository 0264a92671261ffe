import { pippenger } from '@noble/curves/abstract/curve.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRistretto, encodeRistretto, fromNoble, toNoble } from '../src/edwards25519.ts';
import { G, ORDER, Point, decodePoint, multiScalarMultiply, useOwnFieldArithmetic } from '../src/group.ts';

// The verifier's own decoding and bucket sums (src/edwards25519.ts) against @noble/curves, the
// reference: the same points accepted, the same coordinates, the same sums.

const P = 2n ** 255n - 19n;

// decodePoint and multiScalarMultiply through the own arithmetic, as in the Node entries.
useOwnFieldArithmetic();

function le(n: bigint): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) bytes[i] = Number(n & 0xffn);
  return bytes;
}

function nobleDecodes(bytes: Uint8Array): InstanceType<typeof ristretto255.Point> | null {
  try {
    return ristretto255.Point.fromBytes(bytes);
  } catch {
    return null;
  }
}

function sameDecoding(bytes: Uint8Array): boolean {
  const ours = decodeRistretto(bytes);
  const theirs = nobleDecodes(bytes);
  if (ours === null || theirs === null) return ours === theirs;
  const e = fromNoble(theirs);
  return ours.X === e.X && ours.Y === e.Y && ours.Z === e.Z && ours.T === e.T;
}

describe('decodeRistretto (RFC 9496 §4.3.1)', () => {
  it('decodes the identity and the first multiples of the generator as @noble does, and they encode back', () => {
    let point = Point.ZERO;
    for (let i = 0; i < 16; i++, point = point.add(G)) {
      const bytes = point.toBytes();
      const decoded = decodeRistretto(bytes);
      expect(decoded).not.toBeNull();
      expect(sameDecoding(bytes)).toBe(true);
      expect(toNoble(decoded!).toBytes()).toEqual(bytes);
    }
  });

  it('agrees with @noble on random points', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: ORDER - 1n }), (k) => sameDecoding(G.multiply(k).toBytes())),
      { numRuns: 300 },
    );
  });

  it('agrees with @noble on arbitrary 32-byte strings (most are refused)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), sameDecoding), { numRuns: 3000 });
    // Arbitrary strings are refused for different reasons; make sure both outcomes were exercised.
    let accepted = 0;
    for (let i = 0; i < 200; i++) if (decodeRistretto(globalThis.crypto.getRandomValues(new Uint8Array(32))) !== null) accepted++;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(200);
  });

  it('refuses non-canonical field elements, negative s and a set high bit', () => {
    for (let s = P; s < 2n ** 255n; s++) expect(decodeRistretto(le(s))).toBeNull();
    const valid = G.multiply(7n).toBytes();
    const odd = valid.slice();
    odd[0]! ^= 1;
    expect(decodeRistretto(odd)).toBeNull();
    const high = valid.slice();
    high[31]! |= 0x80;
    expect(decodeRistretto(high)).toBeNull();
  });

  it('decodePoint refuses the identity unless allowed, and what @noble refuses', () => {
    expect(() => decodePoint(new Uint8Array(32))).toThrow(/identity/);
    expect(decodePoint(new Uint8Array(32), { allowIdentity: true }).is0()).toBe(true);
    expect(() => decodePoint(le(P))).toThrow(TypeError);
  });
});

describe('encodeRistretto (RFC 9496 §4.3.2)', () => {
  it('encodes as @noble does: the identity, small multiples, random points and sums (Z ≠ 1)', () => {
    let point = Point.ZERO;
    for (let i = 0; i < 16; i++, point = point.add(G)) expect(encodeRistretto(fromNoble(point))).toEqual(point.toBytes());
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: ORDER - 1n }), fc.bigInt({ min: 0n, max: ORDER - 1n }), (a, b) => {
        const sum = G.multiply(a).add(b === 0n ? Point.ZERO : G.multiply(b));
        return encodeRistretto(fromNoble(sum)).every((byte, i) => byte === sum.toBytes()[i]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('fromNoble', () => {
  it('reads the coordinates @noble keeps for a point', () => {
    const point = G.multiply(987654321n);
    const { X, Y, Z } = fromNoble(point);
    const affine = point.toAffine();
    const inverse = (z: bigint) => {
      let result = 1n;
      for (let e = P - 2n, b = z % P; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) result = (result * b) % P;
      return result;
    };
    expect((X * inverse(Z)) % P).toBe(affine.x);
    expect((Y * inverse(Z)) % P).toBe(affine.y);
  });
});

describe('multiScalarMultiply over decoded points (Z = 1)', () => {
  it('equals Pippenger with decoded points, repeats, opposites and the identity', () => {
    const base = Array.from({ length: 40 }, (_, i) => decodePoint(G.multiply(BigInt(1000 + 7 * i)).toBytes()));
    const points = [...base, base[0]!, base[1]!.negate(), decodePoint(new Uint8Array(32), { allowIdentity: true })];
    const scalars = points.map((_, i) => (i % 2 === 0 ? ORDER - BigInt(i + 1) * 2n ** 120n : BigInt(i + 1) * 2n ** 127n + 5n));
    expect(multiScalarMultiply(points, scalars).equals(pippenger(Point, points, scalars))).toBe(true);
  });

  it('cancels a point against its negation', () => {
    const A = decodePoint(G.multiply(31337n).toBytes());
    expect(multiScalarMultiply([A, A.negate()], [5n, 5n]).is0()).toBe(true);
    expect(multiScalarMultiply([A, A], [3n, ORDER - 3n]).is0()).toBe(true);
  });
});
