import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError, GROUP_ORDER, createSeededRandom, encryptBallot, multiplyBase, randomScalar, serializeBallot, type BallotManifest, type EncryptedBallot, type VerificationPool } from '@townhall/crypto';
import { createNodeVerificationPool } from '@townhall/crypto/workers/node';
import { BATCH_WINDOW_MS, ProofBatcher } from './proof-batcher.ts';

const rng = createSeededRandom('proof batcher test');
const electionKey = multiplyBase(randomScalar(rng));
const fingerprint = new Uint8Array(32).fill(7);
const manifest: BallotManifest = {
  contests: [{ id: 'mayor', title: 'Mayor', minSelections: 1, maxSelections: 1, options: ['ada', 'grace', 'alan'].map((id) => ({ id, label: id })) }],
};
const wire = (ballot: EncryptedBallot): unknown => JSON.parse(JSON.stringify(serializeBallot(ballot)));

/** One response changed: the challenges still add up, only the group equations catch it. */
function forged(ballot: EncryptedBallot): EncryptedBallot {
  const contest = ballot.contests[0]!;
  const selection = contest.selections[0]!;
  const [first, ...rest] = selection.proof.branches;
  const proof = { branches: [{ ...first!, response: (first!.response + 1n) % GROUP_ORDER }, ...rest] };
  return { ...ballot, contests: [{ ...contest, selections: [{ ...selection, proof }, ...contest.selections.slice(1)] }] };
}

describe('ProofBatcher (stand-in pool of two workers)', () => {
  it('keeps one batch per worker in flight, and sends what arrived meanwhile as soon as one is done', async () => {
    const calls: { count: number; done: () => void }[] = [];
    const pool: VerificationPool = {
      size: 2,
      verifyBallots: (_m, ballots) =>
        new Promise((resolve) => calls.push({ count: ballots.length, done: () => resolve({ isValid: true, invalid: [], timings: { decodeMs: 0, equationsMs: 0, msmMs: 0 } }) })),
      close: async () => undefined,
    };
    const batcher = new ProofBatcher(() => pool, () => undefined, manifest, electionKey, fingerprint);
    const window = () => new Promise((resolve) => setTimeout(resolve, BATCH_WINDOW_MS + 10));
    const first = [1, 2, 3].map(() => batcher.verify({}));
    await window();
    const second = [4, 5].map(() => batcher.verify({}));
    await window();
    const third = [6, 7, 8, 9].map(() => batcher.verify({}));
    await window();
    // Both workers busy: the third group waits, whatever the window.
    expect(calls.map((c) => c.count)).toEqual([3, 2]);
    calls[1]!.done();
    await Promise.all(second);
    await window();
    expect(calls.map((c) => c.count)).toEqual([3, 2, 4]);
    calls[0]!.done();
    calls[2]!.done();
    await Promise.all([...first, ...third]);
  });
});

describe('ProofBatcher (worker thread)', () => {
  let pool: VerificationPool | undefined;
  let batches = 0;
  const batcher = new ProofBatcher(
    () => {
      pool ??= createNodeVerificationPool(1);
      batches++;
      return pool;
    },
    () => undefined,
    manifest,
    electionKey,
    fingerprint,
  );
  afterAll(() => pool?.close());

  it('verifies concurrent ballots together and rejects only the one with a bad proof', async () => {
    const ballots = Array.from({ length: 6 }, (_, i) => encryptBallot(manifest, { mayor: [['ada', 'grace', 'alan'][i % 3]!] }, electionKey, fingerprint, rng).ballot);
    const outcomes = await Promise.allSettled(ballots.map((b, i) => batcher.verify(wire(i === 4 ? forged(b) : b))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const error = (outcomes[4] as PromiseRejectedResult).reason as CryptoError;
    expect(error).toBeInstanceOf(CryptoError);
    expect(error.code).toBe('INVALID_PROOF');
    expect(batches).toBe(1);
  }, 60_000);

  it('rejects a ballot made for another election key', async () => {
    const other = encryptBallot(manifest, { mayor: ['ada'] }, multiplyBase(randomScalar(rng)), fingerprint, rng).ballot;
    await expect(batcher.verify(wire(other))).rejects.toBeInstanceOf(CryptoError);
  }, 60_000);
});
