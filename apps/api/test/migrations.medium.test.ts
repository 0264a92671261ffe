import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, migrationStatus, MigrationError, readMigrations } from '../src/database/migrations.ts';
import { openSqlClient, type SqlClient } from '../src/database/sql-client.ts';
import { createTestDatabase, dialects, type TestDatabase } from './support/test-database.ts';

/** Folders made by a test, removed after it. */
const folders: string[] = [];

function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'townhall-migrations-'));
  folders.push(dir);
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe.each(dialects)('the migration runner on %s', (dialect) => {
  let database: TestDatabase | undefined;
  let sql: SqlClient | undefined;

  afterEach(async () => {
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
    await sql?.close();
    await database?.drop();
    sql = undefined;
    database = undefined;
  });

  async function freshClient(): Promise<SqlClient> {
    database = await createTestDatabase(dialect);
    sql = await openSqlClient(database.config);
    return sql;
  }

  it('applies pending migrations in order and records them like Prisma Migrate', async () => {
    const client = await freshClient();
    const dir = migrationsFolder({ '002_b': 'CREATE TABLE b (id int REFERENCES a(id));', '001_a': 'CREATE TABLE a (id int PRIMARY KEY);' });
    expect(await applyMigrations(client, readMigrations(dir))).toEqual(['001_a', '002_b']);
    expect(await applyMigrations(client, readMigrations(dir))).toEqual([]);
    const rows = await client.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at, migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(['001_a', '002_b']);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.applied_steps_count === 1)).toBe(true);
    expect(await migrationStatus(client, readMigrations(dir))).toEqual({ applied: 2, pending: 0 });
  });

  it('leaves nothing behind when a migration fails half-way', async () => {
    const client = await freshClient();
    const dir = migrationsFolder({ '001_ok': 'CREATE TABLE ok (id int);', '002_broken': 'CREATE TABLE half (id int);\nSELECT no_such_function();' });
    await expect(applyMigrations(client, readMigrations(dir))).rejects.toThrow(/002_broken failed/);
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(['_prisma_migrations', 'ok']);
    expect(await migrationStatus(client, readMigrations(dir))).toEqual({ applied: 1, pending: 1 });
  });

  it('refuses to start when an applied migration was edited', async () => {
    const client = await freshClient();
    const dir = migrationsFolder({ '001_a': 'CREATE TABLE a (id int);' });
    await applyMigrations(client, readMigrations(dir));
    writeFileSync(join(dir, '001_a', 'migration.sql'), 'CREATE TABLE a (id bigint);');
    const attempt = applyMigrations(client, readMigrations(dir));
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(/001_a was changed after it was applied/);
  });
});

describe('concurrent start-up on postgres', () => {
  it('two instances migrating at once apply each migration exactly once', async () => {
    const database = await createTestDatabase('postgres');
    const [a, b] = [await openSqlClient(database.config), await openSqlClient(database.config)];
    try {
      const results = await Promise.all([applyMigrations(a), applyMigrations(b)]);
      expect([...results[0], ...results[1]].sort()).toEqual(readMigrations().map((m) => m.name).sort());
      const rows = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      expect(rows[0]!.n).toBe(readMigrations().length);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
