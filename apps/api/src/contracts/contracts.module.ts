import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.ts';
import { OrganisationsModule } from '../organisations/organisations.module.ts';
import { RecordModule } from '../record/record.module.ts';
import { ContractOcdsService } from './contract-ocds.service.ts';
import { ContractRecordController } from './contract-record.controller.ts';
import { ContractRecordService } from './contract-record.service.ts';
import { ContractKeys } from './contract-keys.ts';
import { ContractWebhookDeliveryService } from './contract-webhook-delivery.service.ts';
import { ContractWebhooksController } from './contract-webhooks.controller.ts';
import { ContractWebhooksRepository } from './contract-webhooks.repository.ts';
import { ContractWebhooksService } from './contract-webhooks.service.ts';
import {
  AccountRepairsController,
  AssociationRepairsController,
  ContractsController,
  PaymentRunsController,
  WorkOrdersController,
} from './contracts.controller.ts';
import { ContractsRepository } from './contracts.repository.ts';
import { ContractsService } from './contracts.service.ts';

/**
 * Repairs contracts between housing associations and a contractor (docs/protocol/contracts.md §11):
 * terms approved by every party, orders from a tenant's report to a priced job, payment runs; one
 * ledger log per contract. Prices come only from the evaluator, packages/contracts.
 */
@Module({
  imports: [IdentityModule, OrganisationsModule, RecordModule],
  controllers: [ContractsController, AssociationRepairsController, WorkOrdersController, PaymentRunsController, AccountRepairsController, ContractRecordController, ContractWebhooksController],
  providers: [
    ContractKeys,
    ContractsRepository,
    ContractsService,
    ContractRecordService,
    ContractOcdsService,
    ContractWebhooksRepository,
    ContractWebhooksService,
    ContractWebhookDeliveryService,
  ],
})
export class ContractsModule {}
