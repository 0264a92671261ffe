// ESLint checks the import rules of docs/architecture.md ("Import rules"): one block per row of that
// table, in the table's order. Run with `npm run lint`; `npm test` runs it too (scripts/lint.test.mjs).
// Only import rules for now, with typescript-eslint's parser and no type information (fast).
//
// How the rows are said:
//   - Between workspaces, by package name with `no-restricted-imports`. A relative import may not leave
//     its workspace (townhall/stay-in-workspace), so `../../packages/crypto/...` cannot slip past a
//     rule about `@townhall/crypto`.
//   - A file matched by several blocks takes the rule's options from the last one only (flat config
//     does not merge options), so a narrower block repeats the wider block's restrictions.
//   - `no-restricted-imports` sees static imports and re-exports, not `import('x')`; the two townhall/*
//     rules see import() as well.
//   - The layering inside apps/api (the last row) uses `@typescript-eslint/no-restricted-imports`, a
//     second rule with the same options, so it never overrides the workspace rule of the same file.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import importBoundaries from './scripts/eslint-import-boundaries.mjs';

const tests = ['**/*.test.ts', '**/*.test.tsx', '**/test/**', '**/test-support/**', '**/test-setup.ts'];

const rule = (regex, message) => ({ regex, message });
const builtins = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/[/]/g, '\\/'));
const anyOf = (names) => names.map((name) => name.replace(/[.]/g, '\\.')).join('|');

// The workspaces' package names.
const apps = ['@townhall/api', '@townhall/voter', '@townhall/official', '@townhall/verifier-app', '@townhall/witness', '@townhall/auditor', '@townhall/demo-service'];
const browserApps = ['@townhall/voter', '@townhall/official', '@townhall/verifier-app'];

const ours = rule('^@townhall/', 'a package of ours');
const oursButProtocol = rule('^@townhall/(?!protocol$)', 'nothing of ours but @townhall/protocol');
// The same, for a package that may also name itself (a benchmark page importing `@townhall/crypto`).
const oursButProtocolAnd = (self) => rule(`^@townhall/(?!(protocol|${self})(/|$))`, 'nothing of ours but @townhall/protocol');
const nodeBuiltins = rule(`^(node:|(${builtins.join('|')})(/|$))`, 'node:* (this code runs in the browser)');
const nestOrPrisma = rule('^(@nestjs/|@prisma/|prisma$|.*generated/prisma)', 'Nest or Prisma (a pure package)');

// Allow-lists, for the rows that say "only": anything but these (and relative paths) is reported.
const only = (names, message) => rule(`^(?!\\.\\.?/|(${anyOf(names)})(/|$))`, message);

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const row = (files, patterns, extra = {}) => ({ files, ...extra, rules: restrict(...patterns) });

// No DOM in the pure packages (they run in Node and the browser; docs/architecture.md).
const domGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'HTMLElement'].map((name) => ({
  name,
  message: `${name} is the DOM: the pure packages run in Node and the browser.`,
}));

export default [
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'apps/api/src/generated/**', '**/coverage/**', '**/.reports/**', '**/test-results/**', '**/playwright-report/**', '**/.turbo/**', '**/.data/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { townhall: importBoundaries },
    rules: {
      'townhall/stay-in-workspace': [
        'error',
        {
          // Test and benchmark helpers that no package exports, shared by path on purpose: the
          // verifier's tamper helpers and fixtures (the verifier app's and e2e's tampering tests),
          // its CLI runner (the API's contract-verify benchmark), and the demo roll the seed loads
          // (e2e signs in as its electors). Production code reaches another workspace by name only.
          allow: ['packages/verifier/test/', 'packages/verifier/bench/cli-run.ts', 'apps/api/src/seed/demo-roll.ts'],
        },
      ],
    },
  },

  // packages/protocol: zod, @noble/hashes, canonicalize (the election manifest's fingerprint) and
  // ibantools (bank account checks); never anything of ours. Its tests may use vitest and node:fs.
  row(['packages/protocol/**'], [ours]),
  row(['packages/protocol/src/**'], [only(['zod', '@noble/hashes', 'canonicalize', 'ibantools'], 'packages/protocol imports only zod, @noble/hashes, canonicalize and ibantools')], { ignores: tests }),

  // packages/crypto, packages/ledger: @noble/*, packages/protocol and their few named libraries; never
  // Nest, Prisma, the DOM, nor node:* in what a browser loads. The node-only files are the ones behind
  // the node entry points of package.json (`./credentials-signer`, `./workers/node`) and the worker
  // they start; a browser file may not import them either.
  row(['packages/crypto/**'], [oursButProtocolAnd('crypto'), nestOrPrisma]),
  row(['packages/ledger/**'], [oursButProtocolAnd('ledger'), nestOrPrisma]),
  row(
    ['packages/crypto/src/**', 'packages/ledger/src/**'],
    [oursButProtocol, nestOrPrisma, nodeBuiltins, rule('(^|/)(signer-node|node|verify-worker\\.node)(\\.ts)?$', 'a node-only file (package.json: ./credentials-signer, ./workers/node)')],
    { ignores: [...tests, 'packages/crypto/src/credentials/signer-node.ts', 'packages/crypto/src/workers/node.ts', 'packages/crypto/src/workers/verify-worker.node.ts', '**/*.node-bootstrap.mjs'] },
  ),

  // packages/verifier: a second implementation written from the spec, so never packages/crypto,
  // packages/ledger or apps/* (tests and benchmarks included: they must not check it against itself).
  row(['packages/verifier/**'], [rule(`^(@townhall/(crypto|ledger)|${anyOf(apps)})(/|$)`, 'packages/verifier never imports packages/crypto, packages/ledger or apps/*')]),

  // packages/web-ui: the browser-only package; packages/protocol and its UI libraries, never apps/*,
  // other packages or node:*. Its tests read the GOV.UK Sass from disk (node:fs), so they may use node:*.
  row(['packages/web-ui/**'], [oursButProtocol]),
  row(['packages/web-ui/src/**'], [oursButProtocol, nodeBuiltins], { ignores: tests }),

  // The browser apps: never apps/api nor another app, and only the browser entry points of
  // packages/crypto and packages/verifier, never the node-only packages/client-flows. Features never
  // import features (townhall/no-cross-feature).
  {
    ...row(['apps/voter/**', 'apps/official/**', 'apps/verifier/**'], [
      rule(`^(${anyOf(apps)})(/|$)`, 'apps never import apps (the browser apps talk to apps/api over HTTP)'),
      rule('^@townhall/(crypto/(credentials-signer|workers/node)|verifier/node)$', 'a node-only entry point'),
      rule('^@townhall/client-flows(/|$)', 'packages/client-flows is node-only (node:crypto, Buffer)'),
    ]),
  },
  { files: ['apps/voter/src/features/**', 'apps/official/src/features/**', 'apps/verifier/src/features/**'], rules: { 'townhall/no-cross-feature': 'error' } },

  // apps/api: all packages, apps/witness and apps/demo-service (run in its process); never the browser
  // apps' source. apps/auditor is an observer of its own: the API's tests may use it to check the
  // server from outside, the server itself does not.
  row(['apps/api/**'], [rule(`^(${anyOf(browserApps)})(/|$)`, 'apps/api serves the browser apps\' built dist/, never their source')]),
  row(['apps/api/src/**'], [
    rule(`^(${anyOf(browserApps)})(/|$)`, 'apps/api serves the browser apps\' built dist/, never their source'),
    rule('^@townhall/auditor(/|$)', 'apps/api runs apps/witness and apps/demo-service, not apps/auditor'),
  ]),

  // packages/client-flows: the client side of the API's flows over HTTP (the API's tests, the simulator,
  // the benchmarks), in Node. Protocol, crypto, ledger, node:* and the WebAuthn library's CBOR helpers;
  // never apps/* (it talks to apps/api over HTTP), Nest or Prisma. Its tests may use vitest.
  row(['packages/client-flows/**'], [rule(`^(${anyOf(apps)})(/|$)`, 'packages/client-flows never imports apps/* (it talks to apps/api over HTTP)'), nestOrPrisma]),
  row(
    ['packages/client-flows/src/**'],
    [rule(`^(?!\\.\\.?/|node:|(${anyOf(['@townhall/protocol', '@townhall/crypto', '@townhall/ledger', '@simplewebauthn/server'])})(/|$))`, 'packages/client-flows imports only @townhall/protocol, crypto and ledger, @simplewebauthn/server and node:*')],
    { ignores: tests },
  ),

  // packages/contracts: a pure evaluator — protocol, date-fns and @date-fns/tz only; no I/O, no clock.
  row(['packages/contracts/**'], [oursButProtocol]),
  {
    ...row(['packages/contracts/src/**'], [only(['@townhall/protocol', 'date-fns', '@date-fns/tz'], 'packages/contracts imports only @townhall/protocol, date-fns and @date-fns/tz')], { ignores: tests }),
  },
  {
    files: ['packages/contracts/src/**'],
    ignores: tests,
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'packages/contracts reads no clock: the time is an input.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'packages/contracts reads no clock: the time is an input.' },
      ],
    },
  },

  // apps/demo-service: a relying party like any other council service, so nothing of ours.
  row(['apps/demo-service/**'], [rule('^@townhall/', 'apps/demo-service speaks only OpenID Connect: nothing of ours')]),

  // No DOM in the pure packages.
  {
    files: ['packages/protocol/src/**', 'packages/crypto/src/**', 'packages/ledger/src/**', 'packages/contracts/src/**', 'packages/verifier/src/**'],
    ignores: tests,
    rules: { 'no-restricted-globals': ['error', ...domGlobals] },
  },

  // Inside apps/api: controllers → services → repositories, and only repositories touch Prisma.
  ...apiLayers(),
];

function apiLayers() {
  const prisma = rule('^(@prisma/|prisma$|.*/generated/prisma(/|$))', 'Prisma only in *.repository.ts and src/database/ (docs/architecture.md, Import rules)');
  const repository = rule('\\.repository(\\.ts)?$', 'a controller calls its service, never a repository');
  const controller = rule('\\.controller(\\.ts)?$', 'nothing calls a controller');
  const service = rule('\\.service(\\.ts)?$', 'a repository does not call services');
  const layer = (files, patterns, ignores = []) => ({ files, ignores, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } });
  return [
    { files: ['apps/api/**'], plugins: { '@typescript-eslint': tseslint.plugin } },
    layer(['apps/api/**'], [prisma], [
      // The database plumbing: the Prisma client, its driver adapters, the migration runner.
      'apps/api/src/database/**',
      'apps/api/scripts/prisma-generate.mjs',
      'apps/api/prisma.config.ts',
      // Checks prisma/schema.prisma against the SQL migrations with Prisma's own schema engine.
      'apps/api/test/schema-agrees-with-migrations.medium.test.ts',
      // Debt: the demo seed queries its fixture rows with Prisma directly instead of through the
      // repositories (docs/architecture.md lists it under the import rules' known exceptions).
      'apps/api/src/seed/**',
    ]),
    layer(['apps/api/src/**/*.controller.ts'], [prisma, repository]),
    layer(['apps/api/src/**/*.service.ts'], [prisma, controller]),
    layer(['apps/api/src/**/*.repository.ts'], [controller, service]),
  ];
}
