import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type AppConfig } from '../../src/config/config.ts';
import { openDatabase, type Database } from '../../src/database/database.ts';
import { seedDemo } from '../../src/seed/seed.ts';
import { createApp } from '../../src/app.ts';
import { createTestDatabase, type Dialect, type TestDatabase } from './test-database.ts';

export interface TestApp {
  baseUrl: string;
  app: NestExpressApplication;
  database: Database;
  config: AppConfig;
  /** Stops the app and closes the database, keeping its data (to test restarts). */
  stop(): Promise<void>;
  /** Stops and drops the database. */
  destroy(): Promise<void>;
}

/** The real application on a real database, listening on a free port. */
export async function startTestApp(
  dialect: Dialect,
  options: { env?: Record<string, string>; testDatabase?: TestDatabase } = {},
): Promise<TestApp & { testDatabase: TestDatabase }> {
  const testDatabase = options.testDatabase ?? (await createTestDatabase(dialect));
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test', PORT: '0', TOWNHALL_LOG_LEVEL: 'silent', ...options.env }),
    database: testDatabase.config,
  };
  const database = await openDatabase(config);
  if (config.seedDemo) await seedDemo(database.prisma);
  const app = await createApp(config, database);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const stop = async () => {
    await app.close();
    await database.close();
  };
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    database,
    config,
    testDatabase,
    stop,
    async destroy() {
      await stop();
      await testDatabase.drop();
    },
  };
}
