import type { JobResult } from '@townhall/contracts';
import type { EntryBodyInput, EntryTypeName } from '@townhall/protocol';
import { ledgerEntry } from '../ledger/ledger-entry.ts';
import type { AppendEntry } from '../ledger/ledger.module.ts';

/** The entry type of each order event (docs/protocol/ledger.md §2.1, 0x03xx). */
export const ORDER_EVENT_ENTRY = {
  'order-raised': 'OrderRaised',
  'order-triaged': 'OrderTriaged',
  'order-accepted': 'OrderAccepted',
  'order-scheduled': 'OrderScheduled',
  'order-completed': 'OrderCompleted',
  'order-confirmed': 'OrderConfirmed',
  'order-rejected': 'OrderRejected',
  'hazard-investigated': 'HazardInvestigated',
  'hazard-summary-issued': 'HazardSummaryIssued',
} as const satisfies Record<string, EntryTypeName>;

type OrderStepEntry = Exclude<(typeof ORDER_EVENT_ENTRY)[keyof typeof ORDER_EVENT_ENTRY], 'OrderRaised' | 'OrderTriaged'>;

/**
 * A contract log's entries (docs/protocol/contracts.md §11.1), built through the one table of entry
 * types, so a wrong body is refused before anything is written. Callers pass pseudonyms
 * (ContractKeys, OrganisationKeys), never a person's data.
 */
export const contractEntries = {
  agreed: (body: EntryBodyInput<'ContractAgreed'>) => ledgerEntry('ContractAgreed', body),
  amended: (body: EntryBodyInput<'ContractAmended'>) => ledgerEntry('ContractAmended', body),
  raised: (body: EntryBodyInput<'OrderRaised'>) => ledgerEntry('OrderRaised', body),
  /** The order steps share one body shape (OrderTriaged adds `dueAt`); each type's schema checks its event at run time. */
  triaged: (body: { contractId: string; event: Record<string, unknown>; dueAt: string; by: string }) =>
    ledgerEntry('OrderTriaged', body as EntryBodyInput<'OrderTriaged'>),
  step: (type: OrderStepEntry, body: { contractId: string; event: Record<string, unknown>; by: string }): AppendEntry =>
    ledgerEntry(type, body as EntryBodyInput<OrderStepEntry>),
  paymentComputed: (body: EntryBodyInput<'PaymentComputed'>) => ledgerEntry('PaymentComputed', body),
  paymentRun: (body: EntryBodyInput<'PaymentRun'>) => ledgerEntry('PaymentRun', body),
};

/** A confirmed job's PaymentComputed figures (less the contract id), as the evaluator priced it. */
export function paymentOf(job: JobResult) {
  const price = job.price!;
  return {
    orderId: job.orderId,
    association: job.association,
    termsRevision: job.termsRevision!,
    basePence: price.basePence,
    bulkDiscountPence: price.bulkDiscountPence,
    lateReductionPence: price.lateReductionPence,
    contractorPaymentPence: price.contractorPaymentPence,
    hostFeePence: price.hostFeePence,
    associationPaysPence: price.associationPaysPence,
  };
}
