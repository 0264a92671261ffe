// Adds up the JSON reports every test tier writes (vitest per workspace, Playwright for e2e) and
// prints one closing line: "N passed, N failed" (", N skipped" when some were skipped).
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['apps', 'packages', 'e2e'];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];

function reportFiles() {
  const files = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    const dirs = root === 'e2e' ? [root] : readdirSync(root).map((name) => join(root, name)).filter((p) => statSync(p).isDirectory());
    for (const dir of dirs) {
      const reports = join(dir, '.reports');
      if (!existsSync(reports)) continue;
      for (const name of readdirSync(reports)) if (name.endsWith('.json')) files.push(join(reports, name));
    }
  }
  return files;
}

for (const file of reportFiles()) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let p = 0;
  let f = 0;
  let s = 0;
  if (typeof report.numPassedTests === 'number') {
    // vitest's json reporter (Jest-compatible shape)
    p = report.numPassedTests;
    f = report.numFailedTests;
    s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  } else if (report.stats) {
    // Playwright's json reporter
    p = report.stats.expected ?? 0;
    f = (report.stats.unexpected ?? 0) + (report.stats.flaky ?? 0);
    s = report.stats.skipped ?? 0;
  }
  passed += p;
  failed += f;
  skipped += s;
  rows.push(`${file}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
}

for (const row of rows) console.log(row);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
