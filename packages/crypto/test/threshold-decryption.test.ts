import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encrypt, sumCiphertexts, type Ciphertext } from '../src/elgamal/elgamal.ts';
import { G, GROUP_ORDER, IDENTITY, createSeededRandom, multiplyPublic, randomScalar } from '../src/group.ts';
import {
  combinePartialDecryptions,
  computePartialDecryption,
  createDiscreteLogTable,
  verifyPartialDecryption,
  type PartialDecryption,
} from '../src/decryption/index.ts';
import { runCeremony } from './support/run-ceremony.ts';

const fingerprint = new Uint8Array(32).fill(0x21);
const parameters = { electionFingerprint: fingerprint, threshold: 2, trusteeCount: 3 };
const rng = createSeededRandom('threshold-decryption-test');
const { electionKey, secretShares } = runCeremony(parameters, rng);
const K = electionKey.jointKey;
const context = 'tally/contest:mayor/option:alice';
const table = createDiscreteLogTable({ maxValue: 1000 });

/** An aggregate of `votes` (0/1 each), as the tally forms it. */
function aggregateOf(votes: readonly number[]): Ciphertext {
  return sumCiphertexts(votes.map((v) => encrypt(K, v, randomScalar(rng))));
}

function partialsFor(aggregate: Ciphertext, trustees: readonly number[]): PartialDecryption[] {
  return trustees.map((i) => computePartialDecryption(fingerprint, i, secretShares[i - 1]!, aggregate, context, rng));
}

describe('threshold decryption', () => {
  const votes = [1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0];
  const expected = votes.reduce((a, b) => a + b, 0);
  const aggregate = aggregateOf(votes);

  it('a full 2-of-3 ceremony: every pair of trustees (and all three) decrypts the right count', () => {
    for (const trustees of [[1, 2], [1, 3], [2, 3], [3, 1], [1, 2, 3]]) {
      const partials = partialsFor(aggregate, trustees);
      for (const p of partials) {
        expect(verifyPartialDecryption(fingerprint, electionKey.verificationShares[p.trusteeIndex - 1]!, aggregate, p, context)).toBe(true);
      }
      expect(table.solve(combinePartialDecryptions(aggregate, partials, parameters.threshold))).toBe(expected);
    }
  });

  it('one trustee alone cannot decrypt (combination refuses fewer than k)', () => {
    expect(() => combinePartialDecryptions(aggregate, partialsFor(aggregate, [2]), 2)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'partials' }),
    );
  });

  it('decrypts any count for any pair (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 12 }), fc.constantFrom([1, 2], [1, 3], [2, 3]), (vs, pair) => {
        const c = aggregateOf(vs);
        const point = combinePartialDecryptions(c, partialsFor(c, pair), 2);
        expect(table.solve(point)).toBe(vs.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 10 },
    );
  });

  describe('partial decryption proofs', () => {
    const partial = partialsFor(aggregate, [2])[0]!;
    const S2 = electionKey.verificationShares[1]!;
    const mutations: [string, () => boolean][] = [
      ['share changed', () => verifyPartialDecryption(fingerprint, S2, aggregate, { ...partial, share: partial.share.add(G) }, context)],
      ['proof response +1', () => verifyPartialDecryption(fingerprint, S2, aggregate, { ...partial, proof: { ...partial.proof, response: (partial.proof.response + 1n) % GROUP_ORDER } }, context)],
      ['proof commitment1 changed', () => verifyPartialDecryption(fingerprint, S2, aggregate, { ...partial, proof: { ...partial.proof, commitment1: G } }, context)],
      ['proof commitment2 changed', () => verifyPartialDecryption(fingerprint, S2, aggregate, { ...partial, proof: { ...partial.proof, commitment2: G } }, context)],
      ['claimed by another trustee', () => verifyPartialDecryption(fingerprint, S2, aggregate, { ...partial, trusteeIndex: 3 }, context)],
      ['checked against another verification share', () => verifyPartialDecryption(fingerprint, electionKey.verificationShares[2]!, aggregate, partial, context)],
      ['for another ciphertext', () => verifyPartialDecryption(fingerprint, S2, aggregateOf([1]), partial, context)],
      ['under another fingerprint', () => verifyPartialDecryption(new Uint8Array(32).fill(0x22), S2, aggregate, partial, context)],
      ['in another context', () => verifyPartialDecryption(fingerprint, S2, aggregate, partial, 'tally/contest:mayor/option:bob')],
    ];
    it.each(mutations)('rejected: %s', (_name, check) => {
      expect(check()).toBe(false);
    });
  });

  describe('hostile inputs → typed CryptoError', () => {
    const partial = partialsFor(aggregate, [1])[0]!;
    const S1 = electionKey.verificationShares[0]!;
    const cases: [string, () => unknown, string, string][] = [
      ['fingerprint 33 bytes', () => computePartialDecryption(new Uint8Array(33), 1, secretShares[0]!, aggregate, context), 'INVALID_LENGTH', 'fingerprint'],
      ['context not a string', () => computePartialDecryption(fingerprint, 1, secretShares[0]!, aggregate, 5 as never), 'INVALID_TYPE', 'context'],
      ['trustee index 0', () => computePartialDecryption(fingerprint, 0, secretShares[0]!, aggregate, context), 'INVALID_ARGUMENT', 'trusteeIndex'],
      ['secret share ≥ ℓ', () => computePartialDecryption(fingerprint, 1, GROUP_ORDER, aggregate, context), 'NON_CANONICAL_SCALAR', 'secretShare'],
      ['secret share as number', () => computePartialDecryption(fingerprint, 1, 5 as never, aggregate, context), 'INVALID_TYPE', 'secretShare'],
      ['α is the identity', () => computePartialDecryption(fingerprint, 1, secretShares[0]!, { alpha: IDENTITY, beta: IDENTITY }, context), 'IDENTITY_POINT', 'ciphertext.alpha'],
      ['ciphertext as bytes', () => verifyPartialDecryption(fingerprint, S1, new Uint8Array(64) as never, partial, context), 'INVALID_TYPE', 'ciphertext.alpha'],
      ['verification share identity', () => verifyPartialDecryption(fingerprint, IDENTITY, aggregate, partial, context), 'IDENTITY_POINT', 'verificationShare'],
      ['partial share identity', () => verifyPartialDecryption(fingerprint, S1, aggregate, { ...partial, share: IDENTITY }, context), 'IDENTITY_POINT', 'partialDecryption.share'],
      ['partial proof missing', () => verifyPartialDecryption(fingerprint, S1, aggregate, { ...partial, proof: undefined as never }, context), 'INVALID_TYPE', 'partialDecryption.proof'],
      ['duplicate trustees', () => combinePartialDecryptions(aggregate, [partial, partial], 2), 'INVALID_ARGUMENT', 'partials'],
      ['threshold 0', () => combinePartialDecryptions(aggregate, [partial], 0), 'INVALID_ARGUMENT', 'threshold'],
      ['partials not an array', () => combinePartialDecryptions(aggregate, partial as never, 1), 'INVALID_TYPE', 'partials'],
      ['table: negative maxValue', () => createDiscreteLogTable({ maxValue: -1 }), 'INVALID_ARGUMENT', 'options.maxValue'],
      ['table: fractional babySteps', () => createDiscreteLogTable({ babySteps: 2.5 }), 'INVALID_ARGUMENT', 'options.babySteps'],
      ['table: maxValue as string', () => createDiscreteLogTable({ maxValue: '10' as never }), 'INVALID_TYPE', 'options.maxValue'],
      ['solve: bytes instead of a point', () => table.solve(new Uint8Array(32) as never), 'INVALID_TYPE', 'point'],
    ];
    it.each(cases)('%s', (_name, run, code, field) => {
      expect(run).toThrow(expect.objectContaining({ name: 'CryptoError', code, field }));
    });
  });
});

describe('baby-step giant-step discrete log', () => {
  it('finds every v in a small range exactly, including 0 and the bound', () => {
    const small = createDiscreteLogTable({ maxValue: 300, babySteps: 7 });
    let point = IDENTITY;
    for (let v = 0; v <= 300; v++) {
      expect(small.solve(point)).toBe(v);
      point = point.add(G);
    }
    expect(() => small.solve(point)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
  });

  it('finds random values up to 10,000,000 with the default table, and reuses it', () => {
    const big = createDiscreteLogTable();
    expect(big).toMatchObject({ maxValue: 10_000_000, babySteps: 3163 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (v) => {
        expect(big.solve(v === 0 ? IDENTITY : multiplyPublic(G, BigInt(v)))).toBe(v);
      }),
      { numRuns: 12 },
    );
    expect(big.solve(multiplyPublic(G, 10_000_000n))).toBe(10_000_000);
    expect(() => big.solve(multiplyPublic(G, 10_000_001n))).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
  });

  it('does not mistake −v·G or a random point for a count', () => {
    const small = createDiscreteLogTable({ maxValue: 1000 });
    expect(() => small.solve(multiplyPublic(G, 5n).negate())).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
    expect(() => small.solve(multiplyPublic(G, randomScalar(rng)))).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
  });
});
