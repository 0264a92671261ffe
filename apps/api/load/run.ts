/**
 * Load test (section `load-10k` of docs/benchmarks.md), `npm run load -w @townhall/api`:
 *   1. a LOAD_VOTERS-elector election (default 10,000) set up with the simulator's tools
 *      (apps/api/simulate: roll import, poll cards, passkey enrolment, 2-of-3 key ceremony,
 *      credentials), on a fresh database on the Postgres server of TEST_DATABASE_URL;
 *   2. every voter's ballots encrypted ahead of time (simulator `prepareBallots`);
 *   3. the API restarted as its own process, in production mode through tsx (as `npm start`), with
 *      the same database, log key and local witnesses;
 *   4. autocannon casts every prepared ballot once over LOAD_CONNECTIONS keep-alive connections,
 *      while the auditor CLI (apps/auditor) and the verifier CLI (packages/verifier, with --state)
 *      follow the election log incrementally, each in a loop in its own process;
 *   5. close, tally by 2 of the 3 trustees, and the final record verified; the published result must
 *      equal the plain tally of the voters' last ballots.
 * Prints and records throughput, latency percentiles, errors, and how far behind the followers were.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { CastBallotResponse, TallyState, fromHexString } from '@townhall/protocol';
import { setUpElection, prepareBallots, sameTally, startSimulationServer, finish, type Tally } from '../simulate/index.ts';
import { rebase } from '../test/faults/support/election.ts';
import { tallyAndWait } from '@townhall/client-flows';
import { findFreePort } from '../test/faults/support/free-port.ts';
import { repoRoot, startApi } from '../test/faults/support/processes.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const run = promisify(execFile);
const VOTERS = Number(process.env.LOAD_VOTERS ?? 10_000);
const BALLOTS_PER_VOTER = Number(process.env.LOAD_BALLOTS_PER_VOTER ?? 1);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const FOLLOW_PAUSE_MS = 1000;
const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  process.stderr.write('TEST_DATABASE_URL is not set: the load test needs a Postgres server, e.g. `export TEST_DATABASE_URL=$(bash .ci/start-postgres.sh)`\n');
  process.exit(2);
}

const started = performance.now();
const say = (line: string) => process.stdout.write(`[load +${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
const loadAtStart = loadavg();
const dir = mkdtempSync(join(tmpdir(), 'townhall-load-'));
const fmt = (x: number, digits = 1) => x.toFixed(digits);

// ---- 1–2. the election and its ballots, through the simulator (API in this process for the setup)
const server = await startSimulationServer({ databaseUrl: serverUrl, keepDatabase: true, logLevel: 'warn' });
const databaseUrl = server.config.database.kind === 'postgres' ? server.config.database.url : '';
const sim = await setUpElection({ voters: VOTERS, contests: 1, options: 5, trustees: 3, threshold: 2, turnout: 1, server, log: say });
const ballotFile = join(dir, 'ballots.jsonl');
const prepared = await prepareBallots(sim, { file: ballotFile, ballotsPerVoter: BALLOTS_PER_VOTER });
const bodies = readFileSync(ballotFile, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { body: string }).body);
const setupSeconds = (performance.now() - started) / 1000;
say(`${VOTERS} electors, ${sim.voters.length} with credentials, ${bodies.length} ballots prepared in ${fmt(setupSeconds, 0)} s`);

// The spawned API keeps the deployment: database (with the log key), public URL, the local
// witnesses' keys and memory (copied before the setup server removes its data directory).
const dataDir = join(dir, 'data');
for (const n of [1, 2]) cpSync(join(server.config.dataDir, `witness-${n}`), join(dataDir, `witness-${n}`), { recursive: true });
await finish(sim);
await server.stop();

// ---- 3. the API as its own production process
const port = await findFreePort();
const api = await startApi({
  port,
  env: { DATABASE_URL: databaseUrl, TOWNHALL_PUBLIC_URL: server.publicUrl, TOWNHALL_DATA_DIR: dataDir, TOWNHALL_LOCAL_WITNESSES: 'true', TOWNHALL_RATE_LIMIT_PER_MINUTE: '1000000000' },
  logPath: join(dir, 'api.log'),
});
const electionId = sim.election.id;
const logUrl = `${api.baseUrl}/api/ledger/election-${electionId}`;
const waitForPublished = async () => {
  for (;;) {
    const log = (await (await fetch(logUrl)).json()) as { size: string; published: { size: string } | null };
    if (log.published?.size === log.size) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
const headSize = async () => BigInt(((await (await fetch(logUrl)).json()) as { size: string }).size);
say(`API process ${api.child.pid} on ${api.baseUrl} (log in ${api.logPath})`);

// ---- 4. followers: the auditor and the verifier CLIs, each run again as soon as the last run ends
interface FollowSample {
  /** Entries the run covered. */
  size: bigint;
  /** Log head when the run ended: how far behind the follower was. */
  head: bigint;
  seconds: number;
  endedAt: number;
}
let isLoadDone = false;
let finalSize = -1n;
async function follow(name: string, once: () => Promise<bigint>): Promise<FollowSample[]> {
  const samples: FollowSample[] = [];
  for (;;) {
    const t0 = performance.now();
    const size = await once();
    const head = await headSize();
    samples.push({ size, head, seconds: (performance.now() - t0) / 1000, endedAt: performance.now() });
    if (isLoadDone && finalSize >= 0n && size >= finalSize) return samples;
    if (samples.length > 10_000) throw new Error(`${name} never caught up`);
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_PAUSE_MS));
  }
}
const tsx = (cwd: string, args: string[]) => run(process.execPath, ['--import', 'tsx', ...args], { cwd: resolve(repoRoot, cwd), maxBuffer: 64 << 20 });
const auditState = join(dir, 'audit');
const auditor = follow('auditor', async () => {
  const { stdout } = await tsx('apps/auditor', ['src/cli.ts', logUrl, '--state', auditState]);
  const match = /size (\d+)/.exec(stdout);
  if (!match) throw new Error(`auditor: ${stdout}`);
  return BigInt(match[1]!);
});
const verifierState = join(dir, 'verifier-state.json');
let unvouchedTailRuns = 0;
const verifier = follow('verifier', async () => {
  // Exit 1 (a check failed) still prints the report, which is judged below.
  const { stdout } = await tsx('packages/verifier', ['src/cli/main.ts', `${api.baseUrl}/api/elections/${electionId}/record`, '--state', verifierState, '--progress', 'none', '--json', '--workers', '1']).catch((error: { code?: number; stdout?: string }) => {
    if (error.code === 1 && error.stdout) return { stdout: error.stdout };
    throw error;
  });
  const report = JSON.parse(stdout) as { entries: number; checks: { id: string; status: string; failures: { message: string }[] }[] };
  const failures = report.checks.filter((c) => c.status === 'fail');
  // While ballots are being cast the record holds entries beyond its last published checkpoint, and
  // the verifier says so (record.md §4 wants the last checkpoint to cover every entry). Counted and
  // reported, not hidden; any other failure stops the run.
  if (failures.length === 1 && failures[0]!.id === 'ledger.consistency' && failures[0]!.failures.every((f) => f.message.includes('entries beyond it are not vouched for'))) unvouchedTailRuns++;
  else if (failures.length > 0) throw new Error(`verifier: the record does not verify: ${JSON.stringify(failures).slice(0, 2000)}`);
  return BigInt(report.entries);
});

// ---- warm-up: the first ballots one by one (a fresh process starts its proof-verification worker
// and compiles its hot paths on first use; that is not what the percentiles should measure)
const WARM_UP = Math.min(50, Math.floor(bodies.length / 20));
for (const body of bodies.slice(0, WARM_UP)) {
  const response = await fetch(`${api.baseUrl}/api/elections/${electionId}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (response.status !== 201) throw new Error(`warm-up ballot answered ${response.status}: ${await response.text()}`);
}

// ---- autocannon: every other prepared ballot once (a cursor shared by the connections)
let cursor = WARM_UP;
const statuses = new Map<number, number>();
let wrongAnswers = 0;
const loadStarted = performance.now();
const result = await autocannon({
  url: api.baseUrl,
  connections: CONNECTIONS,
  amount: bodies.length - WARM_UP,
  timeout: 60,
  requests: [
    {
      method: 'POST',
      path: `/api/elections/${electionId}/ballots`,
      headers: { 'content-type': 'application/json' },
      // Past the end (autocannon may prepare one request ahead) a ballot is sent again: answered 200, same receipt.
      setupRequest: (request) => ({ ...request, body: bodies[cursor < bodies.length ? cursor++ : WARM_UP] }),
      onResponse: (status, body) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if ((status === 201 || status === 200) && !CastBallotResponse.safeParse(JSON.parse(body)).success) wrongAnswers++;
      },
    },
  ],
});
const loadSeconds = (performance.now() - loadStarted) / 1000;
isLoadDone = true;
finalSize = await headSize();
const loadEndedAt = performance.now();
const loadAtEnd = loadavg();
say(`autocannon: ${result['2xx']} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts in ${fmt(loadSeconds)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
const [audits, verifications] = await Promise.all([auditor, verifier]);
say(`followers caught up: auditor ${audits.length} runs, verifier ${verifications.length} runs`);

// ---- 5. close, 2-of-3 tally, result = plain tally of the last ballots
const officer = rebase(sim.officer, api.baseUrl);
await officer.json(officer.post(`/api/official/elections/${electionId}/close`));
const tallyStarted = performance.now();
const tally = await tallyAndWait(officer, electionId);
const fingerprint = fromHexString(sim.election.fingerprint!);
let state = tally;
for (const trustee of sim.trustees.slice(1, 3)) {
  const client = rebase(trustee.client, api.baseUrl);
  state = TallyState.parse(await client.json(client.post(`/api/trustee/elections/${electionId}/partial-decryption`, trustee.partialDecryption(tally, fingerprint))));
}
const tallySeconds = (performance.now() - tallyStarted) / 1000;
const isResultRight = state.status === 'published' && sameTally(state.result as Tally, prepared.expected);
await waitForPublished();
const { stdout: finalVerify } = await tsx('packages/verifier', ['src/cli/main.ts', `${api.baseUrl}/api/elections/${electionId}/record`, '--progress', 'none', '--json']);
await api.stop();
const finalReport = JSON.parse(finalVerify) as { isValid: boolean; entries: number };

// ---- report
const lagRows = (name: string, samples: FollowSample[]) => {
  const during = samples.filter((s) => s.endedAt <= loadEndedAt);
  const caughtUp = samples.find((s) => s.size >= finalSize)!;
  const behind = during.map((s) => Number(s.head - s.size));
  return [
    name,
    samples.length,
    fmt(samples.reduce((a, s) => a + s.seconds, 0) / samples.length),
    behind.length ? Math.max(...behind) : 'n/a',
    behind.length ? Math.round(behind.reduce((a, b) => a + b, 0) / behind.length) : 'n/a',
    fmt((caughtUp.endedAt - loadEndedAt) / 1000),
  ];
};
const created = statuses.get(201) ?? 0;
const markdown = [
  `A ${VOTERS.toLocaleString('en-GB')}-elector election (1 contest × 5 options, 2-of-3 trustees) set up with the simulator (apps/api/simulate) on Postgres; ` +
    `${bodies.length.toLocaleString('en-GB')} ballots encrypted ahead of time (${BALLOTS_PER_VOTER} per voter); then the API as its own process (\`NODE_ENV=production\`, tsx, the two local witnesses, quorum 2) ` +
    `and, after ${WARM_UP} warm-up ballots sent one by one (not in the table), autocannon casting each other ballot once over ${CONNECTIONS} keep-alive connections from another process, while the auditor CLI and the verifier CLI (\`--state\`, incremental) followed the election log in a loop. ` +
    `Setup took ${fmt(setupSeconds, 0)} s. Load average (1/5/15 min) at the start ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')}, at the end of the load ${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')}.`,
  '',
  markdownTable(
    ['ballots sent', 'accepted (201)', 'already recorded (200)', 'non-2xx', 'errors', 'timeouts', 'seconds', 'ballots/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
    [[result.requests.total, created, statuses.get(200) ?? 0, result.non2xx, result.errors, result.timeouts, fmt(loadSeconds), fmt(created / loadSeconds), result.latency.p50, result.latency.p90, result.latency.p99, result.latency.max]],
  ),
  '',
  `Followers (each a CLI process run again ${FOLLOW_PAUSE_MS / 1000} s after its previous run ended; "behind" = log entries not yet checked when a run ended, sampled during the load):`,
  '',
  markdownTable(['follower', 'runs', 'mean run s', 'max behind', 'mean behind', 'caught up s after the load'], [lagRows('auditor (`townhall-audit`)', audits), lagRows('verifier (`townhall-verify --state`)', verifications)]),
  '',
  `${unvouchedTailRuns} of the ${verifications.length} verifier runs read a record whose last entries were not yet covered by a published checkpoint (\`ledger.consistency\` fails with "entries beyond it are not vouched for"; since the record of an open election stops at the latest published checkpoint, this should stay 0).`,
  '',
  `Then: close, aggregation and 2 partial decryptions in ${fmt(tallySeconds)} s; published result ${isResultRight ? 'equals' : '**differs from**'} the plain tally of the voters' last ballots; ` +
    `the final record (${finalReport.entries} entries) ${finalReport.isValid ? 'verifies' : '**does not verify**'} with \`townhall-verify\`.` +
    (wrongAnswers > 0 ? ` ${wrongAnswers} 2xx answers were not valid cast responses.` : ''),
].join('\n');
// Smaller runs (LOAD_VOTERS) are for trying the script out: printed, not recorded.
if (VOTERS >= 10_000) writeBenchSection('load-10k', `Load: a ${VOTERS.toLocaleString('en-GB')}-elector election under HTTP load`, markdown);
process.stdout.write(`${markdown}\n`);
rmSync(dir, { recursive: true, force: true });
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
await admin.end();
if (!isResultRight || !finalReport.isValid || result.non2xx > 0 || result.errors > 0) process.exitCode = 1;
