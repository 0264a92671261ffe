import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config/config.ts';

/**
 * The production dependency tree (issue #15), read from the lockfile `npm ci` installs from: every
 * package's Node engines admit the versions we run on, and what the API does not need at run time
 * stays out of it. Small: no network, no database.
 */
type LockEntry = { name?: string; version?: string; dev?: boolean; link?: boolean; resolved?: string; engines?: Record<string, string> | string[] };
const lock = JSON.parse(readFileSync(resolve(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const ours = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };

/** The Node versions Townhall runs on: the oldest its engines admit, and the LTS lines after it. */
const NODE_VERSIONS = ['20.19.0', '22.12.0', '24.0.0'];

/** What `npm ci --omit=dev` installs: every package not flagged dev (optional and devOptional ones too). */
const production = Object.entries(lock.packages)
  .filter(([path, entry]) => path.includes('node_modules/') && !entry.dev)
  .map(([path, entry]) => ({ path, entry, name: entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length) }));

describe('the production dependencies', () => {
  it('are read from a lockfile that has them', () => {
    expect(production.map((p) => p.name)).toEqual(expect.arrayContaining(['@nestjs/core', 'express', '@prisma/client', 'pg']));
  });

  it('run on the Node versions our own engines admit: 20.19, 22 and 24', () => {
    for (const version of NODE_VERSIONS) expect(semver.satisfies(version, ours.engines.node), version).toBe(true);
    const refusals: string[] = [];
    for (const { path, entry } of production) {
      const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
      if (range === undefined) continue;
      if (semver.validRange(range) === null) refusals.push(`${path}@${entry.version}: engines.node ${JSON.stringify(range)} is not a range`);
      for (const version of NODE_VERSIONS) {
        if (!semver.satisfies(version, range)) refusals.push(`${path}@${entry.version}: engines.node ${JSON.stringify(range)} refuses Node ${version}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it('leave out the Prisma CLI (with its second PGlite, MySQL and Postgres clients) and any multipart parser', () => {
    const names = new Set(production.map((p) => p.name));
    for (const unwanted of ['prisma', '@prisma/dev', '@prisma/studio-core', 'mysql2', 'postgres', 'busboy', 'streamsearch']) {
      expect(names.has(unwanted), unwanted).toBe(false);
    }
    expect(production.filter((p) => p.name === '@electric-sql/pglite').map((p) => p.path)).toEqual(['node_modules/@electric-sql/pglite']);
    // @nestjs/platform-express imports multer when it loads: the stand-in that refuses to parse anything.
    expect(lock.packages['node_modules/multer']).toMatchObject({ link: true, resolved: 'apps/api/shims/no-multipart' });
  });
});
