import { HAZARDS, PRIORITIES, REJECTION_REASONS, type Hazard, type Priority, type Repair } from '@townhall/protocol';
import type { FieldError } from '@townhall/web-ui';
import type { WorkStep } from '../api/repairs-work.ts';

/** The triage form: the catalogue item, how many, the priority that counts, the damp-and-mould class. */
export interface TriageAnswers {
  itemCode: string;
  quantity: string;
  priority: Priority | '';
  hazard: Hazard | '';
}

export const triageFieldIds = { itemCode: 'item-code', quantity: 'quantity', priority: 'priority', hazard: 'hazard' } as const;

/** The tenant's own urgency is where staff start; the hazard class is a decision they must make. */
export const triageAnswersFor = (repair: Repair): TriageAnswers => ({
  itemCode: '',
  quantity: '1',
  priority: repair.reportedPriority,
  hazard: repair.hazards.dampOrMould ? '' : 'none',
});

export function validateTriage(answers: TriageAnswers, itemCodes: readonly string[]): { ok: true; step: WorkStep } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!itemCodes.includes(answers.itemCode)) errors.push({ fieldId: triageFieldIds.itemCode, message: 'Select the catalogue item for the work' });
  const quantity = /^\s*\d+\s*$/.test(answers.quantity) ? Number(answers.quantity) : Number.NaN;
  if (!(quantity >= 1 && quantity <= 1000)) errors.push({ fieldId: triageFieldIds.quantity, message: 'Enter how many, a whole number from 1 to 1,000' });
  if (!(PRIORITIES as readonly string[]).includes(answers.priority)) errors.push({ fieldId: triageFieldIds.priority, message: 'Select how urgent the repair is' });
  if (!(HAZARDS as readonly string[]).includes(answers.hazard)) {
    errors.push({ fieldId: triageFieldIds.hazard, message: 'Select whether there is a damp or mould hazard' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, step: { step: 'triage', body: { itemCode: answers.itemCode, quantity, priority: answers.priority as Priority, hazard: answers.hazard as Hazard } } };
}

/** The visit: its start and end in the person's own time zone (`datetime-local` inputs). */
export interface ScheduleAnswers {
  start: string;
  end: string;
}

export const scheduleFieldIds = { start: 'appointment-start', end: 'appointment-end' } as const;

const instantOf = (local: string): Date | null => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local)) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date;
};

export function validateSchedule(answers: ScheduleAnswers): { ok: true; step: WorkStep } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const start = instantOf(answers.start);
  const end = instantOf(answers.end);
  if (!start) errors.push({ fieldId: scheduleFieldIds.start, message: 'Enter the date and time the visit starts' });
  if (!end) errors.push({ fieldId: scheduleFieldIds.end, message: 'Enter the date and time the visit ends' });
  else if (start && end.getTime() <= start.getTime()) errors.push({ fieldId: scheduleFieldIds.end, message: 'The visit must end after it starts' });
  if (errors.length > 0 || !start || !end) return { ok: false, errors };
  return { ok: true, step: { step: 'schedule', body: { appointmentStart: start.toISOString(), appointmentEnd: end.toISOString() } } };
}

/** The rejection: a reason from the list, and a short detail for the contractor, with no personal data. */
export interface RejectionAnswers {
  reason: (typeof REJECTION_REASONS)[number] | '';
  detail: string;
}

export const rejectionFieldIds = { reason: 'rejection-reason', detail: 'rejection-detail' } as const;
export const MAX_REJECTION_DETAIL = 280;

export function validateRejection(answers: RejectionAnswers): { ok: true; step: WorkStep } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!(REJECTION_REASONS as readonly string[]).includes(answers.reason)) errors.push({ fieldId: rejectionFieldIds.reason, message: 'Select why the work is not right' });
  if (answers.detail.trim().length > MAX_REJECTION_DETAIL) {
    errors.push({ fieldId: rejectionFieldIds.detail, message: `The detail must be ${MAX_REJECTION_DETAIL} characters or fewer` });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, step: { step: 'reject', body: { reason: answers.reason as (typeof REJECTION_REASONS)[number], detail: answers.detail.trim() } } };
}
