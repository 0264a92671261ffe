import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.ts';
import { RecordController } from './record.controller.ts';
import { RecordRepository } from './record.repository.ts';
import { RecordService } from './record.service.ts';

export { RecordService } from './record.service.ts';

/** The downloadable election record for observers (docs/protocol/key-ceremony-and-credentials.md, docs/protocol/record.md). */
@Module({ imports: [LedgerModule], controllers: [RecordController], providers: [RecordService, RecordRepository] })
export class RecordModule {}
