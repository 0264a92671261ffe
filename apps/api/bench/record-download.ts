/**
 * Record download benchmark (section `record-download` of docs/benchmarks.md): how fast
 * GET /api/elections/:id/record streams the election record of a real election.
 *
 * The election is made by the simulator (apps/api/simulate) on Postgres (TEST_DATABASE_URL: a
 * scratch database is created and dropped): BENCH_RECORD_VOTERS electors (default 2,000) enrol,
 * 90 % obtain a credential and vote. The record is then downloaded BENCH_RECORD_RUNS times
 * (default 3) over HTTP from the in-process server and counted as it arrives, never held; the time
 * to the `registry-checkpoint` line splits the election-log part from the registry part (registry
 * entries with inclusion proofs). The last download is kept and checked by packages/verifier.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseRecord, verifyRecord } from '@townhall/verifier';
import { logger } from '../src/common/logger.ts';
import {
  castBallots,
  closeElection,
  computeTally,
  decryptAndPublish,
  downloadRecord,
  finish,
  setUpElection,
  startSimulationServer,
  waitForPublishedCheckpoint,
} from '../simulate/index.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const VOTERS = Number(process.env.BENCH_RECORD_VOTERS ?? 2000);
const RUNS = Number(process.env.BENCH_RECORD_RUNS ?? 3);
const REGISTRY_MARKER = Buffer.from('{"kind":"registry-checkpoint"');

if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL (a Postgres server; a scratch database is created and dropped)');
logger.level = 'silent';
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const mib = (bytes: number) => bytes / 2 ** 20;
const quiet = () => undefined;

interface Download {
  bytes: number;
  seconds: number;
  /** Seconds until the registry part began (after every election-log entry and checkpoint). */
  electionLogSeconds: number;
  peakRssMiB: number;
}

async function timeDownload(url: string): Promise<Download> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => void (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    const response = await fetch(url);
    if (response.status !== 200 || !response.body) throw new Error(`GET record answered ${response.status}`);
    let bytes = 0;
    let electionLogMs: number | undefined;
    let tail = Buffer.alloc(0);
    for await (const chunk of Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>) as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      if (electionLogMs === undefined) {
        // The marker may straddle two chunks: look in the end of the last one too.
        const window = Buffer.concat([tail, chunk]);
        if (window.includes(REGISTRY_MARKER)) electionLogMs = performance.now() - started;
        tail = window.subarray(Math.max(0, window.length - REGISTRY_MARKER.length));
      }
    }
    const ms = performance.now() - started;
    return { bytes, seconds: ms / 1000, electionLogSeconds: (electionLogMs ?? ms) / 1000, peakRssMiB: mib(peakRss) };
  } finally {
    clearInterval(sampler);
  }
}

const server = await startSimulationServer({ databaseUrl: process.env.TEST_DATABASE_URL, logLevel: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'townhall-bench-record-'));
try {
  const setUpStarted = performance.now();
  const sim = await setUpElection({ voters: VOTERS, contests: 1, options: 5, server, log: quiet });
  try {
    const cast = await castBallots(sim, {});
    await closeElection(sim);
    await decryptAndPublish(sim, await computeTally(sim));
    const logSize = await waitForPublishedCheckpoint(sim);
    const setUpSeconds = (performance.now() - setUpStarted) / 1000;
    process.stdout.write(`election of ${VOTERS} electors ready in ${setUpSeconds.toFixed(0)} s (${logSize} entries)\n`);

    const url = `${server.baseUrl}/api/elections/${sim.election.id}/record`;
    const loadAtStart = load();
    const rssBefore = mib(process.memoryUsage().rss);
    const runs: Download[] = [];
    for (let run = 0; run < RUNS; run++) {
      runs.push(await timeDownload(url));
      const r = runs.at(-1)!;
      process.stdout.write(`download ${run + 1}: ${mib(r.bytes).toFixed(1)} MiB in ${r.seconds.toFixed(2)} s (${(mib(r.bytes) / r.seconds).toFixed(1)} MiB/s)\n`);
    }
    const loadAtEnd = load();

    // The observer's check of what was served (kept once on disk, read whole by the verifier).
    const file = join(dir, 'record.jsonl');
    await downloadRecord(sim, file);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const end = JSON.parse(lines.at(-2)!) as { entries: string; checkpoints: number; registryEntries: number };
    const verifyStarted = performance.now();
    const report = await verifyRecord(await parseRecord(text));
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

    const markdown = [
      `A real election made by the simulator on Postgres: ${VOTERS.toLocaleString('en-GB')} electors enrolled, ${sim.voters.length.toLocaleString('en-GB')} obtained a credential and voted (${cast.ballotsCast.toLocaleString('en-GB')} ballots cast, ${cast.spoiled} spoiled), set up in ${setUpSeconds.toFixed(0)} s. Its record: ${Number(end.entries).toLocaleString('en-GB')} election-log entries, ${end.checkpoints} checkpoints, ${end.registryEntries.toLocaleString('en-GB')} registry entries with inclusion proofs, ${mib(runs[0]!.bytes).toFixed(1)} MiB.`,
      `Each download is \`GET /api/elections/:id/record\` over HTTP from the in-process server (client and server share the process), counted as it arrives; "election log" is the time until the \`registry-checkpoint\` line, "registry" the rest (one query per page of 1,000 registry entries, and one read of the tree nodes for that page's inclusion proofs).`,
      `Load average (1 / 5 / 15 min) at the start: ${loadAtStart}; at the end: ${loadAtEnd} — the machine is shared, so times vary with the others' work.`,
      '',
      markdownTable(
        ['download', 'MiB', 'seconds', 'MiB/s', 'election log (s)', 'registry (s)', 'peak RSS (MiB)'],
        runs.map((r, i) => [
          i + 1,
          mib(r.bytes).toFixed(1),
          `**${r.seconds.toFixed(2)}**`,
          (mib(r.bytes) / r.seconds).toFixed(1),
          r.electionLogSeconds.toFixed(2),
          (r.seconds - r.electionLogSeconds).toFixed(2),
          r.peakRssMiB.toFixed(0),
        ]),
      ),
      '',
      `Resident memory of the process (server, witnesses, simulator) ${rssBefore.toFixed(0)} MiB before the first download. The downloaded record ${failed.length === 0 ? 'verifies' : `FAILS verification (${failed.join(', ')})`} with packages/verifier (${verifySeconds.toFixed(1)} s).`,
    ].join('\n');
    writeBenchSection('record-download', `Record download: a ${VOTERS.toLocaleString('en-GB')}-elector election`, markdown);
    process.stdout.write(`${markdown}\n`);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await finish(sim);
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
