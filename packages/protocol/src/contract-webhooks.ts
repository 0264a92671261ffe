import { z } from 'zod';
import { HazardAnswers } from './contract-records.ts';
import { Hazard, ORDER_STATES, Priority } from './contracts.ts';

/**
 * A contractor's webhook (docs/protocol/contracts.md §14): the order steps a contractor must hear
 * about are POSTed, signed with the Standard Webhooks scheme, to one HTTPS endpoint its
 * administrators register. These are the API's bodies and the body of each delivery.
 *
 * Routes (all under /api; organisation(administrator): an administrator of the contractor in the path).
 *
 * method path                                          access                           body → response
 * GET    /organisations/:id/webhook                    organisation(administrator)      – → ContractorWebhookState
 * POST   /organisations/:id/webhook                    organisation(administrator)      ContractorWebhookRegistration → ContractorWebhookWithSecret (201; the secret, once)
 * PATCH  /organisations/:id/webhook                    organisation(administrator)      ContractorWebhookChange → ContractorWebhookState
 * POST   /organisations/:id/webhook/secret             organisation(administrator)      {} → ContractorWebhookWithSecret (a new secret, once)
 * DELETE /organisations/:id/webhook                    organisation(administrator)      – → 204
 * GET    /organisations/:id/webhook/deliveries         organisation(administrator)      – → WebhookDeliveryList (the latest 50)
 *
 * Errors besides VALIDATION_FAILED: WEBHOOK_URL_INVALID (422: not https, credentials in it, a
 * private, loopback or link-local address), CONFLICT (409: one is registered already), NOT_FOUND (no
 * webhook registered), FORBIDDEN (the organisation is not a contractor, or the caller not its administrator).
 */

/** The longest endpoint URL accepted, in characters (as typed; the server checks the parsed URL too). */
export const MAX_WEBHOOK_URL_LENGTH = 2000;
/** Attempts per delivery before it is given up (the first and seven retries, over about a day). */
export const MAX_WEBHOOK_ATTEMPTS = 8;

/** The event types sent, each after the order step of the same name (contracts.md §3.1). */
export const WEBHOOK_EVENT_TYPES = ['order.triaged', 'order.rejected', 'order.confirmed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The endpoint as typed: its shape only; whether it may be called is the server's decision (WEBHOOK_URL_INVALID). */
export const WebhookUrl = z
  .string()
  .trim()
  .min(1, 'enter the address of your endpoint')
  .max(MAX_WEBHOOK_URL_LENGTH, `must be ${MAX_WEBHOOK_URL_LENGTH} characters or fewer`);

export const ContractorWebhookRegistration = z.strictObject({ url: WebhookUrl });
export const ContractorWebhookChange = z
  .strictObject({ url: WebhookUrl.optional(), isPaused: z.boolean().optional() })
  .refine((change) => change.url !== undefined || change.isPaused !== undefined, { message: 'give url or isPaused' });

/** What anyone of the contractor's administrators sees of the webhook: never its secret. */
export const ContractorWebhook = z.object({
  url: z.string(),
  isPaused: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  secretCreatedAt: z.string(),
});
export type ContractorWebhook = z.infer<typeof ContractorWebhook>;
export const ContractorWebhookState = z.object({ webhook: ContractorWebhook.nullable() });
export type ContractorWebhookState = z.infer<typeof ContractorWebhookState>;
/** Only in the answer that makes the secret (registration, rotation): it is never shown again. */
export const ContractorWebhookWithSecret = z.object({
  webhook: ContractorWebhook,
  /** `whsec_` and the base64 of 32 random bytes: the key of any Standard Webhooks library. */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+=*$/),
});
export type ContractorWebhookWithSecret = z.infer<typeof ContractorWebhookWithSecret>;

export const WebhookDelivery = z.object({
  /** The event id: `webhook-id` and the body's `id`; the same on every attempt. */
  id: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  orderId: z.string(),
  contractId: z.string(),
  createdAt: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** The HTTP status of the last attempt; null when it got no answer (refused, timed out, unreachable). */
  lastStatusCode: z.number().int().nullable(),
  /** What went wrong with the last attempt, in a few words; the endpoint's answer, cut short. */
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** When it is tried next; null once delivered or given up. */
  nextAttemptAt: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery) });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

/**
 * The order as the contractor's own work-order page shows it, when the event happened: nothing
 * about the tenant but what the contractor's staff see (what is wrong, where, the address to attend).
 */
export const WebhookOrder = z.strictObject({
  contractId: z.string(),
  orderId: z.string(),
  /** The order's short reference (`orderReference`), as staff quote it. */
  reference: z.string(),
  associationId: z.string(),
  state: z.enum(ORDER_STATES),
  description: z.string(),
  location: z.string(),
  address: z.string(),
  reportedPriority: Priority,
  hazards: HazardAnswers,
  itemCode: z.string().nullable(),
  quantity: z.number().int().nullable(),
  priority: Priority.nullable(),
  hazard: Hazard.nullable(),
  /** The contractual deadline the evaluator computed at triage (contracts.md §5.4). */
  dueAt: z.string().nullable(),
  appointment: z.strictObject({ start: z.string(), end: z.string() }).nullable(),
  rejection: z.strictObject({ reason: z.string(), detail: z.string() }).nullable(),
  /** Once confirmed: the contractor's side of the job's price (never the host's fee or what the association pays). */
  payment: z
    .strictObject({
      termsRevision: z.number().int(),
      basePence: z.number().int(),
      bulkDiscountPence: z.number().int(),
      lateReductionPence: z.number().int(),
      contractorPaymentPence: z.number().int(),
    })
    .nullable(),
  /** The step's entry in the contract's public log: `GET /api/ledger/<log>/receipt/<ledgerIndex>`. */
  log: z.string(),
  ledgerIndex: z.string(),
});
export type WebhookOrder = z.infer<typeof WebhookOrder>;

/** The JSON body of a delivery (Standard Webhooks: `type`, `timestamp`, `data`; and the event `id`). */
export const WebhookEvent = z.strictObject({
  id: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  /** The step's instant, as in its ledger entry. */
  timestamp: z.string(),
  data: WebhookOrder,
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;
