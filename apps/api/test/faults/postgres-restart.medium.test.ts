/**
 * Issue #8, fault 2: Postgres restarted under load (`pg_ctl restart -m fast`, then a longer outage
 * after `pg_ctl stop -m immediate`, a crash as far as the API can tell). The API must recover
 * without being restarted; requests during the outage get a clear 503 (no hang, no 500); after
 * recovery no 5xx; nothing acknowledged is lost. Runs on a Postgres server of its own.
 * FAULT_SEED=<n> repeats a run's choices.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Casting } from './support/casting.ts';
import { deploymentEnv, prepareElection } from './support/election.ts';
import { findFreePort } from './support/free-port.ts';
import { downloadAndVerify, waitForPublishedHead } from './support/observe.ts';
import { postgresStartOptions, scratchDir, startApi, startPostgres, type ApiProcess, type PostgresServer } from './support/processes.ts';
import { seededRandom, stepLogger } from './support/random.ts';

const VOTERS = 8;
const BALLOTS_PER_VOTER = 10;
const OUTAGE_MS = 4000;

describe('Postgres restarted while voters cast (real processes, a Postgres server of its own)', () => {
  const random = seededRandom('postgres-restart');
  const progress = stepLogger('postgres-restart');
  const dir = scratchDir('postgres-restart');
  let server: PostgresServer | undefined;
  let api: ApiProcess | undefined;

  afterAll(async () => {
    await api?.kill();
    await server?.destroy();
  });

  it(`recovers without a restart of its own, answers 503 while the database is away, loses nothing (seed ${random.seed})`, async () => {
    server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE townhall_faults');
    await admin.end();
    const databaseUrl = server.url.replace(/\/postgres$/, '/townhall_faults');
    const env = { ...deploymentEnv([], 0), TOWNHALL_DATA_DIR: dir };
    const prepared = await prepareElection({ databaseUrl, env, voters: VOTERS, ballotsPerVoter: BALLOTS_PER_VOTER, trustees: 1, threshold: 1, random, progress });
    const total = VOTERS * BALLOTS_PER_VOTER;

    api = await startApi({ port: await findFreePort(), env: { ...env, DATABASE_URL: databaseUrl }, logPath: `${dir}/api.log` });
    const pid = api.child.pid;
    progress(`API started (pid ${pid})`);
    const casting = new Casting(prepared.id, () => api!.baseUrl, { retryDelayMs: 200, retryStatuses: [500, 503] });
    const health: { status: number; reachable: boolean }[] = [];
    const probeHealth = async () => {
      const response = await fetch(`${api!.baseUrl}/api/health`, { signal: AbortSignal.timeout(15_000) });
      health.push({ status: response.status, reachable: ((await response.json()) as { database: { reachable: boolean } }).database.reachable });
    };
    // Three rounds of ballots (each voter's in order), so that each fault meets requests whatever the
    // machine's speed: a fast restart during round 1, a longer outage already under way when round 2
    // starts, and round 3 entirely after recovery.
    const round = (from: number, to: number) => casting.castAll(prepared.ballots.map((mine) => mine.slice(from, to)));

    const first = round(0, 4);
    const restartAfter = random.int(1, 10);
    while (casting.acknowledged.size < restartAfter) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.pgCtl('restart -m fast');
    progress(`pg_ctl restart -m fast after ${casting.acknowledged.size} acknowledgements`);
    await first;

    const outageStarted = Date.now();
    await server.pgCtl('stop -m immediate');
    progress(`pg_ctl stop -m immediate after ${casting.acknowledged.size} acknowledgements`);
    const second = round(4, 8);
    await probeHealth();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await probeHealth();
    await server.pgCtl(`start ${postgresStartOptions(server)}`);
    const outageEnded = Date.now();
    progress(`pg_ctl start after ${outageEnded - outageStarted} ms down`);
    await second;

    const errorsBeforeRecovery = casting.errors.length;
    await round(8, BALLOTS_PER_VOTER);
    progress(`every ballot acknowledged; answers ${JSON.stringify(casting.summary())}`);
    await probeHealth();
    expect(casting.acknowledged.size).toBe(total);
    // The API lived through it: same process, never restarted.
    expect(api.child.exitCode).toBeNull();
    expect(api.child.pid).toBe(pid);

    // Nothing acknowledged was lost, and the record verifies (once a checkpoint covers the whole log).
    await waitForPublishedHead(api.baseUrl, prepared.id);
    const { report, castAt, ballotCastEntries } = await downloadAndVerify(api.baseUrl, prepared.id);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.isValid).toBe(true);
    expect(ballotCastEntries).toBe(total);
    for (const a of casting.acknowledged.values()) expect(castAt.get(a.ballot.trackingCode)).toBe(a.ledgerIndex);

    // After recovery (round 3), nothing but 2xx.
    expect(casting.errors.slice(errorsBeforeRecovery).map((e) => `${e.status} ${e.code}`)).toEqual([]);
    expect(casting.answers.get('timeout') ?? 0).toBe(0);
    expect(health.slice(0, 2)).toEqual([{ status: 503, reachable: false }, { status: 503, reachable: false }]);
    expect(health.at(-1)).toEqual({ status: 200, reachable: true });
    // The outage was seen (or this tested nothing), and answered with 503 SERVICE_UNAVAILABLE only.
    expect(casting.errors.length).toBeGreaterThan(0);
    expect(casting.errors.filter((e) => e.status !== 503 || e.code !== 'SERVICE_UNAVAILABLE').map((e) => `${e.status} ${e.code}`)).toEqual([]);
  }, 600_000);
});
