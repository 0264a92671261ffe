import { StaffInvitationRequest } from '@townhall/protocol';
import { describe, expect, it } from 'vitest';
import { validateInvitation } from './validate-invitation.ts';

describe('validateInvitation', () => {
  it('lists every missing answer at once, linked to its field', () => {
    expect(validateInvitation({ role: null, displayName: ' ', electionId: '' })).toEqual({
      ok: false,
      errors: [
        { fieldId: 'role-officer', message: 'Select the role to invite them to' },
        { fieldId: 'display-name', message: 'Enter the name of the person you are inviting' },
      ],
    });
  });

  it('needs an election for a trustee only', () => {
    expect(validateInvitation({ role: 'trustee', displayName: 'Tara', electionId: '' })).toMatchObject({
      errors: [{ fieldId: 'election-id', message: 'Enter the election the trustee will hold a key for' }],
    });
    const officer = validateInvitation({ role: 'officer', displayName: '  Olu  ', electionId: 'ignored' });
    expect(officer).toEqual({ ok: true, value: { role: 'officer', displayName: 'Olu' } });
  });

  it('builds a request the API schema accepts', () => {
    const trustee = validateInvitation({ role: 'trustee', displayName: 'Tara', electionId: 'mayor-2026' });
    expect(trustee.ok).toBe(true);
    if (trustee.ok) expect(StaffInvitationRequest.parse(trustee.value)).toEqual({ role: 'trustee', displayName: 'Tara', electionId: 'mayor-2026' });
  });

  it('refuses names longer than the API allows', () => {
    expect(validateInvitation({ role: 'admin', displayName: 'x'.repeat(101), electionId: '' })).toMatchObject({
      errors: [{ message: 'The name must be 100 characters or fewer' }],
    });
  });
});
