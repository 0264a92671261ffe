import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from './config/config.ts';
import { DATABASE, type Database } from './database/database.ts';
import { AppErrorFilter } from './common/app-error.filter.ts';
import { AccessGuard } from './common/access.guard.ts';
import { SystemModule } from './system/system.module.ts';
import { CouncilModule } from './council/council.module.ts';
import { IdentityModule } from './identity/identity.module.ts';
import { RollModule } from './roll/roll.module.ts';
import { StaffModule } from './staff/staff.module.ts';
import { LedgerModule } from './ledger/ledger.module.ts';
import { ElectionsModule } from './elections/elections.module.ts';
import { RecordModule } from './record/record.module.ts';
import { OidcModule } from './oidc/oidc.module.ts';
import { OrganisationsModule } from './organisations/organisations.module.ts';
import { ContractsModule } from './contracts/contracts.module.ts';

/** Configuration and the database, available to every feature module. */
@Global()
@Module({})
class CoreModule {
  static register(config: AppConfig, database: Database): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATABASE, useValue: database },
      ],
      exports: [APP_CONFIG, DATABASE],
    };
  }
}

/** Feature modules, one per bounded part of docs/architecture.md (identity, roll, elections, ledger, ...). */
const featureModules = [SystemModule, CouncilModule, LedgerModule, IdentityModule, RollModule, StaffModule, ElectionsModule, RecordModule, OidcModule, OrganisationsModule, ContractsModule];

@Module({})
export class AppModule {
  static register(config: AppConfig, database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.register(config, database), ...featureModules],
      providers: [
        { provide: APP_FILTER, useClass: AppErrorFilter },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
