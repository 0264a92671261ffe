import type { StaffInvitationRequest, StaffRoleName } from '@townhall/protocol';
import { type FieldError } from '@townhall/web-ui';

export const ROLE_FIELD = 'role';
export const DISPLAY_NAME_FIELD = 'display-name';
export const ELECTION_FIELD = 'election-id';

export interface InvitationAnswers {
  role: StaffRoleName | null;
  displayName: string;
  electionId: string;
}

export type InvitationResult = { ok: true; value: StaffInvitationRequest } | { ok: false; errors: FieldError[] };

/** Every problem at once, in the order of the form (GOV.UK error summary). */
export function validateInvitation(answers: InvitationAnswers): InvitationResult {
  const errors: FieldError[] = [];
  const displayName = answers.displayName.trim();
  const electionId = answers.electionId.trim();
  if (answers.role === null) errors.push({ fieldId: `${ROLE_FIELD}-officer`, message: 'Select the role to invite them to' });
  if (answers.role === 'trustee' && electionId === '') {
    errors.push({ fieldId: ELECTION_FIELD, message: 'Enter the election the trustee will hold a key for' });
  } else if (electionId.length > 100) {
    errors.push({ fieldId: ELECTION_FIELD, message: 'The election must be 100 characters or fewer' });
  }
  if (displayName === '') errors.push({ fieldId: DISPLAY_NAME_FIELD, message: 'Enter the name of the person you are inviting' });
  else if (displayName.length > 100) errors.push({ fieldId: DISPLAY_NAME_FIELD, message: 'The name must be 100 characters or fewer' });
  if (errors.length > 0 || answers.role === null) return { ok: false, errors };
  const value: StaffInvitationRequest =
    answers.role === 'trustee' ? { role: 'trustee', displayName, electionId } : { role: answers.role, displayName };
  return { ok: true, value };
}
