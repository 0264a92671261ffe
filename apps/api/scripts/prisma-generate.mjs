// Runs `prisma generate` with the schema-engine stub, so nothing tries to download a native engine.
// The CLI is the devDependency `prisma-cli` (npm:prisma): installed as `prisma` it would satisfy
// @prisma/client's optional peer dependency and be kept by `npm ci --omit=dev`, with its own
// PGlite, MySQL and Postgres clients and more (docs/threat-model.md, "Dependencies").
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const stub = fileURLToPath(new URL('./schema-engine-unavailable.sh', import.meta.url));
const manifest = createRequire(import.meta.url).resolve('prisma-cli/package.json');
const cli = resolve(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.prisma);
const result = spawnSync(process.execPath, [cli, 'generate', '--config', 'prisma.config.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
    PRISMA_DISABLE_WARNINGS: '1',
  },
});
process.exit(result.status ?? 1);
