import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.ts';
import { StaffController } from './staff.controller.ts';
import { StaffService } from './staff.service.ts';

/** Staff: invitations, joining with a passkey, the staff list and the audit trail of staff actions. */
@Module({ imports: [IdentityModule], controllers: [StaffController], providers: [StaffService], exports: [StaffService] })
export class StaffModule {}
