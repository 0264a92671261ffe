import { AppointmentRequest, type ValidationIssue } from '@townhall/protocol';
import {
  APPOINTMENT_SCOPE_FIELD_IDS,
  appointmentScopeSummaryTarget,
  type AppointmentScope,
  dateFromParts,
  type FieldError,
  todayIso,
} from '@townhall/web-ui';

export interface AppointAnswers extends AppointmentScope {
  code: string;
}

export const emptyAnswers = (): AppointAnswers => ({ code: '', purposes: [], endsOn: { day: '', month: '', year: '' } });

export const fieldIds = { code: 'representative-code', ...APPOINTMENT_SCOPE_FIELD_IDS } as const;
const FIELD_ORDER: string[] = Object.values(fieldIds);

export const summaryTarget = appointmentScopeSummaryTarget;

export function describeIssue(issue: ValidationIssue): FieldError {
  switch (issue.path.split('.')[0]) {
    case 'representativeCode':
      return { fieldId: fieldIds.code, message: 'Enter the 12 letters and digits of the code, like ABCD-EFGH-JKMN' };
    case 'purposes':
      return { fieldId: fieldIds.purposes, message: 'Select at least one thing they may do for you' };
    case 'endsOn':
      return { fieldId: fieldIds.endsOn, message: 'The end date must be today or later, and no more than 10 years from today' };
    default:
      return { fieldId: null, message: issue.message };
  }
}

function inPageOrder(errors: readonly FieldError[]): FieldError[] {
  const byField = new Map<string | null, FieldError>();
  for (const error of errors) if (!byField.has(error.fieldId)) byField.set(error.fieldId, error);
  const rank = (fieldId: string | null) => (fieldId === null ? -1 : FIELD_ORDER.indexOf(fieldId));
  return [...byField.values()].sort((a, b) => rank(a.fieldId) - rank(b.fieldId));
}

export const errorsFromIssues = (issues: readonly ValidationIssue[]) => inPageOrder(issues.map(describeIssue));

export function validateAppointment(
  answers: AppointAnswers,
  today = todayIso(),
): { ok: true; request: AppointmentRequest } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (answers.code.trim() === '') {
    errors.push({ fieldId: fieldIds.code, message: 'Enter the appointment code your representative gave you' });
  }
  const endsOn = dateFromParts(answers.endsOn, 'The end date');
  if (!endsOn.ok) errors.push({ fieldId: fieldIds.endsOn, message: endsOn.message });
  else if (endsOn.date < today) errors.push({ fieldId: fieldIds.endsOn, message: 'The end date must be today or in the future' });
  const request = { representativeCode: answers.code, purposes: answers.purposes, endsOn: endsOn.ok ? endsOn.date : today };
  const parsed = AppointmentRequest.safeParse(request);
  if (!parsed.success) {
    errors.push(...parsed.error.issues.map((issue) => describeIssue({ path: issue.path.map(String).join('.'), message: issue.message })));
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: inPageOrder(errors) };
  return { ok: true, request: parsed.data };
}
