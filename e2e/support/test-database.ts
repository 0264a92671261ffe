import { randomBytes } from 'node:crypto';

/** A unique database name for one run, made only of [a-z0-9_]. */
export function newTestDatabaseName(): string {
  return `townhall_e2e_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** The URL of this run's database: TEST_DATABASE_URL's server, TOWNHALL_E2E_DATABASE's name. */
export function testDatabaseUrl(): string {
  const server = process.env.TEST_DATABASE_URL;
  const name = process.env.TOWNHALL_E2E_DATABASE;
  if (!server || !name) throw new Error('TEST_DATABASE_URL and TOWNHALL_E2E_DATABASE must be set (playwright.config.ts sets the second)');
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

export function testBaseUrl(): string {
  const port = process.env.TOWNHALL_E2E_PORT;
  if (!port) throw new Error('TOWNHALL_E2E_PORT is not set; start the tests with `playwright test`');
  return `http://localhost:${port}`;
}
