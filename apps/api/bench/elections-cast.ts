/**
 * Elections benchmark (section `elections-cast` of docs/benchmarks.md), against the real HTTP API on
 * real Postgres (TEST_DATABASE_URL: a scratch database is created and dropped):
 *   1. credential issuance: POST /elections/:id/credentials (passkey assertion check, RFC 9474 blind
 *      signature with the 3072-bit key, CredentialIssued append), 16 concurrent residents;
 *   2. cast throughput with pre-generated ballots (1 contest × 5 options) at 1, 16 and 64 concurrent
 *      clients (closed loop), with p50/p99 latency, and an open-loop run at a fixed 50 ballots/s;
 *   3. tally (aggregation + 1-of-1 decryption) of every ballot cast here.
 * The load generator runs in the same process as the server (it only sends prepared JSON).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { performance as nodePerformance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { CastBallotResponse, CredentialChallengeResponse, CredentialResponse, TallyState, fromHexString } from '@townhall/protocol';
import { finalizeCredential } from '@townhall/crypto';
import { logger } from '../src/common/logger.ts';
import { startIdentityApp } from '../test/identity-support/flows.ts';
import { credentialRequestBody, prepareBallot, tallyAndWait, type VoterCredential } from '../test/elections-support.ts';
import { enrolResidents, openElectionWithOneTrustee } from '../test/election-fixture.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

/** Residents who obtain a credential (the issuance run); the first CAST_VOTERS of them also cast. */
const VOTERS = Number(process.env.BENCH_VOTERS ?? 1200);
const CAST_VOTERS = Math.min(VOTERS, Number(process.env.BENCH_CAST_VOTERS ?? 400));
const BALLOTS_PER_VOTER = Number(process.env.BENCH_BALLOTS_PER_VOTER ?? 8);
const SECONDS = Number(process.env.BENCH_CAST_SECONDS ?? 6);

logger.level = 'silent';
const app = await startIdentityApp('postgres', { TOWNHALL_LOG_LEVEL: 'silent' });
/** Sends the requests from a worker thread (bench/load-thread.mjs), `concurrency` at a time. */
function runLoadThread(requests: { url: string; method: string; headers: Record<string, string>; body: string }[], concurrency: number): Promise<{ status: number; body: string; ms: number }[]> {
  const worker = new Worker(new URL('./load-thread.mjs', import.meta.url), { workerData: { requests, concurrency } });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { results: { status: number; body: string; ms: number }[] }) => resolve(message.results));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load thread exited with ${code}`))));
  });
}
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const fmt = (x: number) => x.toFixed(1);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');

/**
 * Load-independent measures of one phase: CPU time of this process (all its threads: the server, its
 * verification worker and the load generator) per operation, and how busy the main thread's event
 * loop was. With BENCH_CPU_PROFILE=<dir>, the main thread is also profiled (one .cpuprofile per phase).
 */
async function measured<T>(name: string, run: () => Promise<T>): Promise<{ value: T; cpuMs: number; loopBusy: number }> {
  const profileDir = process.env.BENCH_CPU_PROFILE;
  const session = profileDir ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu = process.cpuUsage();
  const loop = nodePerformance.eventLoopUtilization();
  const value = await run();
  const used = process.cpuUsage(cpu);
  const loopBusy = nodePerformance.eventLoopUtilization(loop).utilization;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${profileDir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
  return { value, cpuMs: (used.user + used.system) / 1000, loopBusy };
}

try {
  // ---- an election with one software trustee (k = 1), open at once; residents enrolled with software passkeys
  const { election, officer, member, trustee } = await openElectionWithOneTrustee(app);
  const residents = await enrolResidents(app, VOTERS, 'BENCH');

  const loadAtStart = load();
  // ---- 1. credential issuance: nonces and blinded requests prepared first, then only the POSTs are timed
  const prepared: { r: (typeof residents)[number]; body: Awaited<ReturnType<typeof credentialRequestBody>> }[] = [];
  for (const r of residents) {
    const challenge = CredentialChallengeResponse.parse(await r.client.json(r.client.post(`/api/elections/${election.id}/credential-challenge`)));
    prepared.push({ r, body: await credentialRequestBody(r.authenticator, challenge) });
  }
  // The voter's side of issuance (unblinding and checking the signature: ~4 ms of JavaScript bigint
  // work each) is done after the timed part; the requests are sent from a load-generator thread, so
  // this process's event loop only serves them.
  const requests = prepared.map(({ r, body }) => ({
    url: `${app.baseUrl}/api/elections/${election.id}/credentials`,
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `townhall_session=${r.client.cookie}`, origin: r.client.origin, 'x-csrf-token': r.client.csrfToken! },
    body: JSON.stringify(body.request),
  }));
  let issueStarted = 0;
  const issuance = await measured('issuance', () => {
    issueStarted = performance.now();
    return runLoadThread(requests, 16);
  });
  const issueSeconds = (performance.now() - issueStarted) / 1000;
  const issued = issuance.value.map((result, i) => {
    if (result.status !== 201) throw new Error(`credential request answered ${result.status}: ${result.body}`);
    return { body: prepared[i]!.body, blindSignature: CredentialResponse.parse(JSON.parse(result.body)).blindSignature };
  });
  const issueLatencies = issuance.value.map((result) => result.ms).sort((a, b) => a - b);
  const voters: VoterCredential[] = [];
  for (const { body, blindSignature } of issued) voters.push({ keys: body.keys, credential: await finalizeCredential(body.issuerKey, body.pending, fromHexString(blindSignature)) });

  // ---- 2. cast throughput
  const options = ['ada', 'grace', 'alan', 'barbara', 'edsger'];
  const ballots = voters.slice(0, CAST_VOTERS).flatMap((voter, v) => Array.from({ length: BALLOTS_PER_VOTER }, (_, b) => JSON.stringify(prepareBallot(election, voter, { mayor: [options[(v + b) % 5]!] }).request)));
  // Preparing blocks the event loop for a while: let idle keep-alive sockets the server closed meanwhile be noticed.
  await new Promise((resolve) => setTimeout(resolve, 200));
  let cursor = 0;
  const url = `${app.baseUrl}/api/elections/${election.id}/ballots`;
  const castOne = async (): Promise<number> => {
    const body = ballots[cursor++];
    if (!body) throw new Error('out of pre-generated ballots: raise BENCH_VOTERS or BENCH_BALLOTS_PER_VOTER');
    const t0 = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    CastBallotResponse.parse(await response.json());
    if (response.status !== 201) throw new Error(`cast answered ${response.status}`);
    return performance.now() - t0;
  };
  const rows: (string | number)[][] = [];
  const cpuOf = (row: { cpuMs: number; loopBusy: number }, count: number) => [fmt(row.cpuMs / count), `${Math.round(row.loopBusy * 100)} %`];
  for (const clients of [1, 16, 64]) {
    const latencies: number[] = [];
    let started = 0;
    const run = await measured(`cast-${clients}`, () => {
      started = performance.now();
      const deadline = started + SECONDS * 1000;
      return Promise.all(Array.from({ length: clients }, async () => {
        while (performance.now() < deadline) latencies.push(await castOne());
      }));
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    rows.push([`${clients} concurrent (closed loop)`, latencies.length, fmt(latencies.length / seconds), fmt(quantile(latencies, 0.5)), fmt(quantile(latencies, 0.99)), ...cpuOf(run, latencies.length)]);
  }
  {
    // Open loop: one ballot every 20 ms regardless of answers.
    const latencies: number[] = [];
    let started = 0;
    const run = await measured('cast-fixed-50', async () => {
      started = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < 50 * SECONDS; i++) {
        const due = started + i * 20;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        inflight.push(castOne().then((l) => void latencies.push(l)));
      }
      await Promise.all(inflight);
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    rows.push(['fixed 50 ballots/s (open loop)', latencies.length, fmt(latencies.length / seconds), fmt(quantile(latencies, 0.5)), fmt(quantile(latencies, 0.99)), ...cpuOf(run, latencies.length)]);
  }

  // ---- 3. tally of everything cast
  await officer.client.json(officer.client.post(`/api/official/elections/${election.id}/close`));
  const cast = cursor;
  const tallyStarted = performance.now();
  const tally = await tallyAndWait(officer.client, election.id);
  const aggregateMs = performance.now() - tallyStarted;
  const decryptStarted = performance.now();
  const done = TallyState.parse(await member.client.json(member.client.post(`/api/trustee/elections/${election.id}/partial-decryption`, trustee.partialDecryption(tally, fromHexString(election.fingerprint!)))));
  const decryptMs = performance.now() - decryptStarted;
  if (done.status !== 'published') throw new Error('result not published');
  const counted = done.result![0]!.counts.reduce((a, c) => a + c.count, 0);

  const markdown = [
    `Full HTTP API on Postgres, ${VOTERS} enrolled residents with software passkeys (all obtain a credential; ${CAST_VOTERS} of them cast), 1 contest × 5 options, 1-of-1 trustee. Load average (1 / 5 / 15 min) when the timed part started: ${loadAtStart}; at the end: ${load()}. "Process CPU" is the CPU time of the whole process (server, its verification worker and the load generator, which runs in the same process) per operation: unlike the rates, it hardly depends on how busy the machine is.`,
    '',
    `**Credential issuance** (passkey assertion + RFC 9474 blind signature, 3072-bit, + CredentialIssued append; the client's unblinding is done after the timed part), 16 concurrent from a load-generator thread (its CPU is in "process CPU"; the main thread only serves): ${prepared.length} credentials in ${issueSeconds.toFixed(2)} s = **${fmt(prepared.length / issueSeconds)}/s**, p50 ${fmt(quantile(issueLatencies, 0.5))} ms, p99 ${fmt(quantile(issueLatencies, 0.99))} ms (target ≥ 200/s); process CPU ${fmt(issuance.cpuMs / prepared.length)} ms per credential, main thread busy ${Math.round(issuance.loopBusy * 100)} %.`,
    '',
    `**Casting** (credential, ballot signature and proofs verified — proofs batched across concurrent requests — and BallotCast durably appended before the answer), ${SECONDS} s per row:`,
    '',
    markdownTable(['load', 'ballots', 'ballots/s', 'p50 ms', 'p99 ms', 'process CPU ms / ballot', 'main thread busy'], rows),
    '',
    `Targets: ≥ 100 ballots/s; p99 ≤ 1 s at 50 ballots/s.`,
    '',
    `**Tally** of the ${cast} ballots cast above (${tally.countedBallots} counted: last per ballot key): aggregation ${fmt(aggregateMs)} ms; partial decryption check + combination + BSGS + ResultPublished ${fmt(decryptMs)} ms; counted total in the result ${counted}. The 100,000-ballot tally is measured separately (bench/elections-tally.ts).`,
  ].join('\n');
  writeBenchSection('elections-cast', 'Elections: credential issuance, casting, tally', markdown);
  process.stdout.write(`${markdown}\n`);
} finally {
  await app.destroy();
}
