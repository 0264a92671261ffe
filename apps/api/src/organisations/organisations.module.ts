import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.ts';
import { AppointmentsController, OfficialAppointmentsController } from './appointments.controller.ts';
import { AppointmentsRepository } from './appointments.repository.ts';
import { AppointmentsService } from './appointments.service.ts';
import { OrganisationKeys } from './organisation-keys.ts';
import {
  AccountOrganisationsController,
  OfficialOrganisationsController,
  OrganisationInvitationsController,
  OrganisationsController,
} from './organisations.controller.ts';
import { OrganisationsRepository } from './organisations.repository.ts';
import { OrganisationsService } from './organisations.service.ts';

/**
 * Organisations, their members, and appointments to act for someone (docs/organisations.md). Other
 * slices call `OrganisationsService.membershipsOf` and `AppointmentsService.resolveActingFor`, and name
 * members in their own entries by `OrganisationKeys.memberPseudonym`.
 */
@Module({
  imports: [IdentityModule],
  controllers: [
    OfficialOrganisationsController,
    OrganisationsController,
    OrganisationInvitationsController,
    AccountOrganisationsController,
    AppointmentsController,
    OfficialAppointmentsController,
  ],
  providers: [OrganisationKeys, OrganisationsRepository, OrganisationsService, AppointmentsRepository, AppointmentsService],
  exports: [OrganisationsService, AppointmentsService, OrganisationKeys],
})
export class OrganisationsModule {}
