// Runs `prisma generate` with the schema-engine stub, so nothing tries to download a native engine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const stub = fileURLToPath(new URL('./schema-engine-unavailable.sh', import.meta.url));
const result = spawnSync('npx', ['prisma', 'generate', '--config', 'prisma.config.ts'], {
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
