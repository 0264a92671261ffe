import { Module } from '@nestjs/common';
import { CouncilController } from './council.controller.ts';
import { CouncilRepository } from './council.repository.ts';
import { CouncilService } from './council.service.ts';

@Module({ controllers: [CouncilController], providers: [CouncilService, CouncilRepository], exports: [CouncilService] })
export class CouncilModule {}
