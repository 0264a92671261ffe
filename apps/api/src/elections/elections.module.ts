import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.ts';
import { LedgerModule } from '../ledger/ledger.module.ts';
import { ElectionsController } from './elections.controller.ts';
import { ElectionsRepository } from './elections.repository.ts';
import { ElectionsService } from './definition/elections.service.ts';
import { CeremonyService } from './ceremony/ceremony.service.ts';
import { CredentialsService } from './credentials/credentials.service.ts';
import { BallotsService } from './ballots/ballots.service.ts';
import { TallyService } from './tally/tally.service.ts';
import { ElectionScheduler } from './scheduler.ts';
import { BallotKeyVaultController } from './ballot-key-vault/ballot-key-vault.controller.ts';
import { BallotKeyVaultRepository } from './ballot-key-vault/ballot-key-vault.repository.ts';
import { BallotKeyVaultService } from './ballot-key-vault/ballot-key-vault.service.ts';

export { ElectionsService } from './definition/elections.service.ts';
export { ElectionScheduler } from './scheduler.ts';

/** Elections end to end: definition and lifecycle, key ceremony, credentials, ballots, tally (docs/protocol/elections.md). */
@Module({
  imports: [LedgerModule, IdentityModule],
  controllers: [ElectionsController, BallotKeyVaultController],
  providers: [
    ElectionsRepository,
    ElectionsService,
    CeremonyService,
    CredentialsService,
    BallotsService,
    TallyService,
    ElectionScheduler,
    BallotKeyVaultRepository,
    BallotKeyVaultService,
  ],
  exports: [ElectionsService, CeremonyService, ElectionScheduler],
})
export class ElectionsModule {}
