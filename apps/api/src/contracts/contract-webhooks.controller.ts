import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADMINISTRATOR_ROLE,
  ContractorWebhookChange,
  ContractorWebhookRegistration,
  ContractorWebhookState,
  ContractorWebhookWithSecret,
  WebhookDeliveryList,
} from '@townhall/protocol';
import { OrganisationMember } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { ContractWebhooksService } from './contract-webhooks.service.ts';

/** A contractor's webhook for its work orders (docs/protocol/contracts.md §14): its administrators only. */
@ApiTags('contracts')
@Controller('organisations/:id/webhook')
export class ContractWebhooksController {
  constructor(@Inject(ContractWebhooksService) private readonly webhooks: ContractWebhooksService) {}

  @Get()
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'The contractor’s webhook, if it has one (never its secret)' })
  @ApiOkResponse({ schema: openApiSchema(ContractorWebhookState) })
  state(@Param('id') id: string): Promise<ContractorWebhookState> {
    return this.webhooks.state(id);
  }

  @Post()
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'Register the contractor’s webhook endpoint (https); the answer holds its signing secret, shown this once' })
  @ApiCreatedResponse({ schema: openApiSchema(ContractorWebhookWithSecret) })
  register(@Param('id') id: string, @Body() body: unknown): Promise<ContractorWebhookWithSecret> {
    return this.webhooks.register(id, parseInput(ContractorWebhookRegistration, body).url);
  }

  @Patch()
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'Change the endpoint’s address, or pause or resume its deliveries (they wait while it is paused)' })
  @ApiOkResponse({ schema: openApiSchema(ContractorWebhookState) })
  change(@Param('id') id: string, @Body() body: unknown): Promise<ContractorWebhookState> {
    return this.webhooks.change(id, parseInput(ContractorWebhookChange, body));
  }

  @Post('secret')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the signing secret at once; the answer holds the new one, shown this once' })
  @ApiOkResponse({ schema: openApiSchema(ContractorWebhookWithSecret) })
  rotateSecret(@Param('id') id: string): Promise<ContractorWebhookWithSecret> {
    return this.webhooks.rotateSecret(id);
  }

  @Delete()
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the webhook and its deliveries, sent or not' })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Get('deliveries')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'The latest 50 deliveries, newest first: event, order, status, attempts, the last answer and the next attempt' })
  @ApiOkResponse({ schema: openApiSchema(WebhookDeliveryList) })
  async deliveries(@Param('id') id: string): Promise<WebhookDeliveryList> {
    return { deliveries: await this.webhooks.deliveries(id) };
  }
}
