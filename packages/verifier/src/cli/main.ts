#!/usr/bin/env -S npx tsx
/**
 * townhall-verify <file-or-url> [--json]: verifies an election record (docs/protocol/record.md).
 * Progress goes to stderr, the summary (or with --json the report) to stdout; the exit status is
 * 0 only when every check that could run passed. Node only: the browser entry never imports this.
 */
import { createReadStream, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRecord, verifyRecord, type VerificationReport } from '../index.ts';

const USAGE = 'usage: townhall-verify <record file or URL> [--json]\n';

async function openSource(target: string): Promise<AsyncIterable<string | Uint8Array>> {
  if (/^https?:\/\//.test(target)) {
    const response = await fetch(target);
    if (!response.ok || !response.body) throw new Error(`GET ${target}: HTTP ${response.status}`);
    return response.body as unknown as AsyncIterable<Uint8Array>;
  }
  return createReadStream(target);
}

function summary(report: VerificationReport): string {
  const lines = [`Election ${report.electionId ?? '(unknown)'}: ${report.entries} ledger entries`, ''];
  const mark = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;
  for (const check of report.checks) {
    lines.push(`${mark[check.status]}  ${check.id.padEnd(28)} ${String(check.checked).padStart(5)}  ${check.title}`);
    for (const failure of check.failures) lines.push(`        ✗ ${failure.message}${failure.evidence ? `  ${JSON.stringify(failure.evidence)}` : ''}`);
    if (check.note && check.status !== 'fail') lines.push(`        · ${check.note}`);
  }
  if (report.result) {
    lines.push('', 'Result (recomputed from the aggregate and the partial decryptions):');
    for (const contest of report.result) lines.push(`  ${contest.contestId}: ${contest.counts.map((c) => `${c.optionId} ${c.count}`).join(', ')}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  lines.push('', report.isValid ? 'VERIFIED: every check that applies passed.' : `NOT VERIFIED: ${failed} check(s) failed.`);
  return `${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const targets = argv.filter((a) => a !== '--json');
  if (targets.length !== 1 || targets[0]!.startsWith('-')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const started = performance.now();
  const progress = (step: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${step}\n`);
  let report: VerificationReport;
  try {
    progress(`reading ${targets[0]}`);
    const record = await parseRecord(await openSource(targets[0]!));
    progress(`read ${record.entries.length} entries, ${record.checkpoints.length} checkpoints`);
    report = await verifyRecord(record, progress);
  } catch (error) {
    process.stderr.write(`townhall-verify: ${(error as Error).message}\n`);
    return 2;
  }
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
  return report.isValid ? 0 : 1;
}

// Run when started as a program: directly, through `npm run verify`, or through the
// `townhall-verify` link that npm puts in node_modules/.bin (hence realpath).
const startedAs = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (startedAs === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
