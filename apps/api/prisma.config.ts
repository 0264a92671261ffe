// The Prisma CLI is installed as `prisma-cli` (apps/api/package.json): under its own name it would
// satisfy @prisma/client's optional peer dependency and so count as a production dependency.
import { defineConfig } from 'prisma-cli/config';

// Only `prisma generate` is used (see scripts/prisma-generate.mjs); no datasource URL is needed.
export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
});
