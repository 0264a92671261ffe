import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import type { SessionResponse } from '@townhall/protocol';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrganisationInvitation } from './organisation-invitation.tsx';

const summary = {
  organisation: { id: 'o1', kind: 'contractor', legalName: 'Castle Roofing Ltd' },
  displayName: 'Rosa Roofer',
  roles: ['gas-safe', 'member'],
  expiresAt: '2026-12-04T10:30:00.000Z',
};
const joined = { organisation: { ...summary.organisation, status: 'active' }, memberId: 'm1', roles: summary.roles, grantedIndex: '9' };
const session = (principal: SessionResponse['principal']): SessionResponse => ({ principal, csrfToken: 't', expiresAt: null });

function serve(answer: (url: string, init?: RequestInit) => Response) {
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      urls.push(`${init?.method ?? 'GET'} ${url}`);
      return answer(url, init);
    }),
  );
  return urls;
}

function renderPage(who: SessionResponse | undefined) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter>
        <OrganisationInvitation token="tok" session={who} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('OrganisationInvitation', () => {
  it('shows the organisation and roles and, to someone not signed in, the two ways to join', async () => {
    serve(() => Response.json(summary));
    renderPage(session({ kind: 'anonymous' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Join Castle Roofing Ltd' })).toBeTruthy();
    expect(screen.getByText('Gas safe and member')).toBeTruthy();
    expect(screen.getByText('Rosa Roofer')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Sign in with your passkey' }).getAttribute('href')).toBe('/sign-in');
    expect(screen.getByRole('button', { name: 'Create a passkey and join' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Join as/ })).toBeNull();
  });

  it('lets a signed-in resident join as themselves, with no new passkey', async () => {
    const urls = serve((url) =>
      url.endsWith('/link')
        ? Response.json(joined)
        : Response.json(summary),
    );
    renderPage(session({ kind: 'resident', pseudonym: 'p', districtCode: 'C', givenName: 'Ann' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Join as Ann' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'You have joined Castle Roofing Ltd' })).toBeTruthy();
    expect(urls).toContain('POST /api/organisation-invitations/tok/link');
    expect(screen.getByRole('link', { name: 'Go to your organisations' }).getAttribute('href')).toBe('/account');
  });

  it('shows why joining failed against the button', async () => {
    serve((url) =>
      url.endsWith('/link')
        ? Response.json(
            { error: { code: 'CONFLICT', message: 'You are a member of this organisation already.', requestId: 'r' } },
            { status: 409 },
          )
        : Response.json(summary),
    );
    renderPage(session({ kind: 'person', displayName: 'Rosa Roofer' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Join as Rosa Roofer' }));
    const link = await screen.findByRole('link', { name: 'You are a member of this organisation already.' });
    expect(link.getAttribute('href')).toBe('#join-as-signed-in',
    );
  });

  it('says a used, expired or unknown link is not valid', async () => {
    serve(() => Response.json({ error: { code: 'NOT_FOUND', message: 'No such invitation.', requestId: 'r' } }, { status: 404 }));
    renderPage(session({ kind: 'anonymous' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation link is not valid' })).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
