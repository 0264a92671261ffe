import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from './config/config.ts';
import { DATABASE, type Database } from './database/database.ts';
import { AppErrorFilter } from './common/app-error.filter.ts';
import { AccessGuard } from './common/access.guard.ts';
import { HealthController } from './system/health.controller.ts';
import { HealthService } from './system/health.service.ts';
import { CouncilController } from './council/council.controller.ts';
import { CouncilService } from './council/council.service.ts';
import { CouncilRepository } from './council/council.repository.ts';

@Module({})
export class AppModule {
  static register(config: AppConfig, database: Database): DynamicModule {
    return {
      module: AppModule,
      global: true,
      controllers: [HealthController, CouncilController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATABASE, useValue: database },
        { provide: APP_FILTER, useClass: AppErrorFilter },
        { provide: APP_GUARD, useClass: AccessGuard },
        HealthService,
        CouncilService,
        CouncilRepository,
      ],
      exports: [APP_CONFIG, DATABASE],
    };
  }
}
