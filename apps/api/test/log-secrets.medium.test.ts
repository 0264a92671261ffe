import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl } from './support/test-database.ts';
import type { ProducedSecret } from './fuzz-support/log-secrets-run.ts';

/**
 * Secrets never logged (issues #8, #15): a full run (fuzz-support/log-secrets-run.ts: staff invitations and
 * their links opened in the officials' app, a poll card's link opened in the residents' app, roll searches,
 * malformed roll files,
 * enrolment, sign-in, a 3-trustee ceremony, credential, ballot, close, tally, refused requests on
 * the way) in its own process with TOWNHALL_LOG_LEVEL=debug; its whole stdout and stderr are the
 * log, scanned for every secret the run produced (hex, base64 and base64url forms of binary ones).
 */
describe('the log of a full run at debug level', () => {
  let dir: string;
  let log: string;
  let secrets: ProducedSecret[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'townhall-log-secrets-'));
    const secretsPath = join(dir, 'secrets.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fuzz-support/log-secrets-run.ts', secretsPath], {
      cwd: resolve(import.meta.dirname, '..'),
      env: { ...process.env, TEST_DATABASE_URL: adminUrl(), TOWNHALL_LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const exitCode = await new Promise<number | null>((done) => child.on('close', done));
    log = Buffer.concat(chunks).toString('utf8');
    if (exitCode !== 0) throw new Error(`the full run failed (exit ${exitCode}):\n${log.slice(-3000)}`);
    secrets = (JSON.parse(await readFile(secretsPath, 'utf8')) as { secrets: ProducedSecret[] }).secrets;
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('covers the whole flow: every phase left request lines in the log', () => {
    const urls = log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { req?: { url: string } }).req?.url)
      .filter((url): url is string => url !== undefined);
    for (const fragment of ['/official/invite/', '/Official/Invite/', '/enrol?code=', '/official/roll/electors?', '/api/roll/electors?', '/api/roll/imports', '/api/staff/invitations/', '/api/enrolment/finish', '/api/sign-in/finish', '/commitment', '/shares', '/credentials', '/ballots', '/close', '/partial-decryption']) {
      expect(urls.some((url) => url.includes(fragment)), fragment).toBe(true);
    }
    expect(log).toContain('"msg":"request rejected"');
  });

  it('produced every kind of secret the scan looks for', () => {
    expect(new Set(secrets.map((s) => s.kind))).toEqual(
      new Set([
        'activation code', 'session cookie', 'CSRF token', 'staff invitation token', 'passkey assertion signature', 'blinded message', 'credential signature',
        'ballot secret key', 'trustee polynomial coefficient', 'trustee secret share', 'trustee identity key', 'issuer private key', 'deployment secret',
        'log signing key', 'database password', 'roll search', 'roll value',
      ]),
    );
  });

  it('contains none of them', () => {
    const leaked = secrets.filter((s) => log.includes(s.value)).map((s) => `${s.kind}: ${s.value.slice(0, 12)}…`);
    expect(leaked).toEqual([]);
  });
});
