import { PowerOfAttorneyRecord, type ValidationIssue } from '@townhall/protocol';
import {
  APPOINTMENT_SCOPE_FIELD_IDS,
  appointmentScopeSummaryTarget,
  type AppointmentScope,
  dateFromParts,
  type FieldError,
  todayIso,
} from '@townhall/web-ui';

export interface PowerOfAttorneyAnswers extends AppointmentScope {
  donorElectorNumber: string;
  attorneyElectorNumber: string;
  documentReference: string;
}

export const emptyAnswers = (): PowerOfAttorneyAnswers => ({
  donorElectorNumber: '',
  attorneyElectorNumber: '',
  documentReference: '',
  purposes: [],
  endsOn: { day: '', month: '', year: '' },
});

export const fieldIds = {
  donorElectorNumber: 'donor-elector-number',
  attorneyElectorNumber: 'attorney-elector-number',
  documentReference: 'document-reference',
  ...APPOINTMENT_SCOPE_FIELD_IDS,
} as const;
const FIELD_ORDER: string[] = Object.values(fieldIds);

/** The input the error summary links to: a group's first. */
export const summaryTarget = appointmentScopeSummaryTarget;

export function describeIssue(issue: ValidationIssue): FieldError {
  const head = issue.path.split('.')[0];
  switch (head) {
    case 'donorElectorNumber':
      return { fieldId: fieldIds.donorElectorNumber, message: 'Enter the donor’s elector number' };
    case 'attorneyElectorNumber':
      return { fieldId: fieldIds.attorneyElectorNumber, message: 'Enter the attorney’s elector number' };
    case 'documentReference':
      return { fieldId: fieldIds.documentReference, message: `The reference ${issue.message}` };
    case 'purposes':
      return { fieldId: fieldIds.purposes, message: 'Select at least one thing the attorney may do' };
    case 'endsOn':
      return { fieldId: fieldIds.endsOn, message: `The end date ${issue.message.replace(/^must be a date.*/, 'must be a real date')}` };
    default:
      return { fieldId: null, message: `${issue.path}: ${issue.message}` };
  }
}

function inPageOrder(errors: readonly FieldError[]): FieldError[] {
  const byField = new Map<string | null, FieldError>();
  for (const error of errors) if (!byField.has(error.fieldId)) byField.set(error.fieldId, error);
  const rank = (fieldId: string | null) => (fieldId === null ? -1 : FIELD_ORDER.indexOf(fieldId));
  return [...byField.values()].sort((a, b) => rank(a.fieldId) - rank(b.fieldId));
}

export const errorsFromIssues = (issues: readonly ValidationIssue[]) => inPageOrder(issues.map(describeIssue));

export function validatePowerOfAttorney(
  answers: PowerOfAttorneyAnswers,
  today = todayIso(),
): { ok: true; record: PowerOfAttorneyRecord } | { ok: false; errors: FieldError[] } {
  const endsOn = dateFromParts(answers.endsOn, 'The end date');
  const request = {
    donorElectorNumber: answers.donorElectorNumber,
    attorneyElectorNumber: answers.attorneyElectorNumber,
    documentReference: answers.documentReference,
    purposes: answers.purposes,
    endsOn: endsOn.ok ? endsOn.date : today,
  };
  const parsed = PowerOfAttorneyRecord.safeParse(request);
  // An empty reference is missing rather than malformed: say what to enter (the first message for a field wins).
  const missing: FieldError[] =
    answers.documentReference.trim() === ''
      ? [{ fieldId: fieldIds.documentReference, message: 'Enter the reference of the registered document' }]
      : [];
  const schemaIssues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const errors = [...missing, ...schemaIssues.map(describeIssue)];
  if (!endsOn.ok) errors.push({ fieldId: fieldIds.endsOn, message: endsOn.message });
  else if (endsOn.date < today) errors.push({ fieldId: fieldIds.endsOn, message: 'The end date must be today or in the future' });
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: inPageOrder(errors) };
  return { ok: true, record: parsed.data };
}
