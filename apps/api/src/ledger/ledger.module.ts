import { Module } from '@nestjs/common';
import { LedgerController } from './ledger.controller.ts';
import { LedgerRepository } from './ledger.repository.ts';
import { LedgerService } from './ledger.service.ts';

export type { TransactionClient } from './ledger.repository.ts';
export type { AppendWork, AppendOutcome, AppendPosition, Appended, AppendEntry } from './ledger-sequencer.ts';
export { LedgerService, REGISTRY_LOG, contractLogName, electionLogName } from './ledger.service.ts';

/** Witnessed Merkle logs (docs/protocol/ledger.md): appends for the other modules, public read endpoints for everyone. */
@Module({ controllers: [LedgerController], providers: [LedgerService, LedgerRepository], exports: [LedgerService] })
export class LedgerModule {}
