// Reads the log of `npm test` (every workspace's vitest summary and Playwright's) and prints one
// closing line over all tiers: "N passed, N failed" (", N skipped" when some were skipped).
//   node .ci/summarize-tests.mjs test-output.log
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2] ?? 0, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
// The names of failing tests, printed again at the end with the first line of their error: the
// tail of the log is what a reader sees first (and sometimes all a reader gets).
const failures = new Map();
// A failing vitest report waiting for its error line ("Error: ...", "AssertionError: ...").
let awaitingReason;
// vitest's "Test Files  1 failed | 54 passed (55)" comes before its "Tests" line: a file whose
// hooks failed has no failed test (its tests are skipped), so it counts as one failure itself.
let failedFiles = 0;

for (const rawLine of log.split('\n')) {
  // turbo prefixes each line with "<workspace>:<task>: "
  const match = /^(?:(\S+):test:)?\s*(.*)$/.exec(rawLine);
  const workspace = match?.[1] ?? '';
  const line = match?.[2] ?? '';
  // vitest: " FAIL  test/a.test.ts > suite > name" (the failure report), "× name" (the list)
  const vitestFailure = /^(?:FAIL|×)\s+(.+?)(?:\s+\d+m?s)?$/.exec(line);
  if (vitestFailure) {
    const name = `${workspace ? `${workspace}: ` : ''}${vitestFailure[1]}`;
    if (!failures.has(name)) failures.set(name, '');
    awaitingReason = line.startsWith('FAIL') ? name : undefined;
    continue;
  }
  const reason = /^((?:\w*Error|Error)\b.*)$/.exec(line);
  if (reason && awaitingReason !== undefined) {
    if (!failures.get(awaitingReason)) failures.set(awaitingReason, reason[1].slice(0, 300));
    awaitingReason = undefined;
  }
  // Playwright: "  1) [desktop] › tests/a.spec.ts:12:3 › name"
  const playwrightFailure = /^\d+\) (\[[^\]]+\] › .+)$/.exec(line);
  if (playwrightFailure && workspace.includes('e2e')) {
    const name = `${workspace}: ${playwrightFailure[1]}`;
    if (!failures.has(name)) failures.set(name, '');
    awaitingReason = name;
    continue;
  }
  const files = /^Test Files\s+(\d+) failed/.exec(line);
  if (files) failedFiles = Number(files[1]);
  // vitest: "Tests  3 failed | 286 passed | 2 skipped (291)"
  const vitest = /^Tests\s+(.+?)\s+\(\d+\)\s*$/.exec(line);
  if (vitest) {
    const counts = Object.fromEntries([...vitest[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)].map((m) => [m[2], Number(m[1])]));
    passed += counts.passed ?? 0;
    failed += counts.failed ?? 0;
    if (!counts.failed && failedFiles > 0) failed += failedFiles;
    failedFiles = 0;
    skipped += (counts.skipped ?? 0) + (counts.todo ?? 0);
    rows.push(`${workspace || 'vitest'}: ${vitest[1]}`);
    continue;
  }
  // Playwright's list reporter: "16 passed (30.2s)", "2 failed", "1 flaky", "3 skipped"
  const playwright = /^(\d+) (passed|failed|flaky|skipped|did not run|interrupted)(?: \([\d.]+(?:ms|s|m|h)\))?$/.exec(line);
  if (playwright && workspace.includes('e2e')) {
    const n = Number(playwright[1]);
    if (playwright[2] === 'passed') passed += n;
    else if (playwright[2] === 'skipped' || playwright[2] === 'did not run') skipped += n;
    else failed += n;
    rows.push(`${workspace}: ${n} ${playwright[2]}`);
  }
}

for (const row of rows) console.log(row);
if (failures.size > 0) {
  console.log('failing tests:');
  for (const [failure, why] of [...failures].slice(0, 40)) console.log(`  ${failure}${why ? `\n      ${why}` : ''}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
