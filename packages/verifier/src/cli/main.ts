#!/usr/bin/env -S npx tsx
/**
 * townhall-verify <file-or-url> [--json] [--workers N] [--state file] [--progress auto|json|none]:
 * verifies an election record (docs/protocol/record.md) or a contract record
 * (docs/protocol/contracts.md §12, told apart by the first line's format) as it streams in. Progress goes to stderr
 * (a progress bar on a terminal, a line every few seconds otherwise, or with --progress json one
 * JSON object per event with the milliseconds since the start), the summary (or with --json the report) to
 * stdout. Exit status: 0 when every check that could run passed, 1 when one failed, 2 for a usage
 * or reading error. Node only: the browser entry never imports this.
 */
import { createReadStream, existsSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { CONTRACT_RECORD_FORMAT, peekRecordFormat, verifyContractRecordSource, verifyRecordSource, type ProgressEvent, type VerificationReport, type VerifierState } from '../index.ts';
import { createThreadPool } from '../node.ts';
import type { ProofPool } from '../pool.ts';

const USAGE = 'usage: townhall-verify <record file or URL> [--json] [--workers N] [--state file] [--progress auto|json|none]\n';

async function openSource(target: string): Promise<{ source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>; bytes?: number }> {
  if (/^https?:\/\//.test(target)) {
    const response = await fetch(target);
    if (!response.ok || !response.body) throw new Error(`GET ${target}: HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length'));
    return { source: response.body, ...(length > 0 ? { bytes: length } : {}) };
  }
  const bytes = statSync(target).size;
  return { source: createReadStream(target, { highWaterMark: 1 << 20 }), bytes };
}

function summary(report: VerificationReport): string {
  const subject = report.contractId !== undefined ? `Contract ${report.contractId ?? '(unknown)'}` : `Election ${report.electionId ?? '(unknown)'}`;
  const lines = [`${subject}: ${report.entries} ledger entries`, ''];
  // Warnings come first and again with the verdict: a valid record of a demonstration is no real election.
  const warnings = report.warnings.map((w) => `WARNING (${w.code}): ${w.message}`);
  if (warnings.length > 0) lines.push(...warnings, '');
  const mark = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;
  for (const check of report.checks) {
    lines.push(`${mark[check.status]}  ${check.id.padEnd(28)} ${String(check.checked).padStart(7)}  ${check.title}`);
    for (const failure of check.failures) lines.push(`        ✗ ${failure.message}${failure.evidence ? `  ${JSON.stringify(failure.evidence)}` : ''}`);
    if (check.note && check.status !== 'fail') lines.push(`        · ${check.note}`);
  }
  if (report.result) {
    lines.push('', 'Result (recomputed from the aggregate and the partial decryptions):');
    for (const contest of report.result) lines.push(`  ${contest.contestId}: ${contest.counts.map((c) => `${c.optionId} ${c.count}`).join(', ')}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const verdict = report.isValid ? 'VERIFIED: every check that applies passed.' : `NOT VERIFIED: ${failed} check(s) failed.`;
  const see = `${report.isValid ? 'BUT SEE' : 'SEE ALSO'} THE WARNING${warnings.length === 1 ? '' : 'S'}:`;
  lines.push('', warnings.length > 0 ? `${verdict} ${see}` : verdict, ...warnings);
  return `${lines.join('\n')}\n`;
}

/** Progress on stderr: a bar of the bytes (or entries) read with the latest step on a terminal, plain lines every few seconds otherwise. */
function progressReporter(bytes: number | undefined, mode: string): { onProgress: (event: ProgressEvent) => void; line: (text: string) => void; stop: () => void } {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const latest = new Map<string, string>();
  if (mode === 'none') return { onProgress: () => {}, line: () => {}, stop: () => {} };
  if (mode === 'json') {
    const write = (event: object) => process.stderr.write(`${JSON.stringify({ ms: Math.round(performance.now() - started), ...event })}\n`);
    return { onProgress: write, line: (message) => write({ message }), stop: () => {} };
  }
  if (process.stderr.isTTY) {
    // The bytes read when the source's size is known (a file, a download with a length); otherwise
    // the entries read, out of the number the record line announces.
    const bar = new cliProgress.SingleBar(
      { format: ' {bar} {percentage}% | {value}/{total} {unit} | {step}', stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let total = bytes === undefined ? 1 : Math.max(1, Math.ceil(bytes / 2 ** 20));
    bar.start(total, 0, { step: 'reading', unit: bytes === undefined ? '' : 'MiB' });
    return {
      onProgress: (event) => {
        if (event.check === 'read') {
          if (bytes !== undefined) bar.update(Math.min(total, Math.floor(event.done / 2 ** 20)), { step: latest.get('last') ?? 'reading' });
          return;
        }
        latest.set('last', event.message);
        if (bytes === undefined && event.check === 'ledger.entries' && event.total !== undefined) {
          if (event.total !== total) bar.setTotal((total = Math.max(1, event.total)));
          bar.update(Math.min(total, event.done), { step: event.message, unit: 'entries' });
        } else bar.update({ step: event.message });
      },
      line: (text) => bar.update({ step: text }),
      stop: () => {
        bar.update(total);
        bar.stop();
      },
    };
  }
  let last = 0;
  const flush = (force = false) => {
    if (!force && performance.now() - last < 5000) return;
    last = performance.now();
    if (latest.size > 0) process.stderr.write(`[${seconds()}s] ${[...latest.values()].join(' · ')}\n`);
  };
  return {
    onProgress: (event) => {
      latest.set(event.check, event.message);
      flush();
    },
    line: (text) => process.stderr.write(`[${seconds()}s] ${text}\n`),
    stop: () => flush(true),
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: 'boolean' }, workers: { type: 'string' }, state: { type: 'string' }, progress: { type: 'string', default: 'auto' } } });
  } catch {
    process.stderr.write(USAGE);
    return 2;
  }
  const { positionals, values } = options;
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (positionals.length !== 1 || !Number.isInteger(workers) || workers < 0 || !['auto', 'json', 'none'].includes(values.progress)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const target = positionals[0]!;
  let pool: ProofPool | undefined;
  let report: VerificationReport;
  let progress: ReturnType<typeof progressReporter> | undefined;
  try {
    const resume = values.state && existsSync(values.state) ? (JSON.parse(readFileSync(values.state, 'utf8')) as VerifierState) : undefined;
    const opened = await openSource(target);
    const bytes = opened.bytes;
    const { format, source } = await peekRecordFormat(opened.source);
    progress = progressReporter(bytes, values.progress);
    if (format === CONTRACT_RECORD_FORMAT) {
      // A contract record is checked in one pass on this thread: no ballots to spread, nothing to resume.
      if (values.state) throw new Error('--state resumes election records only; a contract record is verified whole');
      progress.line(`reading ${target} (a contract record)`);
      report = await verifyContractRecordSource(source, { onProgress: progress.onProgress });
      progress.stop();
      progress.line(`read ${report.entries} entries`);
    } else {
      progress.line(`reading ${target}${resume ? `, resuming after entry ${resume.ledger.entries - 1}` : ''}${workers > 0 ? ` with ${workers} worker thread(s)` : ''}`);
      pool = workers > 0 ? createThreadPool(workers) : undefined;
      const run = await verifyRecordSource(source, { onProgress: progress.onProgress, ...(pool ? { pool } : {}), ...(resume ? { resume } : {}), ...(bytes !== undefined ? { totalBytes: bytes } : {}) });
      progress.stop();
      report = run.report;
      progress.line(`read ${report.entries} entries`);
      if (values.state) {
        // Written beside and renamed, so an interrupted write never leaves a half state behind.
        writeFileSync(`${values.state}.partial`, JSON.stringify(run.state));
        renameSync(`${values.state}.partial`, values.state);
      }
    }
  } catch (error) {
    progress?.stop();
    process.stderr.write(`townhall-verify: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await pool?.close();
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
  return report.isValid ? 0 : 1;
}

// Run when started as a program: directly, through `npm run verify`, or through the
// `townhall-verify` link that npm puts in node_modules/.bin (hence realpath).
const startedAs = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (startedAs === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
