import { PRIORITIES, type Priority, type RepairAssociation } from '@townhall/protocol';
import { choiceId, type FieldError } from '@townhall/web-ui';
import type { RepairReportBody } from '../api/repairs.ts';

export type YesNo = 'yes' | 'no';

/** What the resident has answered so far (kept while they go to the check page and back). */
export interface ReportAnswers {
  associationId: string;
  description: string;
  location: string;
  priority: Priority | '';
  dampOrMould: YesNo | '';
  immediateRisk: YesNo | '';
}

export const emptyReport = (): ReportAnswers => ({ associationId: '', description: '', location: '', priority: '', dampOrMould: '', immediateRisk: '' });

export const fieldIds = {
  associationId: 'association',
  description: 'description',
  location: 'location',
  priority: 'priority',
  dampOrMould: 'damp-or-mould',
  immediateRisk: 'immediate-risk',
} as const;

export const DESCRIPTION_MAX = 1000;
export const LOCATION_MAX = 200;

/** Where the error summary's link for a field goes: a group's first input. */
export function summaryTarget(fieldId: string, associations: readonly RepairAssociation[]): string {
  if (fieldId === fieldIds.associationId) return choiceId(fieldIds.associationId, associations[0]?.associationId ?? '');
  if (fieldId === fieldIds.priority) return choiceId(fieldIds.priority, PRIORITIES[0]);
  if (fieldId === fieldIds.dampOrMould || fieldId === fieldIds.immediateRisk) return choiceId(fieldId, 'yes');
  return fieldId;
}

/** The answers' problems, in the order of the page (GOV.UK: say what to do, not what is wrong). */
export function reportErrors(answers: ReportAnswers, associations: readonly RepairAssociation[]): FieldError[] {
  const errors: FieldError[] = [];
  if (associations.length > 1 && !associations.some((a) => a.associationId === answers.associationId)) {
    errors.push({ fieldId: fieldIds.associationId, message: 'Select which home the repair is in' });
  }
  const description = answers.description.trim();
  if (description === '') errors.push({ fieldId: fieldIds.description, message: 'Enter what is wrong' });
  else if (description.length > DESCRIPTION_MAX) errors.push({ fieldId: fieldIds.description, message: `What is wrong must be ${DESCRIPTION_MAX} characters or fewer` });
  const location = answers.location.trim();
  if (location === '') errors.push({ fieldId: fieldIds.location, message: 'Enter where in your home the problem is' });
  else if (location.length > LOCATION_MAX) errors.push({ fieldId: fieldIds.location, message: `Where in your home must be ${LOCATION_MAX} characters or fewer` });
  if (answers.priority === '') errors.push({ fieldId: fieldIds.priority, message: 'Select how urgent the repair is' });
  if (answers.dampOrMould === '') errors.push({ fieldId: fieldIds.dampOrMould, message: 'Select yes if there is damp or mould' });
  if (answers.immediateRisk === '') errors.push({ fieldId: fieldIds.immediateRisk, message: 'Select yes if anyone’s health or safety is at risk now' });
  return errors;
}

/** The association the report goes to: the one chosen, or the only one. */
export function chosenAssociation(answers: ReportAnswers, associations: readonly RepairAssociation[]): RepairAssociation | undefined {
  return associations.length === 1 ? associations[0] : associations.find((a) => a.associationId === answers.associationId);
}

/** The API's body for complete answers (reportErrors found nothing). */
export function reportBody(answers: ReportAnswers, association: RepairAssociation): RepairReportBody {
  return {
    contractId: association.contractId,
    description: answers.description.trim(),
    location: answers.location.trim(),
    priority: answers.priority as Priority,
    hazards: { dampOrMould: answers.dampOrMould === 'yes', immediateRisk: answers.immediateRisk === 'yes' },
  };
}
