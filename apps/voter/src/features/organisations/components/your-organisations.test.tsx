import { fireEvent, screen, within } from '@testing-library/react';
import { rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders as renderWith, serveFakeApi as serve } from '../../../test-support/fake-api.tsx';
import { OrganisationMembers } from './organisation-members.tsx';
import { YourOrganisations } from './your-organisations.tsx';

const roofing = {
  organisation: { id: 'o1', kind: 'contractor', legalName: 'Castle Roofing Ltd', status: 'active' },
  memberId: 'm1',
  roles: ['administrator'],
  grantedIndex: '20',
};
const bank = {
  organisation: { id: 'o2', kind: 'charity', legalName: 'Keep Lane Food Bank', status: 'suspended' },
  memberId: 'm9',
  roles: ['member'],
  grantedIndex: '21',
};
const members = [
  {
    id: 'm1',
    displayName: 'Bea Boss',
    accountKind: 'resident',
    roles: ['administrator'],
    grantedAt: '2026-11-01T10:00:00.000Z',
    grantedIndex: '20',
  },
  {
    id: 'm2',
    displayName: 'Will Worker',
    accountKind: 'person',
    roles: ['gas-safe', 'member'],
    grantedAt: '2026-11-02T10:00:00.000Z',
    grantedIndex: '22',
  },
];

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('YourOrganisations', () => {
  it('shows each organisation with your roles and receipt; admins manage members; a suspended one has no actions', async () => {
    serve({ 'GET /api/account/organisations': () => Response.json({ organisations: [roofing, bank] }) });
    renderWith(<YourOrganisations />);
    const card = await screen.findByRole('region', { name: 'Castle Roofing Ltd' });
    expect(within(card).getByText('Administrator')).toBeTruthy();
    expect(within(card).getByRole('link', { name: /Receipt for entry 20/ }).getAttribute('href')).toBe('/api/ledger/registry/receipt/20');
    expect(
      within(card).getByRole('link', { name: 'Manage members of Castle Roofing Ltd' }).getAttribute('href'),
    ).toBe('/account/organisations/o1');
    const suspended = screen.getByRole('region', { name: 'Keep Lane Food Bank' });
    expect(suspended.textContent).toContain('You cannot act for it until the council reinstates it.');
    expect(within(suspended).queryByRole('button')).toBeNull();
  });

  it('lists the signing passkeys bound to a membership, each with its receipt, and none where there are none', async () => {
    const signing = { ...roofing, signingPasskeys: [{ credentialIdHash: 'ab'.repeat(32), boundIndex: '31', boundAt: '2026-12-01T10:00:00.000Z' }] };
    serve({ 'GET /api/account/organisations': () => Response.json({ organisations: [signing, bank] }) });
    renderWith(<YourOrganisations />);
    const card = await screen.findByRole('region', { name: 'Castle Roofing Ltd' });
    expect(within(card).getByText('Your signing passkey')).toBeTruthy();
    expect(within(card).getByRole('link', { name: /Receipt for entry 31/ }).getAttribute('href')).toBe('/api/ledger/registry/receipt/31');
    expect(within(card).getByText(/If one is listed here that you did not make, tell the council/)).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Keep Lane Food Bank' })).queryByText(/signing passkey/)).toBeNull();
  });

  it('shows a membership code with when it expires and the public page to check it on', async () => {
    serve({
      'GET /api/account/organisations': () => Response.json({ organisations: [roofing] }),
      'POST /api/account/organisations/o1/membership-code': () =>
        Response.json({ code: 'ABCDE-FGHJK', expiresAt: '2026-12-01T10:40:00.000Z' }),
    });
    renderWith(<YourOrganisations />);
    fireEvent.click(await screen.findByRole('button', { name: 'Show a membership code for Castle Roofing Ltd' }));
    expect(await screen.findByText('ABCDE-FGHJK')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Castle Roofing Ltd’s public page' }).getAttribute('href')).toBe('/organisations/o1');
  });

  it('says so when you belong to no organisation', async () => {
    serve({ 'GET /api/account/organisations': () => Response.json({ organisations: [] }) });
    renderWith(<YourOrganisations />);
    expect(await screen.findByText(/You are not a member of any organisation/)).toBeTruthy();
  });
});

describe('OrganisationMembers', () => {
  const routes = {
    'GET /api/account/organisations': () => Response.json({ organisations: [roofing] }),
    'GET /api/organisations/o1/members': () => Response.json({ members }),
    'POST /api/organisations/o1/members/m2/remove': () => new Response(null, { status: 204 }),
    'POST /api/organisations/o1/members/m2/roles': () => Response.json({ ...members[1], roles: ['administrator', 'member'] }),
    'POST /api/organisations/o1/invitations': () =>
      Response.json(
        { invitationId: 'i', url: 'http://localhost/organisation-invite/xyz', expiresAt: '2026-12-04T10:00:00.000Z' },
        { status: 201 },
      ),
  };

  it('lists the members with roles and receipts, and removes one only after asking', async () => {
    const calls = serve(routes);
    renderWith(<OrganisationMembers organisationId="o1" />);
    const row = await screen.findByRole('row', { name: /Will Worker/ });
    expect(row.textContent).toContain('Gas safe and member');
    expect(row.textContent).toContain('Joined by invitation');
    fireEvent.click(within(row).getByRole('button', { name: 'Remove Will Worker' }));
    const question = screen.getByRole('group', { name: 'Remove Will Worker?' });
    expect(question.textContent).toContain('loses every role in Castle Roofing Ltd at once');
    expect(calls.some((c) => c.call.endsWith('/remove'))).toBe(false);
    fireEvent.click(within(question).getByRole('button', { name: 'Yes, remove them' }));
    expect(await screen.findByText('Will Worker is no longer a member.')).toBeTruthy();
  });

  it('changes roles, refusing a role that is not a lower-case word', async () => {
    const calls = serve(routes);
    renderWith(<OrganisationMembers organisationId="o1" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Change roles of Will Worker' }));
    const group = screen.getByRole('group', { name: 'Will Worker’s roles' });
    fireEvent.change(within(group).getByLabelText('Other roles (optional)'), { target: { value: 'Gas Safe!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save roles' }));
    expect(within(group).getByText(/is not a role/)).toBeTruthy();
    fireEvent.change(within(group).getByLabelText('Other roles (optional)'), { target: { value: '' } });
    fireEvent.click(within(group).getByLabelText('Administrator'));
    fireEvent.click(screen.getByRole('button', { name: 'Save roles' }));
    expect(await screen.findByText('Will Worker’s roles are changed.')).toBeTruthy();
    expect(calls.find((c) => c.call.endsWith('/roles'))?.body).toEqual({ roles: ['administrator', 'member'] });
  });

  it('invites a member and shows the one-time link once', async () => {
    const calls = serve(routes);
    renderWith(<OrganisationMembers organisationId="o1" />);
    const invite = await screen.findByRole('region', { name: 'Invite a member' });
    fireEvent.click(within(invite).getByRole('button', { name: 'Create invitation link' }));
    expect(within(invite).getByRole('link', { name: 'Enter the name of the person to invite' })).toBeTruthy();
    fireEvent.change(within(invite).getByLabelText('Their name'), { target: { value: 'Nia New' } });
    fireEvent.click(within(invite).getByRole('button', { name: 'Create invitation link' }));
    expect(
      (await within(invite).findByLabelText('Invitation link for Nia New') as HTMLInputElement).value,
    ).toBe('http://localhost/organisation-invite/xyz');
    expect(calls.find((c) => c.call.endsWith('/invitations'))?.body).toEqual({ displayName: 'Nia New', roles: ['member'] });
  });

  it('tells someone who is not an administrator that they cannot manage the members', async () => {
    serve({
      'GET /api/account/organisations': () => Response.json({ organisations: [roofing] }),
      'GET /api/organisations/o1/members': () =>
        Response.json({ error: { code: 'FORBIDDEN', message: 'No.', requestId: 'r' } }, { status: 403 }),
    });
    renderWith(<OrganisationMembers organisationId="o1" />);
    expect(await screen.findByText('Only the organisation’s administrators can manage its members.')).toBeTruthy();
  });
});
