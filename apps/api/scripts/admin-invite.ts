/**
 * `npm run admin:invite [-- --force] [-- --name "Display name"]`: prints a one-time link with which
 * the first administrator joins (creates their passkey). Refuses when an administrator exists
 * already, unless --force (for example when the only admin lost their passkey). Uses the same
 * configuration as the server (DATABASE_URL or the embedded database, TOWNHALL_PUBLIC_URL).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/database/database.ts';
import { StaffRepository } from '../src/staff/staff.repository.ts';
import { INVITATION_TTL_MS, createInvitation } from '../src/staff/staff.service.ts';

export async function adminInvite(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ exitCode: number; output: string }> {
  const { values } = parseArgs({ args: argv, options: { force: { type: 'boolean', default: false }, name: { type: 'string', default: 'Administrator' } }, allowPositionals: false });
  const config = loadConfig(env);
  const database = await openDatabase(config);
  try {
    const staff = new StaffRepository(database);
    if (!values.force && (await staff.hasAdmin())) {
      return { exitCode: 1, output: 'An administrator exists already: they can invite more staff from the official app. Use --force to print a new admin link anyway.\n' };
    }
    const invitation = await createInvitation(staff, config.publicUrl, { role: 'admin', displayName: values.name }, null);
    const hours = INVITATION_TTL_MS / 3600_000;
    return {
      exitCode: 0,
      output: `One-time link for a new Townhall administrator (${values.name}); it works once and expires in ${hours} hours (${invitation.expiresAt}):\n\n  ${invitation.url}\n\nOpen it in the browser where the administrator will create their passkey. Anyone with the link can become an administrator: do not share it.\n`,
    };
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
