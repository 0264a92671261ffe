import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.ts';
import { LedgerRecordWriter } from './ledger-record-writer.ts';
import { RecordController } from './record.controller.ts';
import { RecordRepository } from './record.repository.ts';
import { RecordService } from './record.service.ts';

export { RecordService } from './record.service.ts';
export { LedgerRecordWriter, type LedgerRecordSpec } from './ledger-record-writer.ts';
export { sendRecord } from './send-record.ts';

/**
 * The downloadable election record for observers (docs/protocol/key-ceremony-and-credentials.md,
 * docs/protocol/record.md); its writer is shared with the contract record (docs/protocol/contracts.md §12).
 */
@Module({ imports: [LedgerModule], controllers: [RecordController], providers: [RecordService, RecordRepository, LedgerRecordWriter], exports: [LedgerRecordWriter] })
export class RecordModule {}
