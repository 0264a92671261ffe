// Runs ./page.ts in headless Chromium: bundles it with Vite's build() into a temporary folder,
// serves that folder from 127.0.0.1 (module Web Workers need an http origin, not file://) and
// opens it in Debian's Chromium through playwright-core. Used by bench/browser.ts and by
// test/browser-verification-pool.test.ts.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import type { CryptoPage } from './page.ts';

const pageRoot = dirname(fileURLToPath(import.meta.url));

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const isChromiumAvailable = existsSync(chromiumPath);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

export interface CryptoBrowserPage {
  /** Calls `window.townhallCrypto[method](...args)` in the page and returns its (JSON) result. */
  call<M extends keyof CryptoPage>(method: M, ...args: Parameters<CryptoPage[M]>): Promise<Awaited<ReturnType<CryptoPage[M]>>>;
  readonly browserVersion: string;
  /** Milliseconds spent bundling, and starting the browser and loading the page. */
  readonly startUpMs: { build: number; launch: number };
  close(): Promise<void>;
}

function serveFolder(folder: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(folder, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(folder)) return void response.writeHead(403).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Bundles the page, serves it and opens it in headless Chromium. Close it when done. */
export async function openCryptoPage(): Promise<CryptoBrowserPage> {
  const outDir = await mkdtemp(join(tmpdir(), 'townhall-crypto-page-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    const buildStarted = performance.now();
    await build({
      configFile: false,
      root: pageRoot,
      logLevel: 'error', // blindrsa-ts's bundled sjcl names node's `crypto` as a fallback; Vite's note about it is noise here
      base: './',
      build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
      worker: { format: 'es' },
    });
    const buildMs = performance.now() - buildStarted;

    const launchStarted = performance.now();
    server = await serveFolder(outDir);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    const page: Page = await browser.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
    await page.waitForFunction(() => window.townhallCrypto !== undefined, undefined, { timeout: 15_000 }).catch((error: unknown) => {
      throw new Error(`the crypto page did not start: ${pageErrors.map(String).join('; ') || String(error)}`);
    });
    const launchMs = performance.now() - launchStarted;

    const openServer = server;
    const openBrowser = browser;
    return {
      browserVersion: openBrowser.version(),
      startUpMs: { build: buildMs, launch: launchMs },
      call: (method, ...args) =>
        page.evaluate(
          ([name, input]) => (window.townhallCrypto![name] as (...a: unknown[]) => unknown)(...input),
          [method, args] as [keyof CryptoPage, unknown[]],
        ) as never,
      async close() {
        await openBrowser.close();
        await new Promise((resolve) => openServer.close(resolve));
        await rm(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    server?.close();
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}
