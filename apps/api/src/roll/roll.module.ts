import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.ts';
import { RollController } from './roll.controller.ts';
import { RollRepository } from './roll.repository.ts';
import { RollService } from './roll.service.ts';

/** The electoral roll: CSV imports with a preview, RollCommitted entries, poll cards. */
@Module({ imports: [IdentityModule], controllers: [RollController], providers: [RollService, RollRepository], exports: [RollService] })
export class RollModule {}
