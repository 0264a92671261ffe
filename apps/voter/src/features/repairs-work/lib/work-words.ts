import type { Hazard, OrderState, Priority, Repair } from '@townhall/protocol';
import type { WorkSide } from '../api/repairs-work.ts';

/** An order's state as the staff of either party read it (docs/protocol/contracts.md §3.1). */
export const WORK_STATE_TAGS: Record<OrderState, { text: string; className: string }> = {
  raised: { text: 'To triage', className: 'govuk-tag--blue' },
  triaged: { text: 'Sent to contractor', className: 'govuk-tag--light-blue' },
  accepted: { text: 'Accepted', className: 'govuk-tag--light-blue' },
  scheduled: { text: 'Visit booked', className: 'govuk-tag--turquoise' },
  completed: { text: 'To check', className: 'govuk-tag--purple' },
  rejected: { text: 'To redo', className: 'govuk-tag--orange' },
  confirmed: { text: 'Confirmed', className: 'govuk-tag--green' },
};

export const PRIORITY_LABELS: Record<Priority, string> = { emergency: 'Emergency', urgent: 'Urgent', routine: 'Routine' };

export const HAZARD_LABELS: Record<Hazard, { label: string; hint: string }> = {
  none: { label: 'No damp or mould hazard', hint: 'The repair has nothing to do with damp or mould, or the damp is not a hazard.' },
  emergency: {
    label: 'Emergency damp or mould hazard',
    hint: 'A significant risk of harm now: it must be made safe within the contract’s emergency hours (Awaab’s Law: at most 24).',
  },
  significant: {
    label: 'Significant damp or mould hazard',
    hint: 'It must be investigated within the contract’s working days, the tenant told in writing, and made safe after.',
  },
};

export const REJECTION_REASON_LABELS = {
  'not-fixed': 'The fault is not fixed',
  'wrong-item-fitted': 'The wrong item was fitted',
  'poor-workmanship': 'The workmanship is poor',
  'not-attended': 'Nobody attended',
  other: 'Another reason',
} as const;

/** Each step of an order's history, as staff read it. */
const STEP_WORDS: Record<string, string> = {
  'order-raised': 'Reported by the tenant',
  'order-triaged': 'Triaged and sent to the contractor',
  'hazard-investigated': 'Damp or mould hazard investigated',
  'hazard-summary-issued': 'Written summary sent to the tenant',
  'order-accepted': 'Accepted by the contractor',
  'order-scheduled': 'Visit booked',
  'order-completed': 'Completed by the contractor',
  'order-rejected': 'Rejected: to be done again',
  'order-confirmed': 'Confirmed and priced',
};

export const workStepWords = (type: string) => STEP_WORDS[type] ?? type;

const hasStep = (repair: Repair, type: string) => repair.history.some((s) => s.type === type);

/** A significant hazard still to be investigated, or whose written summary is still to be sent. */
export function hazardStepDue(repair: Repair): 'hazard-investigated' | 'hazard-summary-issued' | null {
  if (repair.hazard !== 'significant' || repair.state === 'raised') return null;
  if (!hasStep(repair, 'hazard-investigated')) return repair.state === 'confirmed' ? null : 'hazard-investigated';
  return hasStep(repair, 'hazard-summary-issued') ? null : 'hazard-summary-issued';
}

/** What this side must do next on the order, in words, or null when it waits on the other side. */
export function nextForSide(repair: Repair, side: WorkSide): string | null {
  if (side === 'association') {
    if (repair.state === 'raised') return 'Triage it';
    const hazard = hazardStepDue(repair);
    if (hazard === 'hazard-investigated') return 'Investigate the hazard';
    if (repair.state === 'completed') return 'Check the work';
    if (hazard === 'hazard-summary-issued') return 'Send the written summary';
    return null;
  }
  if (repair.state === 'triaged') return 'Accept it';
  if (repair.state === 'accepted' || repair.state === 'rejected') return repair.hazard === 'significant' && hazardStepDue(repair) === 'hazard-investigated' ? 'Book a visit' : 'Book a visit or complete it';
  if (repair.state === 'scheduled') return 'Complete it';
  return null;
}

/** Pence as pounds, for people: 12345 → "£123.45". */
export const pounds = (pence: number | string | bigint) => {
  const value = BigInt(pence);
  return `£${(value / 100n).toLocaleString('en-GB')}.${(value % 100n).toString().padStart(2, '0')}`;
};

