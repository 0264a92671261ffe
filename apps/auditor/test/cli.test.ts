import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });

describe('townhall-audit CLI', () => {
  it('answers --help with its usage, exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const help = run([flag]);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('usage: townhall-audit <log base URL');
      expect(help.stderr).toBe('');
    }
  });

  it('answers an unknown option or a missing argument with what is wrong and the usage, exit 2, never a stack trace', () => {
    const unknown = run(['https://council.example/api/ledger/registry', '--state', '/tmp/x', '--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect(unknown.stderr).toContain('usage: townhall-audit');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const missing = run(['https://council.example/api/ledger/registry']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('usage: townhall-audit');
  });
});
