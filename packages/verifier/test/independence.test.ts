import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/architecture.md: the observer's verifier is a second implementation of docs/protocol.md. It may use
// @noble/* and @townhall/protocol, never the server side's crypto, ledger or apps.
const FORBIDDEN = [/^@townhall\/(crypto|ledger|api|witness|auditor|voter|official|verifier-app)(\/|$)/, /(^|\/)(packages\/(crypto|ledger)|apps)\//];
// Tools, not server code: the TypeScript loader the Node worker bootstrap registers, the CLI's progress bar.
// @townhall/contracts is the published evaluator of contracts.md (pure, no clock, no I/O), which a
// contract record's payments are recomputed with: the spec names it, so it is the reader's too.
const ALLOWED = [/^@noble\//, /^@townhall\/protocol(\/|$)/, /^@townhall\/contracts$/, /^node:/, /^zod(\/|$)/, /^tsx\/esm\/api$/, /^cli-progress$/];
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** A relative import is fine only while it stays inside packages/verifier. */
function isAllowed(specifier: string, fromFile: string): boolean {
  if (FORBIDDEN.some((p) => p.test(specifier))) return false;
  if (specifier.startsWith('.')) return resolve(dirname(fromFile), specifier).startsWith(packageRoot);
  return ALLOWED.some((p) => p.test(specifier));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)) {
    specifiers.push((match[1] ?? match[2] ?? match[3])!);
  }
  return specifiers;
}

describe('packages/verifier stays independent of the server side', () => {
  const root = fileURLToPath(new URL('../src', import.meta.url));
  const files = sourceFiles(root);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('imports only @noble/*, @townhall/protocol, @townhall/contracts, zod, node built-ins and its own files', () => {
    const offending = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((specifier) => !isAllowed(specifier, file))
        .map((specifier) => `${file.slice(root.length + 1)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('would catch a forbidden import', () => {
    const sample = "import { verifyInclusion } from '@townhall/ledger';\nimport x from '../../crypto/src/index.ts';";
    expect(importsOf(sample)).toEqual(['@townhall/ledger', '../../crypto/src/index.ts']);
    const file = join(packageRoot, 'src/index.ts');
    expect(isAllowed('@townhall/ledger', file)).toBe(false);
    expect(isAllowed('../../crypto/src/index.ts', file)).toBe(false);
    expect(isAllowed('./merkle.ts', file)).toBe(true);
    expect(isAllowed('@noble/hashes/sha2.js', file)).toBe(true);
  });

  it('declares no dependency on the server-side packages', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    expect(declared.filter((name) => FORBIDDEN.some((p) => p.test(name)))).toEqual([]);
  });
});
