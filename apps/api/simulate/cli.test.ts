import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adminInvite } from '../scripts/admin-invite.ts';

const simulate = fileURLToPath(new URL('./cli.ts', import.meta.url));

describe('command-line usage', () => {
  it('npm run simulate: --help prints the usage (exit 0); an unknown option names it with the usage (exit 2), no stack trace', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', simulate, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run simulate -- --voters N');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', simulate, '--voters', '5', '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('Usage: npm run simulate');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    // --repairs: a value out of range is named, with the usage, before any server starts.
    const badRate = spawnSync(process.execPath, ['--import', 'tsx', simulate, '--repairs', '--late-rate', '2'], { encoding: 'utf8' });
    expect(badRate.status).toBe(2);
    expect(badRate.stderr).toContain('--late-rate "2" is not valid');
    expect(badRate.stderr).toContain('npm run simulate -- --repairs');
    expect(badRate.stderr).not.toMatch(/\n\s+at /);
    // --organisations: 10 appointments need more than 3 residents (at most 3 × 2 ordered pairs).
    expect(help.stdout).toContain('npm run simulate -- --organisations');
    const fewResidents = spawnSync(process.execPath, ['--import', 'tsx', simulate, '--organisations', '--appointments', '10', '--residents', '3'], { encoding: 'utf8' });
    expect(fewResidents.status).toBe(2);
    expect(fewResidents.stderr).toContain('--residents "3" is not valid');
    expect(fewResidents.stderr).not.toMatch(/\n\s+at /);
  });

  it('npm run admin:invite: --help prints the usage; an unknown option names it with the usage, exit 2 (no database opened)', async () => {
    expect(await adminInvite(['--help'], {})).toMatchObject({ exitCode: 0, output: expect.stringContaining('usage: npm run admin:invite') });
    const bad = await adminInvite(['--nope'], {});
    expect(bad.exitCode).toBe(2);
    expect(bad.output).toContain("Unknown option '--nope'");
    expect(bad.output).toContain('usage: npm run admin:invite');
  });
});
