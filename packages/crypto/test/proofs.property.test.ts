// Property tests for the zero-knowledge proofs: completeness, and soundness against every
// single-field mutation, a different election fingerprint and a different context.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CONTEST_RANGE_PROOF_TAG,
  G,
  GROUP_ORDER,
  SELECTION_PROOF_TAG,
  createSeededRandom,
  decodeChaumPedersenProof,
  decodeDisjunctiveProof,
  decodeSchnorrProof,
  encodeChaumPedersenProof,
  encodeDisjunctiveProof,
  encodeSchnorrProof,
  encrypt,
  multiplyBase,
  proveChaumPedersen,
  proveEncryptedValue,
  proveSchnorr,
  verifyChaumPedersen,
  verifyEncryptedValue,
  verifySchnorr,
  type DisjunctiveProof,
  type Point,
} from '../src/index.ts';

const RUNS = 12;
const scalar = fc.bigInt(1n, GROUP_ORDER - 1n);
const fingerprintArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const contextArb = fc.string({ maxLength: 40 });
const seedArb = fc.uint8Array({ minLength: 8, maxLength: 8 });

// Another point p + step (step G unless given), never the identity (which provers and verifiers
// refuse outright rather than with false): fast-check likes the edge scalar ℓ − 1, whose point plus
// the base it multiplies is the identity.
const bumpPoint = (p: Point, step: Point = G) => (p.add(step).is0() ? p.add(step).add(step) : p.add(step));
const bumpScalar = (s: bigint) => (s + 1n) % GROUP_ORDER;
const flip = (bytes: Uint8Array) => {
  const copy = bytes.slice();
  copy[0] = copy[0]! ^ 1;
  return copy;
};

describe('Schnorr proof of knowledge', () => {
  it('accepts every honest proof and round-trips through 64 bytes', () => {
    fc.assert(
      fc.property(scalar, fingerprintArb, contextArb, seedArb, (x, fp, ctx, seed) => {
        const proof = proveSchnorr(x, fp, ctx, createSeededRandom(seed));
        const X = multiplyBase(x);
        expect(verifySchnorr(X, proof, fp, ctx)).toBe(true);
        expect(verifySchnorr(X, decodeSchnorrProof(encodeSchnorrProof(proof)), fp, ctx)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects any single changed field, another fingerprint, another context, another key', () => {
    fc.assert(
      fc.property(scalar, fingerprintArb, contextArb, seedArb, (x, fp, ctx, seed) => {
        const proof = proveSchnorr(x, fp, ctx, createSeededRandom(seed));
        const X = multiplyBase(x);
        expect(verifySchnorr(X, { ...proof, commitment: bumpPoint(proof.commitment) }, fp, ctx)).toBe(false);
        expect(verifySchnorr(X, { ...proof, response: bumpScalar(proof.response) }, fp, ctx)).toBe(false);
        expect(verifySchnorr(X, proof, flip(fp), ctx)).toBe(false);
        expect(verifySchnorr(X, proof, fp, `${ctx}!`)).toBe(false);
        expect(verifySchnorr(bumpPoint(X), proof, fp, ctx)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Chaum–Pedersen proof of equal discrete logarithms', () => {
  const statementArb = fc.tuple(scalar, scalar).map(([x, y]) => {
    const g2 = multiplyBase(y);
    return { x, statement: { g1: G, h1: multiplyBase(x), g2, h2: g2.multiply(x) } };
  });

  it('accepts every honest proof and round-trips through 96 bytes', () => {
    fc.assert(
      fc.property(statementArb, fingerprintArb, contextArb, seedArb, ({ x, statement }, fp, ctx, seed) => {
        const proof = proveChaumPedersen(statement, x, fp, ctx, createSeededRandom(seed));
        expect(verifyChaumPedersen(statement, proof, fp, ctx)).toBe(true);
        expect(verifyChaumPedersen(statement, decodeChaumPedersenProof(encodeChaumPedersenProof(proof)), fp, ctx)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects any single changed field or statement element, another fingerprint or context', () => {
    fc.assert(
      fc.property(statementArb, fingerprintArb, contextArb, seedArb, ({ x, statement }, fp, ctx, seed) => {
        const proof = proveChaumPedersen(statement, x, fp, ctx, createSeededRandom(seed));
        expect(verifyChaumPedersen(statement, { ...proof, commitment1: bumpPoint(proof.commitment1) }, fp, ctx)).toBe(false);
        expect(verifyChaumPedersen(statement, { ...proof, commitment2: bumpPoint(proof.commitment2) }, fp, ctx)).toBe(false);
        expect(verifyChaumPedersen(statement, { ...proof, response: bumpScalar(proof.response) }, fp, ctx)).toBe(false);
        for (const name of ['g1', 'h1', 'g2', 'h2'] as const) {
          expect(verifyChaumPedersen({ ...statement, [name]: bumpPoint(statement[name]) }, proof, fp, ctx)).toBe(false);
        }
        expect(verifyChaumPedersen(statement, proof, flip(fp), ctx)).toBe(false);
        expect(verifyChaumPedersen(statement, proof, fp, `${ctx}.`)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('cannot prove a false statement (h2 with a different exponent)', () => {
    fc.assert(
      fc.property(statementArb, fingerprintArb, seedArb, ({ x, statement }, fp, seed) => {
        const lie = { ...statement, h2: bumpPoint(statement.h2, statement.g2) };
        const proof = proveChaumPedersen(lie, x, fp, 'ctx', createSeededRandom(seed));
        expect(verifyChaumPedersen(lie, proof, fp, 'ctx')).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('disjunctive proof that a ciphertext encrypts an allowed value', () => {
  const K = multiplyBase(987654321n);
  const caseArb = fc
    .record({ low: fc.integer({ min: 0, max: 3 }), width: fc.integer({ min: 1, max: 4 }), pick: fc.nat(), r: scalar })
    .map(({ low, width, pick, r }) => {
      const allowedValues = Array.from({ length: width }, (_, i) => low + i);
      const value = allowedValues[pick % width]!;
      return { allowedValues, value, r, ciphertext: encrypt(K, value, r) };
    });
  const tagArb = fc.constantFrom(SELECTION_PROOF_TAG, CONTEST_RANGE_PROOF_TAG);

  it('accepts every honest proof and round-trips through its bytes', () => {
    fc.assert(
      fc.property(caseArb, tagArb, fingerprintArb, contextArb, seedArb, (c, tag, fp, ctx, seed) => {
        const statement = { electionKey: K, ciphertext: c.ciphertext, allowedValues: c.allowedValues };
        const proof = proveEncryptedValue(tag, statement, c.value, c.r, fp, ctx, createSeededRandom(seed));
        expect(verifyEncryptedValue(tag, statement, proof, fp, ctx)).toBe(true);
        const decoded = decodeDisjunctiveProof(encodeDisjunctiveProof(proof), c.allowedValues.length);
        expect(verifyEncryptedValue(tag, statement, decoded, fp, ctx)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects any single changed field of any branch, another tag, fingerprint, context or value set', () => {
    fc.assert(
      fc.property(caseArb, tagArb, fingerprintArb, contextArb, seedArb, (c, tag, fp, ctx, seed) => {
        const statement = { electionKey: K, ciphertext: c.ciphertext, allowedValues: c.allowedValues };
        const proof = proveEncryptedValue(tag, statement, c.value, c.r, fp, ctx, createSeededRandom(seed));
        const mutate = (j: number, change: object): DisjunctiveProof => ({
          branches: proof.branches.map((b, i) => (i === j ? { ...b, ...change } : b)),
        });
        proof.branches.forEach((b, j) => {
          for (const changed of [
            mutate(j, { commitmentG: bumpPoint(b.commitmentG) }),
            mutate(j, { commitmentK: bumpPoint(b.commitmentK) }),
            mutate(j, { challenge: bumpScalar(b.challenge) }),
            mutate(j, { response: bumpScalar(b.response) }),
          ]) {
            expect(verifyEncryptedValue(tag, statement, changed, fp, ctx)).toBe(false);
          }
        });
        const otherTag = tag === SELECTION_PROOF_TAG ? CONTEST_RANGE_PROOF_TAG : SELECTION_PROOF_TAG;
        expect(verifyEncryptedValue(otherTag, statement, proof, fp, ctx)).toBe(false);
        expect(verifyEncryptedValue(tag, statement, proof, flip(fp), ctx)).toBe(false);
        expect(verifyEncryptedValue(tag, statement, proof, fp, `${ctx}/x`)).toBe(false);
        const shifted = { ...statement, allowedValues: c.allowedValues.map((v) => v + 1) };
        expect(verifyEncryptedValue(tag, shifted, proof, fp, ctx)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('cannot prove a value outside the allowed set', () => {
    fc.assert(
      fc.property(scalar, fingerprintArb, seedArb, (r, fp, seed) => {
        // A cheating prover encrypts 2 and runs the honest prover claiming 1, with the real randomness.
        const ciphertext = encrypt(K, 2, r);
        const statement = { electionKey: K, ciphertext, allowedValues: [0, 1] };
        const forged = proveEncryptedValue(SELECTION_PROOF_TAG, statement, 1, r, fp, 'c', createSeededRandom(seed));
        expect(verifyEncryptedValue(SELECTION_PROOF_TAG, statement, forged, fp, 'c')).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
