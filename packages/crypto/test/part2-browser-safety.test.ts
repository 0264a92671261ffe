// Architecture rule: what a browser imports from part 2 (credentials client, ceremony, decryption,
// trustee file) never reaches node:* — the issuer signer is only behind the
// `@townhall/crypto/credentials-signer` subpath.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const importPattern = /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g;

function reachableModules(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(importPattern)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
      else external.add(specifier!);
    }
  };
  visit(entry);
  return { files, external };
}

describe('part 2 is browser-safe', () => {
  it.each(['credentials', 'ceremony', 'decryption', 'trustee-file'])('src/%s/index.ts imports nothing from node:*', (folder) => {
    const { files, external } = reachableModules(resolve(src, folder, 'index.ts'));
    expect([...external].filter((name) => name.startsWith('node:'))).toEqual([]);
    expect([...files].some((file) => file.endsWith('signer-node.ts'))).toBe(false);
  });

  it('the issuer signer does use node:crypto (the check above can see it)', () => {
    expect(reachableModules(resolve(src, 'credentials/signer-node.ts')).external).toContain('node:crypto');
  });
});
