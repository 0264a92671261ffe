/**
 * The real API, in this process, for the simulator: the same createApp as `npm start`, on a fresh
 * database (temporary PGlite, or a new database on a Postgres server), with the two local witnesses
 * `npm start` runs, so checkpoints are published only once cosigned.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type AppConfig } from '../src/config/config.ts';
import { openDatabase, type Database } from '../src/database/database.ts';
import { seedDemo } from '../src/seed/seed.ts';
import { createApp } from '../src/app.ts';
import { logger } from '../src/common/logger.ts';
import { startLocalWitnesses } from '../src/ledger/local-witnesses.ts';
import { StaffRepository } from '../src/staff/staff.repository.ts';
import { createInvitation } from '../src/staff/staff.service.ts';

export interface SimulationServerOptions {
  /**
   * A Postgres server (`postgres://…`) on which a fresh database is created for this run (and
   * dropped by `stop()` unless `keepDatabase`). Unset: a temporary embedded PGlite database.
   */
  databaseUrl?: string;
  keepDatabase?: boolean;
  /** The server's log level (default `warn`). */
  logLevel?: AppConfig['logLevel'];
  /** More of the server's configuration (`TOWNHALL_*` variables), e.g. the credential epoch size. */
  env?: Record<string, string>;
}

export interface SimulationServer {
  /** Where to send requests (`http://127.0.0.1:<port>`). */
  baseUrl: string;
  /** The deployment's public URL (`http://localhost:<port>`): the passkeys' origin and relying party. */
  publicUrl: string;
  app: NestExpressApplication;
  database: Database;
  config: AppConfig;
  /** A one-time link for a new administrator, as `npm run admin:invite` prints it. */
  adminInvitation(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `townhall_sim_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Starts the API and two local witnesses on a fresh database; `stop()` removes everything it made. */
export async function startSimulationServer(options: SimulationServerOptions = {}): Promise<SimulationServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'townhall-sim-'));
  const postgres = options.databaseUrl ? await createPostgresDatabase(options.databaseUrl) : undefined;
  const port = await freePort();
  const publicUrl = `http://localhost:${port}`;
  const loaded = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    TOWNHALL_PUBLIC_URL: publicUrl,
    TOWNHALL_DATA_DIR: dataDir,
    TOWNHALL_LOG_LEVEL: options.logLevel ?? 'warn',
    // Every simulated client comes from 127.0.0.1: the per-IP ceiling would stop the run, not a guesser.
    TOWNHALL_RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
    TOWNHALL_SERVE_APPS: 'false',
    TOWNHALL_LOCAL_WITNESSES: 'true',
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    ...options.env,
  });
  const database = await openDatabase(loaded);
  const witnesses = await startLocalWitnesses(loaded, database);
  const config = witnesses.config;
  // The demo council and its districts (CAS, NGT, RVS); the simulated roll import replaces its electors.
  await seedDemo(database.prisma);
  const app = await createApp(config, database);
  await app.listen(port, '127.0.0.1');
  logger.level = config.logLevel;
  let stopped = false;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    publicUrl,
    app,
    database,
    config,
    async adminInvitation() {
      const invitation = await createInvitation(new StaffRepository(database), publicUrl, { role: 'admin', displayName: 'Simulated administrator' }, null);
      return invitation.url;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      await Promise.all(witnesses.running.map((w) => w.close()));
      await database.close();
      if (postgres && !options.keepDatabase) await postgres.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
