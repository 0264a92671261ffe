import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  orderReference,
  type ContractEventType,
  type ContractorWebhook,
  type ContractorWebhookState,
  type ContractorWebhookWithSecret,
  type Repair,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookOrder,
} from '@townhall/protocol';
import { AppError } from '../common/app-error.ts';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import type { TransactionClient } from '../ledger/ledger.module.ts';
import { OrganisationsService } from '../organisations/organisations.service.ts';
import { ContractWebhookDeliveryService } from './contract-webhook-delivery.service.ts';
import { checkWebhookUrl, webhookNetworkPolicy, type WebhookNetworkPolicy } from './contract-webhook-url.ts';
import { ContractWebhooksRepository, type DeliveryRow, type WebhookRow } from './contract-webhooks.repository.ts';

/** The order steps a contractor hears of, and their event types (contracts.md §14.2). */
const EVENT_OF_STEP: Partial<Record<ContractEventType, WebhookEventType>> = {
  'order-triaged': 'order.triaged',
  'order-rejected': 'order.rejected',
  'order-confirmed': 'order.confirmed',
};
/** The deliveries the administrators' page lists. */
const RECENT_DELIVERIES = 50;

const noWebhook = () => new AppError('NOT_FOUND', 'Your organisation has no webhook: register one first.');

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * A contractor's webhook (docs/protocol/contracts.md §14): its administrators register, change,
 * pause and delete one endpoint and get its signing secret once; each order step a contractor must
 * hear about records a delivery in the step's own transaction, which ContractWebhookDeliveryService
 * sends after the commit.
 */
@Injectable()
export class ContractWebhooksService {
  readonly #policy: WebhookNetworkPolicy;

  constructor(
    @Inject(ContractWebhooksRepository) private readonly repository: ContractWebhooksRepository,
    @Inject(ContractWebhookDeliveryService) private readonly delivery: ContractWebhookDeliveryService,
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.#policy = webhookNetworkPolicy(config);
  }

  // ---- the contractor's administrators (the guard has checked the role)

  async state(organisationId: string): Promise<ContractorWebhookState> {
    await this.#checkContractor(organisationId);
    const webhook = await this.repository.findWebhook(organisationId);
    return { webhook: webhook && webhookView(webhook) };
  }

  async register(organisationId: string, url: string): Promise<ContractorWebhookWithSecret> {
    await this.#checkContractor(organisationId);
    const secret = newSecret();
    const webhook = await this.repository.insertWebhook({ organisationId, url: checkWebhookUrl(url, this.#policy), secret });
    if (!webhook) throw new AppError('CONFLICT', 'Your organisation has a webhook already: change its address, or delete it first.');
    return { webhook: webhookView(webhook), secret };
  }

  /** A new address, or paused / resumed. Deliveries wait while it is paused and go, oldest first, when it is resumed. */
  async change(organisationId: string, change: { url?: string | undefined; isPaused?: boolean | undefined }): Promise<ContractorWebhookState> {
    await this.#checkContractor(organisationId);
    const webhook = await this.repository.updateWebhook(organisationId, {
      ...(change.url === undefined ? {} : { url: checkWebhookUrl(change.url, this.#policy) }),
      ...(change.isPaused === undefined ? {} : { isPaused: change.isPaused }),
    });
    if (!webhook) throw noWebhook();
    if (!webhook.isPaused) this.delivery.nudge();
    return { webhook: webhookView(webhook) };
  }

  /** A new secret, at once: from now on every attempt, of old deliveries too, is signed with it. */
  async rotateSecret(organisationId: string): Promise<ContractorWebhookWithSecret> {
    await this.#checkContractor(organisationId);
    const secret = newSecret();
    const webhook = await this.repository.updateWebhook(organisationId, { secret, secretCreatedAt: new Date() });
    if (!webhook) throw noWebhook();
    return { webhook: webhookView(webhook), secret };
  }

  /** Deletes the webhook and its deliveries, sent or not. */
  async remove(organisationId: string): Promise<void> {
    await this.#checkContractor(organisationId);
    if (!(await this.repository.deleteWebhook(organisationId))) throw noWebhook();
  }

  async deliveries(organisationId: string): Promise<WebhookDelivery[]> {
    await this.#checkContractor(organisationId);
    return (await this.repository.recentDeliveries(organisationId, RECENT_DELIVERIES)).map(deliveryView);
  }

  // ---- order steps (ContractsService)

  /**
   * In the transaction that appends an order step's entry: when the contractor has a webhook and
   * the step is one it hears of, records the delivery (the order as its work-order page shows it
   * after the step), so it commits with the entry or not at all. Acts only through `tx` (the ledger's
   * append may run its work twice).
   */
  async recordOrderEvent(
    tx: TransactionClient,
    step: { type: ContractEventType; contractorId: string; at: string; ledgerIndex: bigint; repair: Repair },
  ): Promise<void> {
    const type = EVENT_OF_STEP[step.type];
    if (!type) return;
    const webhook = await this.repository.findWebhook(step.contractorId, tx);
    if (!webhook) return;
    const id = randomUUID();
    // Built from the step's own answer, typed as the protocol's body (receivers parse it with WebhookEvent).
    const event: WebhookEvent = { id, type, timestamp: step.at, data: webhookOrder(step.repair, step.ledgerIndex) };
    await this.repository.insertDelivery(tx, {
      id,
      organisationId: webhook.organisationId,
      eventType: type,
      contractId: step.repair.contractId,
      orderId: step.repair.orderId,
      payload: JSON.stringify(event),
      nextAttemptAt: new Date(step.at),
    });
  }

  /** After the step's commit: its delivery goes now rather than at the next tick of the loop. */
  deliverSoon(): void {
    this.delivery.nudge();
  }

  async #checkContractor(organisationId: string): Promise<void> {
    const organisation = (await this.organisations.organisationsById([organisationId])).get(organisationId);
    if (organisation?.kind !== 'contractor') throw new AppError('FORBIDDEN', 'Only a contractor has a webhook for its work orders.');
  }
}

function webhookView(row: WebhookRow): ContractorWebhook {
  return {
    url: row.url,
    isPaused: row.isPaused,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    secretCreatedAt: row.secretCreatedAt.toISOString(),
  };
}

function deliveryView(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    type: row.eventType as WebhookEventType,
    orderId: row.orderId,
    contractId: row.contractId,
    createdAt: row.createdAt.toISOString(),
    status: row.status as WebhookDelivery['status'],
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: row.status === 'pending' ? (row.nextAttemptAt?.toISOString() ?? null) : null,
  };
}

/** What the contractor's work-order page shows of the order (contracts.md §14.2); the contractor's side of the price only. */
function webhookOrder(repair: Repair, ledgerIndex: bigint): WebhookOrder {
  const payment = repair.payment;
  return {
    contractId: repair.contractId,
    orderId: repair.orderId,
    reference: orderReference(repair.orderId),
    associationId: repair.associationId,
    state: repair.state,
    description: repair.description,
    location: repair.location,
    address: repair.address,
    reportedPriority: repair.reportedPriority,
    hazards: repair.hazards,
    itemCode: repair.itemCode,
    quantity: repair.quantity,
    priority: repair.priority,
    hazard: repair.hazard,
    dueAt: repair.dueAt,
    appointment: repair.appointment,
    rejection: repair.rejection,
    payment: payment && {
      termsRevision: payment.termsRevision,
      basePence: payment.basePence,
      bulkDiscountPence: payment.bulkDiscountPence,
      lateReductionPence: payment.lateReductionPence,
      contractorPaymentPence: payment.contractorPaymentPence,
    },
    log: repair.log,
    ledgerIndex: ledgerIndex.toString(),
  };
}
