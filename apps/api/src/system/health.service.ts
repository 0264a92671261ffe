import { Inject, Injectable } from '@nestjs/common';
import type { HealthResponse } from '@townhall/protocol';
import { DATABASE, type Database } from '../database/database.ts';
import { migrationStatus } from '../database/migrations.ts';
import { version } from '../version.ts';

@Injectable()
export class HealthService {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async check(): Promise<HealthResponse> {
    const dialect = this.database.sql.dialect;
    try {
      await this.database.sql.query('SELECT 1');
      const migrations = await migrationStatus(this.database.sql);
      return { status: migrations.pending === 0 ? 'ok' : 'degraded', version, database: { reachable: true, dialect }, migrations };
    } catch {
      return { status: 'degraded', version, database: { reachable: false, dialect }, migrations: { applied: 0, pending: 0 } };
    }
  }
}
