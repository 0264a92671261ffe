/**
 * `npm run admin:invite [-- --force] [-- --name "Display name"]`: prints a one-time link with which
 * the first administrator joins (creates their passkey). Refuses when an administrator exists
 * already, unless --force (for example when the only admin lost their passkey). Uses the same
 * configuration as the server (DATABASE_URL or the embedded database, TOWNHALL_PUBLIC_URL). When a
 * server runs on the same data directory, the server itself makes the link (control-socket.ts).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/database/database.ts';
import { StaffRepository } from '../src/staff/staff.repository.ts';
import { issueAdminInvitation } from '../src/staff/staff.service.ts';
import { askRunningServer, controlSocketPath, liveServerPid } from '../src/system/control-socket.ts';

const USAGE = 'usage: npm run admin:invite [-- --name "Display name"] [-- --force]\n  Prints a one-time link with which a new administrator joins (creates their passkey).\n  --force  print one even though an administrator exists (e.g. the only one lost their passkey)\n';

export async function adminInvite(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ exitCode: number; output: string }> {
  let values: { force: boolean; name: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { force: { type: 'boolean', default: false }, name: { type: 'string', default: 'Administrator' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    return { exitCode: 2, output: `admin:invite: ${(error as Error).message}\n${USAGE}` };
  }
  if (values.help) return { exitCode: 0, output: USAGE };
  const config = loadConfig(env);
  // A server running on this data directory makes the link itself: for its own address, and without
  // a second process opening the database it holds.
  const answer = await askRunningServer(config.dataDir, { command: 'admin-invite', name: values.name, force: values.force });
  if (answer) return answer;
  const pid = await liveServerPid(config.dataDir);
  if (pid !== undefined && config.database.kind === 'pglite') {
    return {
      exitCode: 1,
      output: `Townhall is running on this embedded database (process ${pid}) but does not answer on ${controlSocketPath(config.dataDir)}. Stop it (Ctrl-C) and run this command again; it never opens a database another process holds.\n`,
    };
  }
  const database = await openDatabase(config);
  try {
    return await issueAdminInvitation(new StaffRepository(database), config.publicUrl, { name: values.name, force: values.force });
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  adminInvite(process.argv.slice(2).filter((a) => a !== '--'))
    .then(({ exitCode, output }) => {
      (exitCode === 0 ? process.stdout : process.stderr).write(output);
      process.exitCode = exitCode;
    })
    .catch((error: unknown) => {
      process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `admin:invite failed: ${(error as Error).message}\n`);
      process.exitCode = 1;
    });
}
