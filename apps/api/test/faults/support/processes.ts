/**
 * Real processes for the fault tests: the API in production mode through tsx (as `npm start` and
 * e2e/support/start-server.ts run it), C2SP witnesses through the apps/witness CLI, and a private
 * PostgreSQL server from .ci/start-postgres.sh that a test may restart without disturbing anyone.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from './free-port.ts';

const run = promisify(execFile);
export const repoRoot = resolve(import.meta.dirname, '../../../../..');
const apiDir = resolve(repoRoot, 'apps/api');
const postgresBin = '/usr/lib/postgresql/15/bin';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface ApiProcess {
  readonly baseUrl: string;
  readonly logPath: string;
  readonly child: ChildProcess;
  /** SIGKILL: no shutdown hook runs, in-flight requests are cut. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx src/main.ts` with NODE_ENV=production on `port` and waits until
 * /api/health answers 200. Its JSON log is appended to `logPath`.
 */
export async function startApi(options: { port: number; env: Record<string, string>; logPath: string; timeoutMs?: number }): Promise<ApiProcess> {
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      // The built apps are not needed to cast ballots; production mode still applies (headers, errors).
      TOWNHALL_SERVE_APPS: 'false',
      TOWNHALL_SEED_DEMO: 'false',
      TOWNHALL_RATE_LIMIT_PER_MINUTE: '1000000',
      TOWNHALL_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const api: ApiProcess = {
    baseUrl,
    logPath: options.logPath,
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited during start (code ${child.exitCode}); see ${options.logPath}`);
    const healthy = await fetch(`${baseUrl}/api/health`).then((r) => r.status === 200, () => false);
    if (healthy) return api;
    if (Date.now() > deadline) {
      await api.kill();
      throw new Error(`the API did not become healthy in time; see ${options.logPath}`);
    }
    await sleep(200);
  }
}

export interface WitnessProcess {
  readonly url: string;
  readonly port: number;
  readonly verifierKey: string;
  kill(): Promise<void>;
  /** Starts it again on the same port with the same state directory (same key, same memory). */
  restart(): Promise<void>;
}

/** `townhall-witness serve` for every log under `originPrefix` (ending in `*`). */
export async function startWitness(options: { stateDir: string; name: string; originPrefix: string; logVerifierKey: string; logPath: string }): Promise<WitnessProcess> {
  const port = await findFreePort();
  const log = createWriteStream(options.logPath, { flags: 'a' });
  let child: ChildProcess;
  const launch = () =>
    new Promise<string>((resolveKey, reject) => {
      child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', 'serve', '--state', options.stateDir, '--port', String(port), '--name', options.name, '--log', `${options.originPrefix}=${options.logVerifierKey}`],
        { cwd: resolve(repoRoot, 'apps/witness'), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        output += chunk.toString();
        const match = /verifier key: (\S+)/.exec(output);
        if (match) resolveKey(match[1]!);
      });
      child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
      child.once('exit', (code) => reject(new Error(`witness ${options.name} exited (code ${code}); see ${options.logPath}`)));
    });
  const verifierKey = await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    verifierKey,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      await launch();
    },
  };
}

export interface PostgresServer {
  /** Admin URL (database `postgres`). */
  readonly url: string;
  readonly dir: string;
  /** Runs `pg_ctl <args>` as the postgres user on this server's data directory. */
  pgCtl(args: string): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

/** A PostgreSQL 15 server of this test's own (never TEST_DATABASE_URL's, which other tests share). */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'townhall-faults-pg-'));
  const { stdout } = await run('bash', [resolve(repoRoot, '.ci/start-postgres.sh'), dir]);
  const url = stdout.trim();
  const pgCtl = async (args: string) => {
    // `-l` on every call: a postmaster started by `restart` without it would keep pg_ctl's stdout,
    // this pipe, open, and execFile would wait for it to close for as long as the server runs.
    await run('su', ['postgres', '-s', '/bin/sh', '-c', `${postgresBin}/pg_ctl -D '${dir}/data' -w -t 60 -l '${dir}/server.log' ${args} </dev/null`]);
  };
  return {
    url,
    dir,
    pgCtl,
    async destroy() {
      await pgCtl('stop -m immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `-o` options .ci/start-postgres.sh starts the server with (to start it again after a stop). */
export function postgresStartOptions(server: PostgresServer): string {
  const port = new URL(server.url).port;
  return `-o "-p ${port} -k '${server.dir}' -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on"`;
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `townhall-faults-${prefix}-`));
}
