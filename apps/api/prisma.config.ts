import { defineConfig } from 'prisma/config';

// Only `prisma generate` is used (see scripts/prisma-generate.mjs); no datasource URL is needed.
export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
});
