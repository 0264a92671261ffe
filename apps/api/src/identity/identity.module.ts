import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { LedgerModule } from '../ledger/ledger.module.ts';
import { StaffRepository } from '../staff/staff.repository.ts';
import { StaffAuditInterceptor } from '../staff/staff-audit.interceptor.ts';
import { ActivationThrottle } from './activation-throttle.ts';
import { DeploymentSecretsRepository } from './deployment-secrets.repository.ts';
import { IdentityController } from './identity.controller.ts';
import { IdentityKeys } from './identity-keys.ts';
import { IdentityRepository } from './identity.repository.ts';
import { IdentityService } from './identity.service.ts';
import { SessionService } from './session.service.ts';
import { WebAuthnService } from './webauthn.service.ts';

const shared = [IdentityRepository, StaffRepository, DeploymentSecretsRepository, IdentityKeys, SessionService, WebAuthnService];

/** Sessions, passkeys and residents; also provides the building blocks the roll and staff modules use. */
@Module({
  imports: [LedgerModule],
  controllers: [IdentityController],
  providers: [...shared, ActivationThrottle, IdentityService, { provide: APP_INTERCEPTOR, useClass: StaffAuditInterceptor }],
  exports: [...shared, LedgerModule],
})
export class IdentityModule {}
