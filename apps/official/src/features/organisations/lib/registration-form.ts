import { ORGANISATION_KINDS, OrganisationRegistration, type OrganisationKind, type ValidationIssue } from '@townhall/protocol';
import { choiceId, type FieldError } from '@townhall/web-ui';

/** What the administrator typed. */
export interface RegistrationAnswers {
  kind: OrganisationKind | null;
  legalName: string;
  companyNumber: string;
  charityNumber: string;
  address: string;
  administratorName: string;
}

export const emptyAnswers = (): RegistrationAnswers => ({
  kind: null,
  legalName: '',
  companyNumber: '',
  charityNumber: '',
  address: '',
  administratorName: '',
});

/** The form's fields in page order (the error summary's order). */
export const fieldIds = {
  kind: 'kind',
  legalName: 'legal-name',
  companyNumber: 'company-number',
  charityNumber: 'charity-number',
  address: 'address',
  administratorName: 'administrator-name',
} as const;
const FIELD_ORDER: string[] = Object.values(fieldIds);

/** The input the error summary links to: the first radio for the kind. */
export const summaryTarget = (fieldId: string) => (fieldId === fieldIds.kind ? choiceId(fieldIds.kind, ORGANISATION_KINDS[0]) : fieldId);

/** The request the answers make: a number left blank is no number. */
export function requestFromAnswers(answers: RegistrationAnswers): Record<string, unknown> {
  const orNull = (text: string) => (text.trim() === '' ? null : text);
  return {
    ...(answers.kind ? { kind: answers.kind } : {}),
    legalName: answers.legalName,
    companyNumber: orNull(answers.companyNumber),
    charityNumber: orNull(answers.charityNumber),
    address: answers.address,
  };
}

const isTooBig = (message: string) => message.startsWith('must be at most') || message.startsWith('Too big');

/** A protocol issue (the form's own check or the server's VALIDATION_FAILED `issues`) on its field, in words. */
export function describeIssue(issue: ValidationIssue): FieldError {
  const head = issue.path.split('.')[0];
  const { message } = issue;
  switch (head) {
    case 'kind':
      return { fieldId: fieldIds.kind, message: 'Select the kind of organisation' };
    case 'legalName':
      return {
        fieldId: fieldIds.legalName,
        message: isTooBig(message) ? 'The legal name must be 160 characters or fewer' : 'Enter the organisation’s legal name',
      };
    case 'companyNumber':
      return { fieldId: fieldIds.companyNumber, message: `The Companies House number ${message}` };
    case 'charityNumber':
      return { fieldId: fieldIds.charityNumber, message: `The charity number ${message}` };
    case 'address':
      return {
        fieldId: fieldIds.address,
        message: isTooBig(message) ? 'The address must be 400 characters or fewer' : 'Enter the organisation’s address',
      };
    case 'displayName':
      return { fieldId: fieldIds.administratorName, message: `The administrator’s name ${message}` };
    default:
      return { fieldId: null, message: `${issue.path}: ${message}` };
  }
}

/** One message per field (the first), in page order; problems with the whole form first. */
function inPageOrder(errors: readonly FieldError[]): FieldError[] {
  const byField = new Map<string | null, FieldError>();
  for (const error of errors) if (!byField.has(error.fieldId)) byField.set(error.fieldId, error);
  const rank = (fieldId: string | null) => (fieldId === null ? -1 : FIELD_ORDER.indexOf(fieldId));
  return [...byField.values()].sort((a, b) => rank(a.fieldId) - rank(b.fieldId));
}

export function errorsFromIssues(issues: readonly ValidationIssue[]): FieldError[] {
  return inPageOrder(issues.map(describeIssue));
}

/** A registration refused as a duplicate: the number is what to change (docs/organisations.md §2). */
export function duplicateNumberError(answers: RegistrationAnswers, message: string): FieldError {
  const fieldId = answers.companyNumber.trim() !== '' ? fieldIds.companyNumber : fieldIds.charityNumber;
  return { fieldId, message };
}

/** The protocol's rules (the schema the server checks with), and the administrator's name the invitation needs. */
export function validateRegistration(
  answers: RegistrationAnswers,
): { ok: true; registration: OrganisationRegistration; administratorName: string } | { ok: false; errors: FieldError[] } {
  const request = requestFromAnswers(answers);
  const parsed = OrganisationRegistration.safeParse(request);
  const issues: ValidationIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const administratorName = answers.administratorName.trim();
  const errors = issues.map(describeIssue);
  if (administratorName === '') errors.push({ fieldId: fieldIds.administratorName, message: 'Enter the name of its first administrator' });
  else if (administratorName.length > 120) {
    errors.push({ fieldId: fieldIds.administratorName, message: 'The administrator’s name must be 120 characters or fewer' });
  }
  if (!parsed.success || errors.length > 0) return { ok: false, errors: inPageOrder(errors) };
  return { ok: true, registration: parsed.data, administratorName };
}
