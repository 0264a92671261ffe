import { PrismaClient } from '../generated/prisma/client.ts';
import type { AppConfig } from '../config/config.ts';
import { applyMigrations } from './migrations.ts';
import { openSqlClient, type SqlClient } from './sql-client.ts';

export interface Database {
  readonly prisma: PrismaClient;
  readonly sql: SqlClient;
  close(): Promise<void>;
}

export const DATABASE = Symbol('DATABASE');

/** Opens the configured database (embedded PGlite or Postgres), applies migrations, returns Prisma over it. */
export async function openDatabase(config: Pick<AppConfig, 'database'>): Promise<Database & { migrated: string[] }> {
  const sql = await openSqlClient(config.database);
  try {
    const migrated = await applyMigrations(sql);
    const prisma = new PrismaClient({ adapter: sql.adapterFactory() });
    return {
      prisma,
      sql,
      migrated,
      async close() {
        await prisma.$disconnect();
        await sql.close();
      },
    };
  } catch (error) {
    await sql.close().catch(() => undefined);
    throw error;
  }
}
