import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CryptoError,
  G,
  GROUP_ORDER,
  ballotEquations,
  cachedFixedBase,
  createSeededRandom,
  isEquationSatisfied,
  encryptBallot,
  serializeBallot,
  verifyBallotBatch,
  type EncryptedBallot,
} from '../src/index.ts';
import { createNodeVerificationPool } from '../src/workers/node.ts';
import { createVerificationPool, type VerificationPool, type WorkerEndpoint } from '../src/workers/pool.ts';
import type { VerifyChunkRequest } from '../src/workers/protocol.ts';
import { choices, electionKey, fingerprint, manifest, otherFingerprint } from './ballot-fixtures.ts';

const rng = createSeededRandom('batch tests');
const ballots = Array.from({ length: 12 }, () => encryptBallot(manifest, choices, electionKey, fingerprint, rng).ballot);

/**
 * A ballot whose second selection of the first contest has one response changed: the Fiat–Shamir
 * challenges still add up (responses are not hashed), so only the group equations catch it —
 * exactly what the combined multi-scalar multiplication checks.
 */
function withForgedSelection(ballot: EncryptedBallot): EncryptedBallot {
  const contest = ballot.contests[0]!;
  const sel = contest.selections[1]!;
  const [first, ...rest] = sel.proof.branches;
  const forged = { ...sel, proof: { branches: [{ ...first!, response: (first!.response + 1n) % GROUP_ORDER }, ...rest] } };
  return { ...ballot, contests: [{ ...contest, selections: contest.selections.map((s, i) => (i === 1 ? forged : s)) }, ...ballot.contests.slice(1)] };
}

describe('verifyBallotBatch', () => {
  it('accepts a batch of valid ballots with one combined check', () => {
    const result = verifyBallotBatch(manifest, ballots, electionKey, fingerprint);
    expect(result.isValid).toBe(true);
    expect(result.invalid).toEqual([]);
  });

  it('rejects a batch with one bad ballot and names it and the failing proof', () => {
    const mixed = ballots.slice();
    mixed[7] = withForgedSelection(ballots[7]!);
    const result = verifyBallotBatch(manifest, mixed, electionKey, fingerprint);
    expect(result.isValid).toBe(false);
    expect(result.invalid.map((i) => i.index)).toEqual([7]);
    expect(result.invalid[0]!.error.code).toBe('INVALID_PROOF');
    expect(result.invalid[0]!.error.field).toBe('ballot.contests[0].selections[1].proof.branches[0]:G');
  });

  it('finds several bad ballots, including one that fails before the combined check', () => {
    const mixed = ballots.slice();
    mixed[0] = withForgedSelection(ballots[0]!);
    mixed[11] = withForgedSelection(ballots[11]!);
    mixed[4] = { ...ballots[4]!, contests: ballots[4]!.contests.slice(0, 1) };
    const result = verifyBallotBatch(manifest, mixed, electionKey, fingerprint);
    expect(result.invalid.map((i) => [i.index, i.error.code])).toEqual([
      [0, 'INVALID_PROOF'],
      [4, 'INVALID_BALLOT'],
      [11, 'INVALID_PROOF'],
    ]);
  });

  it('names a ballot whose ciphertext was changed after proving (caught by its Fiat–Shamir check)', () => {
    const contest = ballots[2]!.contests[0]!;
    const changed = { ...ballots[2]!, contests: [{ ...contest, selections: contest.selections.map((s, i) => (i === 0 ? { ...s, ciphertext: { alpha: s.ciphertext.alpha, beta: s.ciphertext.beta.add(G) } } : s)) }, ballots[2]!.contests[1]!] };
    const result = verifyBallotBatch(manifest, [ballots[0]!, changed], electionKey, fingerprint);
    expect(result.invalid.map((i) => [i.index, i.error.field])).toEqual([[1, 'ballot.contests[0].selections[0].proof.branches']]);
  });

  it('names a ballot whose contest range proof was forged (its terms on the aggregate are expanded in a batch)', () => {
    const contest = ballots[3]!.contests[1]!;
    const [first, ...rest] = contest.rangeProof.branches;
    const forged = { ...contest, rangeProof: { branches: [{ ...first!, response: (first!.response + 1n) % GROUP_ORDER }, ...rest] } };
    const mixed = ballots.slice(0, 6);
    mixed[3] = { ...ballots[3]!, contests: [ballots[3]!.contests[0]!, forged] };
    const result = verifyBallotBatch(manifest, mixed, electionKey, fingerprint);
    expect(result.invalid.map((i) => [i.index, i.error.field])).toEqual([[3, 'ballot.contests[1].rangeProof.branches[0]:G']]);
  });

  it('expanded aggregate terms give equations that each hold on their own, with the aggregate gone', () => {
    const K = cachedFixedBase(electionKey);
    const plain = ballotEquations(manifest, ballots[0]!, K, fingerprint);
    const expanded = ballotEquations(manifest, ballots[0]!, K, fingerprint, { expandAggregates: true });
    expect(expanded.map((e) => e.label)).toEqual(plain.map((e) => e.label));
    expect(expanded.every(isEquationSatisfied)).toBe(true);
    const rangeTerms = expanded.filter((e) => e.label.includes('rangeProof')).map((e) => e.terms.length);
    // z·G, −t1, −c·α_i for each of 3 options; then z·K, −t2, −c·β_i for each option, (c·V)·G
    expect(rangeTerms.slice(0, 2)).toEqual([2 + 3, 3 + 3]);
  });

  it('rejects every ballot under another election fingerprint', () => {
    const result = verifyBallotBatch(manifest, ballots.slice(0, 3), electionKey, otherFingerprint);
    expect(result.invalid.map((i) => i.index)).toEqual([0, 1, 2]);
  });
});

describe('verification pool (Node worker threads)', () => {
  const pool = createNodeVerificationPool(2);
  afterAll(() => pool.close());

  it('spreads wire-format ballots over two workers and reports the bad one by its index', async () => {
    const wire: unknown[] = ballots.map((b) => JSON.parse(JSON.stringify(serializeBallot(b))));
    wire[5] = JSON.parse(JSON.stringify(serializeBallot(withForgedSelection(ballots[5]!))));
    wire[9] = { version: 1, contests: 'garbage' };
    const progress: number[] = [];
    const result = await pool.verifyBallots(manifest, wire, electionKey, fingerprint, (done) => progress.push(done));
    expect(result.isValid).toBe(false);
    expect(result.invalid.map((i) => [i.index, i.code])).toEqual([
      [5, 'INVALID_PROOF'],
      [9, 'INVALID_BALLOT'],
    ]);
    expect(progress.at(-1)).toBe(wire.length);
  }, 60_000);
});

describe('verification pool queueing (stand-in workers)', () => {
  /** Workers that record what they are sent and answer only when told to. */
  function standIns() {
    const sent: { worker: number; request: VerifyChunkRequest }[] = [];
    const listeners: ((message: unknown) => void)[] = [];
    const errorListeners: ((error: unknown) => void)[] = [];
    const spawn = (): WorkerEndpoint => {
      const worker = listeners.length;
      listeners.push(() => undefined);
      errorListeners.push(() => undefined);
      return {
        postMessage: (request) => void sent.push({ worker, request }),
        onMessage: (listener) => void (listeners[worker] = listener),
        onError: (listener) => void (errorListeners[worker] = listener),
        terminate: () => undefined,
      };
    };
    const fail = (worker: number) => errorListeners[worker]!(new Error(`worker ${worker} died`));
    const answer = (index: number) => {
      const { worker, request } = sent[index]!;
      listeners[worker]!({ kind: 'verify-ballots-result', requestId: request.requestId, invalid: [], timings: { decodeMs: 0, equationsMs: 0, msmMs: 0 } });
    };
    /** Which worker got each chunk, and its number of ballots, in the order they were sent. */
    const placed = () => sent.map((s) => [s.worker, s.request.ballots.length]);
    return { spawn, sent, answer, fail, placed };
  }
  /** One call per size, each of that many (stand-in) ballots. */
  const callsOf = (pool: VerificationPool, sizes: number[]) => sizes.map((n) => pool.verifyBallots(manifest, Array.from({ length: n }, () => ({})), electionKey, fingerprint));
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("keeps each call whole with 'whole', gives concurrent calls to idle workers, and queues the rest", async () => {
    const workers = standIns();
    const pool = createVerificationPool(workers.spawn, 2, 'whole');
    const calls = callsOf(pool, [5, 3, 4]);
    await flush();
    // Two calls, one chunk each, on the two workers; the third waits for a free worker.
    expect(workers.placed()).toEqual([
      [0, 5],
      [1, 3],
    ]);
    workers.answer(1);
    await flush();
    expect(workers.placed()).toEqual([
      [0, 5],
      [1, 3],
      [1, 4],
    ]);
    workers.answer(0);
    workers.answer(2);
    expect((await Promise.all(calls)).map((r) => r.isValid)).toEqual([true, true, true]);
  });

  it('gives no more chunks to a failed worker, and fails what is queued once no worker is left', async () => {
    const workers = standIns();
    const pool = createVerificationPool(workers.spawn, 2, 'whole');
    const calls = callsOf(pool, [1, 2, 3, 4]);
    const settled = Promise.allSettled(calls);
    await flush();
    workers.fail(0);
    await flush();
    // Worker 0's chunk failed; the next queued chunk went to worker 1 only when it was free.
    workers.answer(1);
    await flush();
    expect(workers.placed()).toEqual([
      [0, 1],
      [1, 2],
      [1, 3],
    ]);
    workers.fail(1);
    const outcomes = await settled;
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as CryptoError).code : 'ok'))).toEqual(['WORKER_FAILED', 'ok', 'WORKER_FAILED', 'WORKER_FAILED']);
  });

  it('by default cuts a call into four chunks per worker, with the indices of the whole call', async () => {
    const workers = standIns();
    const pool = createVerificationPool(workers.spawn, 2);
    const [call] = callsOf(pool, [16]);
    for (let i = 0; i < 8; i++) {
      await flush();
      workers.answer(i);
    }
    await call;
    expect(workers.sent.map((s) => s.request.firstIndex)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });
});

describe('multiScalarMultiply', () => {
  it('equals the sum of separate multiplications for short, long and negated scalars', async () => {
    const { multiScalarMultiply, multiplyBase, multiplyPublic, IDENTITY } = await import('../src/index.ts');
    const points = Array.from({ length: 40 }, (_, i) => multiplyBase(BigInt(i + 3) * 7919n));
    const scalars = points.map((_, i) => (i % 3 === 0 ? BigInt(i) ** 20n % GROUP_ORDER : i % 3 === 1 ? GROUP_ORDER - BigInt(i + 1) : BigInt(i) * 2n ** 100n));
    const expected = points.reduce((sum, p, i) => sum.add(multiplyPublic(p, scalars[i]!)), IDENTITY);
    expect(multiScalarMultiply(points, scalars).equals(expected)).toBe(true);
  });

  it('equals the naive sum for any mix of edge-case scalars (signed-digit recoding, carries into the top window)', async () => {
    const { multiScalarMultiply, multiplyBase, multiplyPublic, IDENTITY } = await import('../src/index.ts');
    const half = GROUP_ORDER >> 1n;
    const edges = [0n, 1n, 2n, GROUP_ORDER - 1n, half, half + 1n, 2n ** 128n, 2n ** 129n - 1n, 2n ** 129n, 2n ** 251n - 1n, 2n ** 251n];
    const pool = Array.from({ length: 12 }, (_, i) => multiplyBase(BigInt(i + 2) * 104729n));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(pool.length - 1), fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: GROUP_ORDER - 1n }))), { minLength: 1, maxLength: 70 }),
        (terms) => {
          const points = terms.map(([p]) => pool[p]!);
          const scalars = terms.map(([, s]) => s);
          const expected = terms.reduce((sum, [p, s]) => sum.add(multiplyPublic(pool[p]!, s)), IDENTITY);
          expect(multiScalarMultiply(points, scalars).equals(expected)).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is right for 2,000 points (wide windows): Σ sᵢ·(aᵢ·G) = (Σ sᵢ·aᵢ)·G', { timeout: 30_000 }, async () => {
    const { multiScalarMultiply, multiplyBase, randomScalar, scalarAdd, scalarMul } = await import('../src/index.ts');
    const random = createSeededRandom('wide msm');
    const logs = Array.from({ length: 2000 }, () => randomScalar(random));
    const scalars = logs.map((_, i) => (i % 2 === 0 ? randomScalar(random) : randomScalar(random) >> 124n));
    const expected = multiplyBase(logs.reduce((sum, a, i) => scalarAdd(sum, scalarMul(a, scalars[i]!)), 0n));
    const points = logs.map((a) => multiplyBase(a));
    expect(multiScalarMultiply(points, scalars).equals(expected)).toBe(true);
    scalars[1234] = (scalars[1234]! + 1n) % GROUP_ORDER;
    expect(multiScalarMultiply(points, scalars).equals(expected)).toBe(false);
  });
});
