/**
 * Started by Playwright's `webServer`: makes a fresh, uniquely named database on the Postgres server
 * named by TEST_DATABASE_URL, runs the API in production mode against it (serving the built apps),
 * and on SIGTERM stops the API and drops the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { testDatabaseUrl } from './test-database.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const reportsDir = resolve(import.meta.dirname, '../.reports');

function fail(message: string): never {
  process.stderr.write(`\n[e2e] ${message}\n\n`);
  process.exit(1);
}

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  fail(
    'TEST_DATABASE_URL is not set. The end-to-end tests need a Postgres server they may create ' +
      'databases on, e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres',
  );
}
const port = process.env.TOWNHALL_E2E_PORT;
if (!port) fail('TOWNHALL_E2E_PORT is not set; start the tests with `playwright test`.');

// Chosen by playwright.config.ts (made only of [a-z0-9_]: identifiers cannot be bound as parameters).
const databaseName = process.env.TOWNHALL_E2E_DATABASE;
if (!databaseName || !/^[a-z0-9_]+$/.test(databaseName)) fail('TOWNHALL_E2E_DATABASE is not set; start the tests with `playwright test`.');

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(): Promise<void> {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${databaseName}"`));
}

async function dropDatabase(): Promise<void> {
  // WITH (FORCE) (PostgreSQL 13+) ends connections the API may have left behind.
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
}

const dataDir = mkdtempSync(join(tmpdir(), `townhall-e2e-${databaseName}-`));

function startApi(): ChildProcess {
  mkdirSync(reportsDir, { recursive: true });
  const log = createWriteStream(resolve(reportsDir, 'server.log'));
  // Run from the API's folder, as its `start` script does, so tsx applies the API's tsconfig
  // (Nest's decorators need `experimentalDecorators`).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: resolve(repoRoot, 'apps/api'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: port,
      DATABASE_URL: testDatabaseUrl(),
      TOWNHALL_PUBLIC_URL: `http://localhost:${port}`,
      // Local witnesses' state and the demo trustees' key files: a throwaway folder per run,
      // never the repository's own ./.data.
      TOWNHALL_DATA_DIR: dataDir,
      // The accessibility walk runs a 2-of-2 ceremony (two browsers instead of three): below a real
      // election's minimum, so its pages show the demonstration warning, which the walk checks too.
      TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true',
      TOWNHALL_DEMO_SERVICE_PORT: process.env.TOWNHALL_E2E_DEMO_SERVICE_PORT ?? '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    process.stderr.write(chunk);
  });
  return child;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolveExit();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit();
    });
  });
}

try {
  await createDatabase();
} catch (error) {
  fail(`could not create a test database on TEST_DATABASE_URL: ${(error as Error).message}`);
}
process.stderr.write(`[e2e] created database ${databaseName}; API log in e2e/.reports/server.log\n`);

const api = startApi();
let isStopping = false;

async function stop(exitCode: number): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  api.kill('SIGTERM');
  await waitForExit(api, 10_000);
  try {
    await dropDatabase();
    process.stderr.write(`[e2e] dropped database ${databaseName}\n`);
  } catch (error) {
    process.stderr.write(`[e2e] could not drop database ${databaseName}: ${(error as Error).message}\n`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(exitCode);
}

api.once('exit', (code, signal) => {
  if (isStopping) return;
  process.stderr.write(`[e2e] the API exited early (code ${code}, signal ${signal}); see e2e/.reports/server.log\n`);
  void stop(1);
});
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
