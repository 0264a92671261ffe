import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';

/** The one query the record needs that the ledger service does not offer: every published checkpoint of a log. */
@Injectable()
export class RecordRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Published checkpoint notes (log signature and cosignatures) of a log, by ascending size, up to `maxSize`. */
  async publishedCheckpoints(logName: string, maxSize: bigint): Promise<{ size: bigint; note: string }[]> {
    const log = await this.database.prisma.ledgerLog.findFirst({ where: { name: logName }, select: { id: true } });
    if (!log) return [];
    return this.database.prisma.ledgerCheckpoint.findMany({
      where: { logId: log.id, publishedAt: { not: null }, size: { lte: maxSize } },
      orderBy: { size: 'asc' },
      select: { size: true, note: true },
    });
  }
}
