/**
 * A Townhall of the test's own, started the way `npm start` starts it (production mode, demo seed
 * on a fresh database and data folder), so a test can follow the README's demo walkthrough from
 * what the console prints: the demo residents' activation codes, the demo trustees' one-time
 * sign-in links, their key files' folder and passphrase. The shared e2e server's demo election is
 * left open for the other specs; this one may be closed and tallied.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from './free-port.ts';
import { newTestDatabaseName } from './test-database.ts';

const apiDir = resolve(import.meta.dirname, '../../apps/api');
const reportsDir = resolve(import.meta.dirname, '../.reports');
const run = promisify(execFile);

export interface DemoResidentCode {
  code: string;
  name: string;
  postcode: string;
  electorNumber: string;
}

export interface DemoServer {
  baseUrl: string;
  /** What the server printed on its console at start. */
  console: string;
  electionId: string;
  residentCodes: DemoResidentCode[];
  /** Trustee index → one-time sign-in link. */
  trusteeLinks: Map<number, string>;
  keyDirectory: string;
  passphrase: string;
  /** The text of demo trustee `index`'s key file, as the seed wrote it. */
  keyFile(index: number): Promise<string>;
  /** `npm run admin:invite -- --force --name <name>` against this server's database: the printed link. */
  adminInvitation(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

/** The demo block of the start-up banner, parsed; throws with the whole output when a part is missing. */
export function parseDemoConsole(output: string) {
  const fail = (what: string): never => {
    throw new Error(`the start-up output has no ${what}:\n${output}`);
  };
  const electionId = /DEMO election created .*\/elections\/([0-9a-f-]{36})\/vote/.exec(output)?.[1] ?? fail('demo election');
  const residentCodes = [...output.matchAll(/^ {4}([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) {2}(.+?), postcode (.+?) \(([A-Z]+-\d+)\)$/gm)].map((m) => ({
    code: m[1]!,
    name: m[2]!,
    postcode: m[3]!,
    electorNumber: m[4]!,
  }));
  const trusteeLinks = new Map([...output.matchAll(/Demo trustee (\d+): (https?:\/\/\S+\/official\/invite\/\S+)/g)].map((m) => [Number(m[1]), m[2]!]));
  const keys = /Demo trustee key files: (\S+) {2}passphrase: (\S+)/.exec(output) ?? fail('key files and passphrase');
  return { electionId, residentCodes, trusteeLinks, keyDirectory: keys[1]!, passphrase: keys[2]! };
}

export async function startDemoServer(): Promise<DemoServer> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const databaseName = newTestDatabaseName();
  const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${databaseName}` }).toString();
  const port = await findFreePort();
  const baseUrl = `http://localhost:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), `townhall-e2e-demo-${databaseName}-`));
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${databaseName}"`));

  mkdirSync(reportsDir, { recursive: true });
  const log = createWriteStream(resolve(reportsDir, `demo-server-${databaseName}.log`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl, TOWNHALL_PUBLIC_URL: baseUrl, TOWNHALL_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    log.write(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));

  const stop = async () => {
    child.kill('SIGTERM');
    await waitForExit(child, 15_000);
    log.end();
    await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    // Migrations, the demo seed's key ceremony (three scrypt-sealed key files) and the banner.
    await new Promise<void>((ready, failed) => {
      const timer = setTimeout(() => failed(new Error(`the demo server printed no start-up banner within 150 s:\n${output}`)), 150_000);
      const check = () => {
        if (/Demo tally: .*\n/.test(output)) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        failed(new Error(`the demo server exited (code ${code}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const parsed = parseDemoConsole(output);
  return {
    baseUrl,
    console: output,
    ...parsed,
    keyFile: (index) => readFile(join(parsed.keyDirectory, `demo-trustee-${index}.townhall-key.json`), 'utf8'),
    async adminInvitation(name) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin-invite.ts', '--force', '--name', name], {
        cwd: apiDir,
        env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, TOWNHALL_PUBLIC_URL: baseUrl, TOWNHALL_LOG_LEVEL: 'warn' },
      });
      return /https?:\/\/\S+\/official\/invite\/\S+/.exec(stdout)?.[0] ?? Promise.reject(new Error(`admin:invite printed no link:\n${stdout}`));
    },
    stop,
  };
}
