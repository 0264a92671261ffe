import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.ts';
import { OrganisationsModule } from '../organisations/organisations.module.ts';
import { OidcInteractionController } from './oidc-interaction.controller.ts';
import { OidcInteractionService } from './oidc-interaction.service.ts';
import { OidcKeys } from './oidc-keys.ts';
import { OidcLedger } from './oidc-ledger.ts';
import { OidcPayloadRepository } from './oidc-payload.repository.ts';
import { OidcProviderService } from './oidc-provider.service.ts';
import { AccountServicesController, OidcServicesController } from './oidc-services.controller.ts';
import { OidcServicesService } from './oidc-services.service.ts';
import { OidcRepository } from './oidc.repository.ts';

/** Townhall ID (docs/identity.md): the OpenID Connect provider, its interaction pages' API, the service register. */
@Module({
  imports: [IdentityModule, OrganisationsModule],
  controllers: [OidcInteractionController, OidcServicesController, AccountServicesController],
  providers: [OidcKeys, OidcPayloadRepository, OidcRepository, OidcLedger, OidcProviderService, OidcInteractionService, OidcServicesService],
  exports: [OidcProviderService, OidcKeys],
})
export class OidcModule {}
