/**
 * Issue #8, fault 1: the API process is killed (SIGKILL: no shutdown hook, requests cut mid-flight)
 * at random moments while many voters cast, and started again, several times. Nothing that was
 * acknowledged may be lost, an unacknowledged ballot sent again must be accepted once (idempotent),
 * and the downloaded election record must verify with the observer's verifier.
 * FAULT_SEED=<n> repeats a run's kill moments and choices.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { Casting } from './support/casting.ts';
import { LOG_VERIFIER_KEY, ORIGIN_PREFIX, closeAndTally, deploymentEnv, prepareElection } from './support/election.ts';
import { findFreePort } from './support/free-port.ts';
import { downloadAndVerify, waitForPublishedHead } from './support/observe.ts';
import { scratchDir, startApi, startWitness, type ApiProcess, type WitnessProcess } from './support/processes.ts';
import { seededRandom, stepLogger } from './support/random.ts';

const VOTERS = 12;
const BALLOTS_PER_VOTER = 8;
const KILLS = 3;

describe('the API killed while voters cast (Postgres, real processes)', () => {
  const random = seededRandom('api-killed');
  const progress = stepLogger('api-killed');
  const dir = scratchDir('api-killed');
  let testDatabase: TestDatabase | undefined;
  let api: ApiProcess | undefined;
  const witnesses: WitnessProcess[] = [];

  afterAll(async () => {
    await api?.kill();
    for (const w of witnesses) await w.kill();
    await testDatabase?.drop();
  });

  it(`loses no acknowledged ballot over ${KILLS} kills, accepts every re-sent one once, and the record verifies (seed ${random.seed})`, async () => {
    testDatabase = await createTestDatabase('postgres');
    const databaseUrl = (testDatabase.config as { url: string }).url;
    for (const n of [1, 2]) {
      witnesses.push(await startWitness({ stateDir: `${dir}/witness-${n}`, name: `faults-witness-${n}`, originPrefix: ORIGIN_PREFIX, logVerifierKey: LOG_VERIFIER_KEY, logPath: `${dir}/witness-${n}.log` }));
    }
    const env = { ...deploymentEnv(witnesses, 2), TOWNHALL_DATA_DIR: dir };
    const prepared = await prepareElection({ databaseUrl, env, voters: VOTERS, ballotsPerVoter: BALLOTS_PER_VOTER, trustees: 3, threshold: 2, random, progress });
    const total = VOTERS * BALLOTS_PER_VOTER;

    const port = await findFreePort();
    const start = () => startApi({ port, env: { ...env, DATABASE_URL: databaseUrl }, logPath: `${dir}/api.log` });
    api = await start();
    progress(`API started on port ${port}`);
    const casting = new Casting(prepared.id, () => api!.baseUrl);
    let isCastingDone = false;
    const castingDone = casting.castAll(prepared.ballots).finally(() => (isCastingDone = true));

    // Each kill comes after a random number of further acknowledgements, so it always lands while
    // ballots are in flight (timing alone would depend on how loaded the machine is).
    const kills: { afterAcknowledgements: number; acknowledgedBefore: number }[] = [];
    for (let round = 0; round < KILLS && !isCastingDone; round++) {
      const afterAcknowledgements = random.int(5, Math.floor(total / (KILLS + 1)));
      const target = casting.acknowledged.size + afterAcknowledgements;
      while (!isCastingDone && casting.acknowledged.size < target) await new Promise((resolve) => setTimeout(resolve, 5));
      if (isCastingDone) break;
      kills.push({ afterAcknowledgements, acknowledgedBefore: casting.acknowledged.size });
      await api.kill();
      progress(`killed the API after ${casting.acknowledged.size} acknowledgements`);
      api = await start();
      progress('API restarted');
    }
    await castingDone;
    progress('every ballot acknowledged');
    process.stderr.write(`[faults] api-killed: kills ${JSON.stringify(kills)}; answers ${JSON.stringify(casting.summary())}\n`);
    // The kills must have happened while casting was going on, or this test tested nothing.
    expect(kills.length).toBe(KILLS);
    expect(kills.at(-1)!.acknowledgedBefore).toBeLessThan(total);

    // Every ballot was acknowledged in the end, each with a real ledger position.
    expect(casting.acknowledged.size).toBe(total);
    const acknowledgements = [...casting.acknowledged.values()];
    const withoutIndex = acknowledgements.filter((a) => a.ledgerIndex < 0n).map((a) => ({ trackingCode: a.ballot.trackingCode, status: a.status, ledgerIndex: String(a.ledgerIndex) }));
    expect(withoutIndex).toEqual([]);
    // Answers: only acknowledgements and cut connections — no 5xx from the restarted server.
    expect(Object.keys(casting.summary()).filter((kind) => !['200', '201', 'network'].includes(kind))).toEqual([]);

    // Re-sending an acknowledged ballot is idempotent: 200 with the same ledger index.
    const resent = acknowledgements.filter((a) => a.unansweredAttempts > 0 || a.status === 200);
    for (const a of [...resent, ...random.pick(acknowledgements, 10)]) {
      const again = await casting.castOnce(a.ballot);
      expect({ trackingCode: a.ballot.trackingCode, status: again?.status, ledgerIndex: again?.response?.ledgerIndex }).toEqual({
        trackingCode: a.ballot.trackingCode,
        status: 200,
        ledgerIndex: String(a.ledgerIndex),
      });
    }

    // Each voter's ballot status page finds the ballot where the acknowledgement said it is.
    for (const a of random.pick(acknowledgements, 40)) {
      const status = await fetch(`${api.baseUrl}/api/elections/${prepared.id}/ballots/${a.ballot.trackingCode}`);
      expect({ trackingCode: a.ballot.trackingCode, status: status.status }).toEqual({ trackingCode: a.ballot.trackingCode, status: 200 });
      expect(((await status.json()) as { ledgerIndex: string }).ledgerIndex).toBe(String(a.ledgerIndex));
    }

    // Close and tally with a random k of the n trustees; the last ballot of each voter counts.
    const decrypting = random.pick(prepared.trustees, prepared.threshold);
    progress(`tally by trustees ${decrypting.map((t) => t.index).join(' and ')}`);
    const tally = await closeAndTally(prepared, api.baseUrl, decrypting);
    expect(tally.status).toBe('published');
    await waitForPublishedHead(api.baseUrl, prepared.id);
    const { report, castAt, ballotCastEntries } = await downloadAndVerify(api.baseUrl, prepared.id);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.isValid).toBe(true);
    // The record holds each ballot exactly once, at the index its acknowledgement named.
    expect(ballotCastEntries).toBe(total);
    for (const a of acknowledgements) expect(castAt.get(a.ballot.trackingCode)).toBe(a.ledgerIndex);
    const expected = new Map<string, number>();
    for (const mine of prepared.ballots) expected.set(mine.at(-1)!.choice, (expected.get(mine.at(-1)!.choice) ?? 0) + 1);
    const counts = Object.fromEntries(report.result![0]!.counts.filter((c) => c.count > 0).map((c) => [c.optionId, c.count]));
    progress('record verified');
    expect(counts).toEqual(Object.fromEntries([...expected].sort()));
  }, 600_000);
});
