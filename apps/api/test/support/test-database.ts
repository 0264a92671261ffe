import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AppConfig } from '../../src/config/config.ts';

export type Dialect = 'pglite' | 'postgres';
export const dialects: Dialect[] = ['pglite', 'postgres'];

export interface TestDatabase {
  config: AppConfig['database'];
  drop(): Promise<void>;
}

/** The Postgres server medium tests run against; `npm test` needs one (see README, `.ci/run`). */
export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TEST_DATABASE_URL is not set. Medium tests need a real Postgres server, e.g. `export TEST_DATABASE_URL=$(bash .ci/start-postgres.sh)` (see README).',
    );
  }
  return url;
}

/** A fresh, empty database of the given kind; each test file gets its own, so files run in parallel. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'townhall-pglite-'));
    return { config: { kind: 'pglite', dataDir: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = adminUrl();
  const name = `townhall_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
