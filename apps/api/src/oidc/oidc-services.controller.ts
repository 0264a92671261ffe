import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceAccessList, ServiceList, ServiceRegistered, ServiceRegistrationRequest, ServiceStatusChange, ServiceSummary } from '@townhall/protocol';
import { Audit, CurrentPrincipal, Resident, Staff, type Principal, type RequestWithPrincipal } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { OidcInteractionService } from './oidc-interaction.service.ts';
import { OidcServicesService } from './oidc-services.service.ts';

/** The register of services that use Townhall ID (council administrators). */
@ApiTags('townhall-id')
@Controller('services')
export class OidcServicesController {
  constructor(@Inject(OidcServicesService) private readonly services: OidcServicesService) {}

  @Get()
  @Staff('admin')
  @Audit('services.list')
  @ApiOperation({ summary: 'Every registered service, with what it may ask for' })
  @ApiOkResponse({ schema: openApiSchema(ServiceList) })
  list(): Promise<ServiceList> {
    return this.services.list();
  }

  @Post()
  @Staff('admin')
  @Audit('services.register')
  @ApiOperation({ summary: 'Register a service (a ServiceRegistered entry); a client secret, if any, is shown in this answer only' })
  @ApiOkResponse({ schema: openApiSchema(ServiceRegistered) })
  async register(@Body() body: unknown, @Req() request: RequestWithPrincipal): Promise<ServiceRegistered> {
    const registered = await this.services.register(parseInput(ServiceRegistrationRequest, body));
    request.auditTarget = registered.service.clientId;
    request.auditDetail = { name: registered.service.name, claims: registered.service.claims };
    return registered;
  }

  @Post(':clientId/status')
  @Staff('admin')
  @Audit('services.change-status')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend or reinstate a service (a ServiceRegistered entry); a suspended service can sign nobody in' })
  @ApiOkResponse({ schema: openApiSchema(ServiceSummary) })
  async setStatus(@Param('clientId') clientId: string, @Body() body: unknown, @Req() request: RequestWithPrincipal): Promise<ServiceSummary> {
    const { status } = parseInput(ServiceStatusChange, body);
    request.auditTarget = clientId;
    request.auditDetail = { status };
    return this.services.setStatus(clientId, status);
  }

  @Delete(':clientId')
  @Staff('admin')
  @Audit('services.delete')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete a service (a ServiceDeleted entry): its grants, codes, tokens and session bindings are revoked at once (each session told to it by back-channel logout), and its client id is never used again. It cannot be undone (SERVICE_DELETED afterwards); suspend a service to pause it',
  })
  @ApiNoContentResponse()
  async delete(@Param('clientId') clientId: string, @Req() request: RequestWithPrincipal): Promise<void> {
    request.auditTarget = clientId;
    const deleted = await this.services.delete(clientId);
    request.auditDetail = { ...deleted };
  }
}

/** A person's services: what each received, with the registry entries that record it; withdrawing access. */
@ApiTags('townhall-id')
@Controller('account/services')
export class AccountServicesController {
  constructor(@Inject(OidcInteractionService) private readonly interactions: OidcInteractionService) {}

  @Get()
  @Resident()
  @ApiOperation({ summary: 'The services the resident signed in to, what each received and when, with the ledger index of each record' })
  @ApiOkResponse({ schema: openApiSchema(ServiceAccessList) })
  list(@CurrentPrincipal() principal: Principal): Promise<ServiceAccessList> {
    return this.interactions.servicesOf(principal);
  }

  @Post(':clientId/withdraw')
  @Resident()
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a service’s access: its tokens are revoked, it is told by back-channel logout that the person’s sessions with it have ended, and it must ask again (a ConsentWithdrawn entry)' })
  async withdraw(@CurrentPrincipal() principal: Principal, @Param('clientId') clientId: string): Promise<void> {
    await this.interactions.withdraw(principal, clientId);
  }
}
