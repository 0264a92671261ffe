/**
 * Verifier benchmark (issue 7): a whole record verified through the CLI path (`townhall-verify
 * --workers N`, streamed, proofs in worker threads) in a child process measured by /usr/bin/time
 * (wall time, CPU time, peak RSS of the process, worker threads included), with the time span of
 * each check taken from the CLI's JSON progress events; then ballot-proof verification one by one
 * vs. batched (crypto.md §7) on a few ballots. Writes its section of docs/benchmarks.md.
 *
 *   npm run bench -w @townhall/verifier -- [record.jsonl]     (or TOWNHALL_BENCH_RECORD=…)
 *   BENCH_WORKERS=2 (default), BENCH_BALLOTS=48 (the batching comparison; 0 skips it),
 *   BENCH_SECTION=verifier (default; another id keeps a record of another size in its own section)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { fromBase64, fromHex } from '../src/bytes.ts';
import { decodeEntry } from '../src/entry.ts';
import { Point, batchHolds, holds, type Equation } from '../src/group.ts';
import { ballotProofs } from '../src/proof-jobs.ts';
import { makeBallot } from '../test/prover.ts';
import { FIXTURE, fmtLoad, packageDir, runCli, seconds, type Run } from './cli-run.ts';

const CANDIDATES = ['/tmp/townhall-bench/record-100k.jsonl', '/tmp/townhall-bench/record-10k.jsonl', FIXTURE];
const recordPath = process.argv[2] ?? process.env.TOWNHALL_BENCH_RECORD ?? CANDIDATES.find((p) => existsSync(p))!;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const MICRO_BALLOTS = Number(process.env.BENCH_BALLOTS ?? 48);

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Per check: the span from its first to its last progress event (checks overlap: the record is streamed once). */
function spans(events: Run['events']): string[][] {
  const byCheck = new Map<string, { first: number; last: number; done: number }>();
  for (const e of events) {
    if (!e.check) continue;
    const span = byCheck.get(e.check) ?? { first: e.ms, last: e.ms, done: 0 };
    span.last = e.ms;
    span.done = Math.max(span.done, e.done);
    byCheck.set(e.check, span);
  }
  return [...byCheck].map(([check, s]) => [check, seconds(s.first), seconds(s.last), check === 'read' ? mib(s.done) : String(s.done)]);
}

const loadBefore = fmtLoad();
const size = statSync(recordPath).size;
process.stderr.write(`verifying ${recordPath} (${mib(size)}) with ${WORKERS} worker thread(s); load average ${loadBefore}\n`);
const run = await runCli(recordPath, ['--workers', String(WORKERS)]);
const loadAfter = fmtLoad();
const ballots = run.report.checks.find((c) => c.id === 'ballots.proofs')!.checked;
const credentials = run.report.checks.find((c) => c.id === 'credentials.issuance')!.checked;
const failed = run.report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

const sections: string[] = [];
sections.push(
  [
    `### Whole record through the CLI path (\`townhall-verify --workers ${WORKERS}\`)`,
    '',
    ...(/synthetic/.test(recordPath)
      ? ['**Synthetic stress record** (`bench/synthetic-record.ts`, no simulated election of this size was available): every ballot costs the verifier the full work, but the record is not a valid election (copied ciphertexts, credentials the issuer never signed, no cosignatures), so the failing checks below are expected.', '']
      : []),
    `Record \`${recordPath.replace(packageDir, 'packages/verifier/')}\`: ${mib(size)}, ${run.report.entries} entries, ${ballots} ballots, ${credentials} credentials; ` +
      `${run.report.isValid ? 'verified (every check passed)' : `NOT verified (${failed.join(', ')} failed)`}. Load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after: the machine is shared, so times vary with the others' work.`,
    '',
    markdownTable(
      ['measure', 'value'],
      [
        ['wall time', seconds(run.wallMs)],
        ['CPU time (user + system, all threads)', run.cpuSeconds === null ? 'n/a' : `${run.cpuSeconds.toFixed(1)} s`],
        ['peak RSS (whole process, worker threads included; GNU time)', run.peakRssBytes === null ? 'n/a' : mib(run.peakRssBytes)],
        ['ballots per second', (ballots / (run.wallMs / 1000)).toFixed(1)],
        ['exit status', String(run.exitCode)],
      ],
    ),
    '',
    'Time span of each check (first and last progress event; the checks overlap because the record is read once, ballots are checked in batches while reading goes on):',
    '',
    markdownTable(['check', 'first event', 'last event', 'done'], spans(run.events)),
  ].join('\n'),
);
if (ballots > 0 && ballots < 100_000) {
  const factor = 100_000 / ballots;
  sections.push(
    `**Extrapolation, not a measurement:** scaled linearly to 100,000 ballots (×${factor.toFixed(1)}) this run would take about ${seconds(run.wallMs * factor)} of wall time on the same machine and load` +
      (run.cpuSeconds === null ? '. ' : `, and ${(run.cpuSeconds * factor).toFixed(0)} s of CPU time, that is about ${seconds((run.cpuSeconds * factor * 1000) / Math.max(1, WORKERS))} on ${WORKERS} otherwise idle cores. `) +
      'Memory does not scale linearly: the state per voter is a few hundred bytes (digests, indices, last ciphertexts), the rest is the runtime and the batches in flight.',
  );
}

if (MICRO_BALLOTS > 0) {
  const fixture = readFileSync(FIXTURE, 'utf8');
  const entries = fixture.split('\n').filter((l) => l.startsWith('{"kind":"entry"')).map((l) => decodeEntry(fromBase64(JSON.parse(l).bytes)));
  const defined = entries.find((e) => e.type === 'ElectionDefined')!.body as { fingerprint: string; manifest: { contests: { id: string; minSelections: number; maxSelections: number; options: { id: string }[] }[] } };
  const fp = fromHex(defined.fingerprint);
  const K = Point.fromBytes(fromHex((entries.find((e) => e.type === 'ElectionKeyPublished')!.body as { electionKey: string }).electionKey));
  const contest = defined.manifest.contests[0]!;
  const ballotsMade = Array.from({ length: MICRO_BALLOTS }, (_, i) => makeBallot(fp, K, contest, i % contest.options.length));
  const time = <T>(work: () => T) => {
    const start = performance.now();
    const value = work();
    return { ms: performance.now() - start, value };
  };
  const built = time(() => ballotsMade.map((b) => ballotProofs(defined.manifest.contests, fp, K, b).equations));
  const all: Equation[] = built.value.flat();
  const oneByOne = time(() => all.every(holds));
  const batched = time(() => batchHolds(all));
  if (!oneByOne.value || !batched.value) throw new Error('benchmark ballots do not verify');
  const perBallot = (ms: number) => `${(ms / MICRO_BALLOTS).toFixed(2)} ms`;
  sections.push(
    [
      `### Ballot proofs: one by one vs. batched (${MICRO_BALLOTS} ballots, 1 contest × ${contest.options.length} options, one thread)`,
      '',
      markdownTable(
        ['step', 'total', 'per ballot'],
        [
          ['decode, Fiat–Shamir, scalar checks', `${built.ms.toFixed(0)} ms`, perBallot(built.ms)],
          [`group equations one by one (${all.length})`, `${oneByOne.ms.toFixed(0)} ms`, perBallot(oneByOne.ms)],
          ['group equations batched (one weighted MSM)', `${batched.ms.toFixed(0)} ms`, perBallot(batched.ms)],
        ],
      ),
    ].join('\n'),
  );
}

const markdown = sections.join('\n\n');
// BENCH_SECTION keeps records of other sizes in their own sections (e.g. verifier-50k).
const SECTION = process.env.BENCH_SECTION ?? 'verifier';
writeBenchSection(SECTION, SECTION === 'verifier' ? 'Observer verifier (packages/verifier)' : `Observer verifier (packages/verifier): ${ballots.toLocaleString('en-GB')} ballots`, markdown);
process.stdout.write(`${markdown}\n`);
