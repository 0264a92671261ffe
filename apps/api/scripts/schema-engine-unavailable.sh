#!/bin/sh
# Prisma's CLI wants a native schema engine for `migrate` and `db` commands, which these machines
# cannot download. Townhall does not use them: migrations are SQL files applied by the API's own
# runner (docs/decisions/0001-migration-runner.md). `prisma generate` does not need this engine.
echo "townhall: the Prisma schema engine is not used here. Write SQL in prisma/migrations/<name>/migration.sql; the API applies it at start-up (npm start) and the schema test checks it against prisma/schema.prisma." >&2
exit 1
