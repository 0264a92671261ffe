/**
 * Browser smoke test of the `@townhall/verifier/web-workers` entry (not part of `vitest run`: it needs
 * Chromium): bundles test/browser with Vite (module workers included), serves it, verifies the
 * fixture in headless Chromium with two Web Workers, and requires the report of the Node library,
 * byte for byte.   npx tsx test/browser/run.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { verifyRecordSource } from '../../src/index.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/election-5-voters.record.jsonl', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'townhall-verifier-browser-'));
await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' }, worker: { format: 'es' } });
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.jsonl': 'application/x-ndjson' };
const server = createServer((request, response) => {
  const path = request.url === '/' ? '/index.html' : request.url!;
  try {
    const body = path === '/record.jsonl' ? readFileSync(fixture) : readFileSync(join(outDir, path));
    response.setHeader('Content-Type', types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream');
    response.end(body);
  } catch {
    response.statusCode = 404;
    response.end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage();
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForSelector('#report[data-done="true"]', { timeout: 300_000 });
  const inBrowser = await page.textContent('#report');
  const inNode = JSON.stringify((await verifyRecordSource(readFileSync(fixture, 'utf8'))).report);
  if (inBrowser !== inNode) throw new Error(`the browser's report differs:\n${inBrowser?.slice(0, 2000)}`);
  if (workers.length !== 2) throw new Error(`expected 2 Web Workers, saw ${workers.length}`);
  process.stdout.write(`same report in Chromium (${workers.length} module Web Workers: ${workers[0]}) as in Node: ${inNode.length} bytes, isValid ${JSON.parse(inNode).isValid}\n`);
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
