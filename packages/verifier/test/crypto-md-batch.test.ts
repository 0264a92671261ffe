import { pippenger } from '@noble/curves/abstract/curve.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { G, ORDER, Point, batchHolds, multiScalarMultiply, useOwnFieldArithmetic, type Equation } from '../src/group.ts';

// crypto.md §7: the bucket method with signed digits gives the same sum as noble's Pippenger, for
// scalars of every size the batch produces (full, 128-bit weights and their negations, small, ℓ−1,
// either side of ℓ/2, zero), at sizes that pick different window widths.

function randomScalar(bits: number): bigint {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(Math.ceil(bits / 8)));
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n % ORDER;
}

describe.each([
  ['@noble', false],
  ['own (Node)', true],
])('multiScalarMultiply (crypto.md §7, signed digits), %s arithmetic', { timeout: 60_000 }, (_, own) => {
  beforeAll(() => useOwnFieldArithmetic(own));

  it.each([1, 2, 3, 17, 130, 300, 2500])('equals Pippenger on %i random terms', { timeout: 30_000 }, (n) => {
    const points = Array.from({ length: n }, () => G.multiply(randomScalar(252) || 1n));
    const half = ORDER >> 1n;
    const sizes = () => [randomScalar(256), randomScalar(128), ORDER - randomScalar(128), BigInt(n), ORDER - 1n, 0n, 2n ** 252n, half, half + 1n];
    const scalars = Array.from({ length: n }, (_, i) => (n > 300 ? [randomScalar(256), ORDER - randomScalar(128), ORDER - randomScalar(128)][i % 3]! : sizes()[i % 9]!));
    expect(multiScalarMultiply(points, scalars).equals(pippenger(Point, points, scalars))).toBe(true);
  });

  it('is the identity for no terms and for zero scalars', () => {
    expect(multiScalarMultiply([], []).is0()).toBe(true);
    expect(multiScalarMultiply([G, G], [0n, 0n]).is0()).toBe(true);
  });

  it('accepts a batch of true equations and rejects one false equation among them', () => {
    const X = G.multiply(12345n);
    const good: Equation = [{ scalar: 12345n, point: G }, { scalar: -1n, point: X }];
    const bad: Equation = [{ scalar: 12346n, point: G }, { scalar: -1n, point: X }];
    expect(batchHolds(Array(50).fill(good))).toBe(true);
    expect(batchHolds([...Array(49).fill(good), bad])).toBe(false);
  });
});
