/**
 * Benchmark: the built verifier app verifies a 10,000-ballot election record in headless Chromium
 * (Debian's), the way an observer would: open the page, choose the record file, wait for the
 * verdict. The record is the one the simulator writes (`npm run simulate`, see issue #7) to
 * /tmp/townhall-bench/record-10k.jsonl (or BENCH_RECORD); the script waits for it up to
 * BENCH_RECORD_WAIT_MINUTES (default 90). Writes section `verifier-app` of docs/benchmarks.md.
 *
 *   npm run bench -w @townhall/verifier-app
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { HeapSampler } from './worker-heaps.ts';

const appRoot = resolve(import.meta.dirname, '..');
const dist = join(appRoot, 'dist');
const SIMULATED_RECORD = '/tmp/townhall-bench/record-10k.jsonl';
const recordPath = process.env.BENCH_RECORD ?? SIMULATED_RECORD;
const waitMinutes = Number(process.env.BENCH_RECORD_WAIT_MINUTES ?? 90);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The record is complete when its last line is the `end` line (record.md §2). */
function isComplete(path: string): boolean {
  if (!existsSync(path)) return false;
  const size = statSync(path).size;
  if (size === 0) return false;
  const tail = Buffer.alloc(Math.min(size, 4096));
  const fd = openSync(path, 'r');
  readSync(fd, tail, 0, tail.length, size - tail.length);
  closeSync(fd);
  const lines = tail.toString('utf8').trimEnd().split('\n');
  return lines.at(-1)?.startsWith('{"kind":"end"') ?? false;
}

const deadline = Date.now() + waitMinutes * 60_000;
while (!isComplete(recordPath)) {
  if (Date.now() > deadline) {
    log(`no complete record at ${recordPath} after ${waitMinutes} minutes; nothing measured`);
    process.exit(1);
  }
  log(`waiting for ${recordPath} …`);
  await new Promise((r) => setTimeout(r, 30_000));
}

log('building the app (vite build)');
execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: appRoot, stdio: 'inherit' });

// The API's policy (apps/api/src/web/security.ts), so the benchmark runs under the same CSP.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.map': 'application/json' };
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  if (url.pathname === '/api/elections') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"elections":[]}');
  if (url.pathname.startsWith('/api/')) {
    return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NOT_FOUND","message":"benchmark server","requestId":"bench"}}');
  }
  const relative = url.pathname.replace(/^\/verify\/?/, '');
  const file = normalize(join(dist, relative));
  const path = file.startsWith(dist) && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
  response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-security-policy': CSP }).end(readFileSync(path));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const loadAtStart = loadavg()[0]!;
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('404')) problems.push(message.text());
  });
  await page.goto(`${origin}/verify/`);
  await page.getByTestId('offline-ready').filter({ hasText: 'ready' }).waitFor();
  const cdp = await page.context().newCDPSession(page);
  const heaps = await HeapSampler.attach(cdp);
  const { size } = statSync(recordPath);
  log(`verifying ${recordPath} (${(size / 2 ** 20).toFixed(1)} MiB) in Chromium ${browser.version()}`);

  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await heaps.sample().catch(() => 0);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const loads: number[] = [];
  const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 5000);
  const started = performance.now();
  await page.getByLabel('Choose an election record file').setInputFiles(recordPath);
  await page.getByTestId('verdict').waitFor({ timeout: 60 * 60_000 });
  const wallSeconds = (performance.now() - started) / 1000;
  sampling = false;
  clearInterval(loadTimer);
  await sampler;

  const verdict = await page.getByTestId('verdict').getByRole('heading', { level: 2 }).textContent();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the report (JSON)' }).click()]);
  const report = JSON.parse(readFileSync(await download.path(), 'utf8')) as { entries: number; isValid: boolean; checks: { id: string; status: string; checked: number }[] };
  const ballots = report.checks.find((c) => c.id === 'ballots.signatures')?.checked ?? 0;
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const inAppSeconds = Number(/in ([\d.]+) seconds/.exec((await page.getByTestId('verdict').textContent()) ?? '')?.[1] ?? NaN);
  const load = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : loadavg()[0]!;
  log(`${verdict}: ${report.entries} entries, ${ballots} ballots in ${wallSeconds.toFixed(1)} s (app: ${inAppSeconds} s); peak JS heap ${(heaps.peakBytes / 2 ** 20).toFixed(0)} MiB over ${heaps.peakWorkers} workers + page`);
  if (problems.length) log(`page problems: ${problems.join(' | ')}`);

  writeBenchSection(
    'verifier-app',
    'Verifier web app: a 10,000-ballot record in headless Chromium',
    [
      ...(recordPath === SIMULATED_RECORD
        ? []
        : [
            `**Stand-in record** (\`BENCH_RECORD\`): not the simulator's election. A record made by \`packages/verifier/bench/synthetic-record.ts\` costs the verifier the full work per ballot but is invalid by construction (copied ciphertexts, unsigned credentials), so its verdict is "not verified"; the figures are for throughput and memory only.`,
            '',
          ]),
      `The built \`apps/verifier\` (production bundle, the API's strict CSP) in Debian's headless Chromium ${browser.version()}, driven by Playwright: the record file is chosen on the start page and the verdict awaited. Verification runs in the app's worker (\`verifyRecordSource\`, streamed) with ballot proofs in \`createWebWorkerPool(${Math.max(1, availableParallelism() - 1)})\`. Heap is the sum of \`Runtime.getHeapUsage\` over the page and every worker, sampled every 250 ms.`,
      '',
      markdownTable(
        ['record', 'size', 'entries', 'ballots', 'verdict', 'time (wall)', 'time (in app)', 'ballots/s', 'peak JS heap', 'load (1-min avg)'],
        [[
          `\`${recordPath}\``,
          `${(size / 2 ** 20).toFixed(1)} MiB`,
          report.entries.toLocaleString('en-GB'),
          ballots.toLocaleString('en-GB'),
          report.isValid ? 'verified' : `not verified (${failed.join(', ')})`,
          `${wallSeconds.toFixed(1)} s`,
          `${inAppSeconds} s`,
          (ballots / wallSeconds).toFixed(0),
          `${(heaps.peakBytes / 2 ** 20).toFixed(0)} MiB`,
          `${loadAtStart.toFixed(1)} at start, ${load.toFixed(1)} during (${availableParallelism()} cores)`,
        ]],
      ),
    ].join('\n'),
  );
} finally {
  await browser.close();
  server.close();
}
