import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// `npm test` on a fresh clone: without TEST_DATABASE_URL the run starts its own Postgres server
// (scripts/test.mjs and scripts/test-postgres.mjs) instead of failing the medium and e2e tiers.
describe('the tests’ own Postgres server when TEST_DATABASE_URL is not set', () => {
  it('is what `npm test` runs', () => {
    const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test).toBe('node scripts/test.mjs');
    expect(readFileSync(`${root}scripts/test.mjs`, 'utf8')).toContain('startThrowawayPostgres');
  });

  it('starts a real Postgres that takes connections and databases, and leaves nothing behind when stopped', async () => {
    const { startThrowawayPostgres } = (await import(`${root}scripts/test-postgres.mjs`)) as { startThrowawayPostgres: () => Promise<{ url: string; dir: string; stop: () => Promise<void> }> };
    const server = await startThrowawayPostgres();
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ version: string }>('SELECT version()');
      expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
      await client.query('CREATE DATABASE townhall_throwaway_check');
      await client.end();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
  }, 120_000);
});
