/**
 * Resumed verification (issue 7: "can resume from a saved state to check only what is new"): the
 * record as it was served halfway through (its first half of entries, the checkpoints up to then),
 * verified from the start with `--state`; then the whole record resumed from that state; then the
 * whole record from the start, for comparison. Each is the CLI in a child process (bench/cli-run.ts).
 * Writes the `verifier-resume` section of docs/benchmarks.md.
 *
 *   npm run bench:resume -w @townhall/verifier -- [record.jsonl]     (BENCH_WORKERS=2 by default)
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { parseCheckpoint, parseNote } from '../src/note.ts';
import { FIXTURE, fmtLoad, packageDir, runCli, seconds, type Run } from './cli-run.ts';

const CANDIDATES = ['/tmp/townhall-bench/record-10k.jsonl', FIXTURE];
const recordPath = process.argv[2] ?? process.env.TOWNHALL_BENCH_RECORD ?? CANDIDATES.find((p) => existsSync(p))!;
const WORKERS = String(Number(process.env.BENCH_WORKERS ?? 2));

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function* lines(path: string): AsyncGenerator<string> {
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) if (line.length > 0) yield line;
}

/** How many entries the record has (its end line says so). */
async function entriesOf(path: string): Promise<number> {
  let entries = 0;
  for await (const line of lines(path)) if (line.startsWith('{"kind":"end"')) entries = Number(JSON.parse(line).entries);
  return entries;
}

/** The record as the server served it when the log had `size` entries (record.md §1). */
async function writePrefix(path: string, size: number, to: string): Promise<void> {
  const out = createWriteStream(to);
  let checkpoints = 0;
  const write = async (text: string) => {
    if (!out.write(`${text}\n`)) await once(out, 'drain');
  };
  for await (const line of lines(path)) {
    const value = JSON.parse(line) as { kind: string; index?: string; note?: string };
    if (value.kind === 'entry' && Number(value.index) >= size) continue;
    if (value.kind === 'checkpoint') {
      if (parseCheckpoint(parseNote(value.note!).text).size > BigInt(size)) continue;
      checkpoints++;
    }
    await write(value.kind === 'end' ? JSON.stringify({ ...value, entries: String(size), checkpoints }) : line);
  }
  out.end();
  await once(out, 'finish');
}

/** Ballots whose proofs this run verified (a resumed run's report also counts those verified before). */
const ballotsThisRun = (run: Run) => run.events.filter((e) => e.check === 'ballots.proofs').at(-1)?.done ?? 0;
const status = (run: Run) => (run.report.isValid ? 'verified' : `NOT verified (${run.report.checks.filter((c) => c.status === 'fail').map((c) => c.id).join(', ')})`);
const row = (name: string, run: Run, stateBytes: number) => [
  name,
  seconds(run.wallMs),
  run.cpuSeconds === null ? 'n/a' : `${run.cpuSeconds.toFixed(1)} s`,
  run.peakRssBytes === null ? 'n/a' : mib(run.peakRssBytes),
  String(run.report.entries),
  String(ballotsThisRun(run)),
  mib(stateBytes),
  status(run),
];
/** What the run said of the passkey assertions (its last credentials.issuance progress event). */
const passkeysMessage = (run: Run) => run.events.filter((e) => e.check === 'credentials.issuance').at(-1)?.message ?? '—';

const work = mkdtempSync(join(tmpdir(), 'townhall-resume-'));
try {
  const total = await entriesOf(recordPath);
  const half = Math.floor(total / 2);
  const prefixPath = join(work, 'prefix.jsonl');
  await writePrefix(recordPath, half, prefixPath);
  const statePath = join(work, 'state.json');
  const freshState = join(work, 'fresh-state.json');
  const loadBefore = fmtLoad();
  process.stderr.write(`resume benchmark on ${recordPath}: ${total} entries, the first ${half} verified first; load ${loadBefore}\n`);
  const prefix = await runCli(prefixPath, ['--workers', WORKERS, '--state', statePath]);
  const prefixStateSize = statSync(statePath).size;
  const resumed = await runCli(recordPath, ['--workers', WORKERS, '--state', statePath]);
  const resumedStateSize = statSync(statePath).size;
  const fresh = await runCli(recordPath, ['--workers', WORKERS, '--state', freshState]);
  const same = JSON.stringify(resumed.report) === JSON.stringify(fresh.report);
  const markdown = [
    `Record \`${recordPath.replace(packageDir, 'packages/verifier/')}\` (${mib(statSync(recordPath).size)}, ${total} entries). The record as served halfway (its first ${half} entries and the checkpoints up to them, ${mib(statSync(prefixPath).size)}) is verified from the start and its state saved with \`--state\`; then the whole record is verified resuming from that state; then the whole record from the start. \`townhall-verify --workers ${WORKERS}\`, each run a child process. Load average (1/5/15 min) ${loadBefore} before, ${fmtLoad()} after.`,
    '',
    markdownTable(
      ['run', 'wall time', 'CPU time', 'peak RSS', 'entries', 'ballots verified in this run', 'state saved', 'result'],
      [row('first half, from the start', prefix, prefixStateSize), row('whole record, resumed', resumed, resumedStateSize), row('whole record, from the start', fresh, statSync(freshState).size)],
    ),
    '',
    `Passkey assertions: first half "${passkeysMessage(prefix)}"; resumed "${passkeysMessage(resumed)}"; from the start "${passkeysMessage(fresh)}".`,
    '',
    `The resumed run's report is ${same ? 'byte for byte the report of the run from the start' : '**not** the same as the run from the start’s'}.`,
  ].join('\n');
  writeBenchSection('verifier-resume', 'Observer verifier (packages/verifier): resumed verification', markdown);
  process.stdout.write(`${markdown}\n`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
