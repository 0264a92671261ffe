import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../config/config.ts';
import type { SqlClient } from './sql-client.ts';

export const migrationsDir = resolve(repoRoot, 'prisma/migrations');

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: number;
  pending: number;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The migrations on disk, in name order (names start with a UTC timestamp). */
export function readMigrations(dir = migrationsDir): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// The same bookkeeping table Prisma Migrate keeps, so Prisma tooling recognises the history.
const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);`;

// Any fixed number: concurrent API instances starting together apply migrations one at a time.
const MIGRATION_LOCK_KEY = 7_263_104_811;

/**
 * Applies every pending migration, each in its own transaction together with its history row, so a
 * failed migration leaves neither half its changes nor a record of having run. An applied migration
 * whose file has since changed stops start-up: history is never rewritten silently.
 */
export async function applyMigrations(sql: SqlClient, migrations = readMigrations()): Promise<string[]> {
  const applied: string[] = [];
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(CREATE_HISTORY);
  });
  for (const migration of migrations) {
    const done = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const rows = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
        [migration.name],
      );
      if (rows.length > 0) {
        if (rows[0]!.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied (recorded checksum ${rows[0]!.checksum}, file ${migration.checksum}). Add a new migration instead of editing an applied one.`,
          );
        }
        return false;
      }
      const startedAt = new Date();
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      await tx.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)',
        [randomUUID(), migration.checksum, migration.name, startedAt],
      );
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

export async function migrationStatus(sql: SqlClient, migrations = readMigrations()): Promise<MigrationStatus> {
  const rows = await sql.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const names = new Set(rows.map((row) => row.migration_name));
  const applied = migrations.filter((m) => names.has(m.name)).length;
  return { applied, pending: migrations.length - applied };
}
