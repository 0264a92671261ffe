import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SIGNATURE_TYPE_ED25519, createSigner, formatVerifierKey, parseVerifierKey } from '@townhall/ledger';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });

describe('townhall-witness CLI', () => {
  const state = mkdtempSync(join(tmpdir(), 'townhall-witness-cli-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('answers --help with its usage (exit 0) and an unknown option with the option named and the usage (exit 2), never a stack trace', () => {
    for (const args of [['--help'], ['serve', '--help']]) {
      const help = run(args);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('townhall-witness serve --state DIR');
    }
    const bad = run(['serve', '--state', state, '--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('usage:');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('`key` creates the key once and prints the same verifier key every time', () => {
    const first = run(['key', '--state', state, '--name', 'witness.example']);
    expect(first.status).toBe(0);
    const vkey = first.stdout.trim();
    expect(parseVerifierKey(vkey)).toMatchObject({ name: 'witness.example', type: 0x04 });
    expect(run(['key', '--state', state]).stdout.trim()).toBe(vkey);
  });

  it('`serve` listens, prints its URL and serves its key; bad arguments exit 2 with the usage', async () => {
    const logKey = formatVerifierKey(createSigner('council.example/townhall/registry', SIGNATURE_TYPE_ED25519, new Uint8Array(32).fill(3)));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--state', state, '--log', `council.example/townhall/*=${logKey}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      expect((await (await fetch(url)).text()).trim()).toBe(run(['key', '--state', state]).stdout.trim());
    } finally {
      child.kill('SIGTERM');
    }
    const bad = run(['serve', '--state', state]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage');
  });
});
