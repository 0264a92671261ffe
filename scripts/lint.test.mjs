// The import rules of docs/architecture.md, checked by ESLint (eslint.config.mjs): the whole repository
// passes them, and each rule reports a breach placed at a real path (and lets a permitted import through).
// `npm test` runs this file first (scripts/test.mjs); `npm run lint` is the same check with ESLint's own report.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `code` as if it were the file at `filePath` (relative to the root). */
async function reported(filePath, code) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.map((message) => message.ruleId ?? message.message);
}

describe('the import rules (docs/architecture.md) bite', () => {
  it.each([
    ['packages/protocol imports a library the table does not list', 'packages/protocol/src/x.ts', "import lodash from 'lodash';", 'no-restricted-imports'],
    ['packages/protocol imports a package of ours', 'packages/protocol/src/x.ts', "import { sha256 } from '@townhall/ledger';", 'no-restricted-imports'],
    ['a browser file of packages/crypto imports node:crypto', 'packages/crypto/src/ballot/x.ts', "import { randomBytes } from 'node:crypto';", 'no-restricted-imports'],
    ['a browser file of packages/crypto imports the node-only signer', 'packages/crypto/src/credentials/x.ts', "export * from './signer-node.ts';", 'no-restricted-imports'],
    ['packages/ledger imports Nest', 'packages/ledger/src/x.ts', "import { Injectable } from '@nestjs/common';", 'no-restricted-imports'],
    ['packages/ledger reads the DOM', 'packages/ledger/src/x.ts', 'export const here = window.location.href;', 'no-restricted-globals'],
    ['packages/verifier imports @townhall/crypto', 'packages/verifier/src/x.ts', "import { verifyBallot } from '@townhall/crypto';", 'no-restricted-imports'],
    ['a test of packages/verifier imports @townhall/ledger', 'packages/verifier/test/x.test.ts', "import { leafHash } from '@townhall/ledger';", 'no-restricted-imports'],
    ['packages/verifier reaches packages/crypto by a relative path', 'packages/verifier/src/x.ts', "import { group } from '../../crypto/src/group.ts';", 'townhall/stay-in-workspace'],
    ['packages/web-ui imports node:fs', 'packages/web-ui/src/lib/x.ts', "import { readFileSync } from 'node:fs';", 'no-restricted-imports'],
    ['packages/web-ui imports an app', 'packages/web-ui/src/components/x.tsx', "import { Layout } from '@townhall/voter';", 'no-restricted-imports'],
    ['packages/web-ui imports another package', 'packages/web-ui/src/lib/x.ts', "import { multiplyBase } from '@townhall/crypto';", 'no-restricted-imports'],
    ['a voter feature imports another feature', 'apps/voter/src/features/elections/components/x.tsx', "import { useSession } from '../../session/api/session.ts';", 'townhall/no-cross-feature'],
    ['an official feature imports another feature with import()', 'apps/official/src/features/roll/x.ts', "export const load = () => import('../trustee/lib/key-file-protocol.ts');", 'townhall/no-cross-feature'],
    ['a browser app imports apps/api', 'apps/voter/src/app/x.ts', "import { createApp } from '@townhall/api';", 'no-restricted-imports'],
    ['a browser app imports a node-only entry point', 'apps/official/src/features/trustee/x.ts', "import { createSigner } from '@townhall/crypto/credentials-signer';", 'no-restricted-imports'],
    ['apps/api imports a browser app\'s source', 'apps/api/src/web/x.ts', "import { routes } from '@townhall/official';", 'no-restricted-imports'],
    ['packages/contracts imports node:fs', 'packages/contracts/src/x.ts', "import { readFileSync } from 'node:fs';", 'no-restricted-imports'],
    ['packages/contracts reads the clock', 'packages/contracts/src/x.ts', 'export const today = () => new Date();', 'no-restricted-syntax'],
    ['packages/client-flows imports apps/api', 'packages/client-flows/src/x.ts', "import { createApp } from '@townhall/api';", 'no-restricted-imports'],
    ['a test of packages/client-flows imports Nest', 'packages/client-flows/src/x.test.ts', "import { Test } from '@nestjs/testing';", 'no-restricted-imports'],
    ['a browser app imports packages/client-flows', 'apps/voter/src/features/elections/x.ts', "import { prepareBallot } from '@townhall/client-flows';", 'no-restricted-imports'],
    ['apps/demo-service imports a package of ours', 'apps/demo-service/src/x.ts', "import { ErrorCode } from '@townhall/protocol';", 'no-restricted-imports'],
    ['an API service imports Prisma', 'apps/api/src/roll/x.service.ts', "import type { PrismaClient } from '../generated/prisma/client.ts';", '@typescript-eslint/no-restricted-imports'],
    ['an API service imports @prisma/*', 'apps/api/src/roll/x.service.ts', "import { Prisma } from '@prisma/client';", '@typescript-eslint/no-restricted-imports'],
    ['an API controller imports a repository', 'apps/api/src/roll/x.controller.ts', "import { RollRepository } from './roll.repository.ts';", '@typescript-eslint/no-restricted-imports'],
  ])('%s', async (_name, filePath, code, ruleId) => {
    expect(await reported(filePath, code)).toContain(ruleId);
  });

  it.each([
    ['packages/protocol imports zod and @noble/hashes', 'packages/protocol/src/x.ts', "import { z } from 'zod';\nimport { sha256 } from '@noble/hashes/sha2.js';"],
    ['a node-only file of packages/crypto imports node:crypto', 'packages/crypto/src/credentials/signer-node.ts', "import { privateDecrypt } from 'node:crypto';"],
    ['packages/verifier imports protocol and contracts', 'packages/verifier/src/x.ts', "import { ErrorCode } from '@townhall/protocol';\nimport { evaluate } from '@townhall/contracts';"],
    ['packages/client-flows imports crypto, node:crypto and the CBOR helpers', 'packages/client-flows/src/x.ts', "import { encryptBallot } from '@townhall/crypto';\nimport { sign } from 'node:crypto';\nimport { isoCBOR } from '@simplewebauthn/server/helpers';"],
    ['a voter feature imports its own files and web-ui', 'apps/voter/src/features/elections/components/x.tsx', "import { ballotKey } from '../api/ballot-key-vault.ts';\nimport { Choices } from '@townhall/web-ui';"],
    ['a route composes two features', 'apps/official/src/app/routes/x.tsx', "import { useElection } from '../../features/elections/api/elections.ts';\nimport { RequireStaff } from '../../features/session/components/require-staff.tsx';"],
    ['a repository imports Prisma', 'apps/api/src/roll/roll.repository.ts', "import type { PrismaClient } from '../generated/prisma/client.ts';"],
    ['packages/contracts takes the time as an input', 'packages/contracts/src/x.ts', "import { TZDate } from '@date-fns/tz';\nexport const at = (iso: string) => new Date(iso);"],
  ])('lets through: %s', async (_name, filePath, code) => {
    expect(await reported(filePath, code)).toEqual([]);
  });
});

describe('the repository', () => {
  it('passes `npm run lint` (eslint .)', async () => {
    const results = await eslint.lintFiles(['.']);
    const problems = results.filter((result) => result.messages.length > 0);
    // On failure, ESLint's own report names every file, line and rule.
    const report = problems.length > 0 ? await (await eslint.loadFormatter('stylish')).format(problems) : '';
    expect(report).toBe('');
  }, 120_000);
});
