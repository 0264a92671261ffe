import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { AppConfig } from '../config/config.ts';

/**
 * The small raw-SQL surface the migration runner, the health check and the shared rate-limit
 * counters (web/rate-limit-store.ts: one statement on every request) need, over either driver.
 * Everything else goes through Prisma (and only from repositories).
 */
export interface SqlClient {
  readonly dialect: 'pglite' | 'postgres';
  /** Runs a script of one or more statements without parameters (simple query protocol). */
  exec(script: string): Promise<void>;
  /**
   * `name` makes it a named prepared statement on Postgres, parsed and planned once per connection
   * (for a statement sent on every request); PGlite ignores it.
   */
  query<Row extends Record<string, unknown>>(text: string, params?: unknown[], options?: { name?: string }): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (tx: Pick<SqlClient, 'exec' | 'query'>) => Promise<T>): Promise<T>;
  adapterFactory(): PrismaPg | PrismaPGlite;
  close(): Promise<void>;
  /** The connection pool's state (Postgres only), for diagnostics: connections open, idle, and requests waiting for one. */
  poolStats?(): { total: number; idle: number; waiting: number };
}

export async function openSqlClient(database: AppConfig['database']): Promise<SqlClient> {
  return database.kind === 'postgres' ? openPostgres(database.url) : openPglite(database.dataDir);
}

function openPostgres(url: string): SqlClient {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection (Postgres restarted) must not crash the process.
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    async exec(script) {
      await pool.query(script);
    },
    async query(text, params, options) {
      if (options?.name) return (await pool.query({ name: options.name, text, values: params as unknown[] })).rows;
      return (await pool.query(text, params as unknown[])).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          exec: async (script) => void (await client.query(script)),
          query: async (text, params) => (await client.query(text, params as unknown[])).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    adapterFactory: () => new PrismaPg(pool),
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

async function openPglite(dataDir: string): Promise<SqlClient> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  return {
    dialect: 'pglite',
    async exec(script) {
      await db.exec(script);
    },
    async query(text, params) {
      return (await db.query(text, params as unknown[])).rows as never[];
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          exec: async (script) => void (await tx.exec(script)),
          query: async (text, params) => (await tx.query(text, params as unknown[])).rows as never[],
        }),
      ),
    adapterFactory: () => new PrismaPGlite(db),
    close: () => db.close(),
  };
}
