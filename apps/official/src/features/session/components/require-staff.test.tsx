import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequireStaff } from './require-staff.tsx';

function serveSession(principal: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      url === '/api/session'
        ? Response.json({ principal, csrfToken: 'token', expiresAt: null })
        : Response.json({ name: 'Demo Borough Council', electorCount: 0, districts: [] }),
    ),
  );
}

function renderGate(roles?: ('admin' | 'officer' | 'trustee')[]) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter>
        <RequireStaff roles={roles}>
          <h1>Import the electoral roll</h1>
        </RequireStaff>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const staff = (...roles: ('admin' | 'officer' | 'trustee')[]) => ({
  kind: 'staff',
  staffId: 's1',
  displayName: 'Olu',
  roles: roles.map((role) => ({ role, electionId: role === 'trustee' ? 'e1' : null })),
});

afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('RequireStaff', () => {
  it('shows the sign-in page to someone not signed in', async () => {
    serveSession({ kind: 'anonymous' });
    renderGate(['officer', 'admin']);
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Import the electoral roll' })).toBeNull();
  });

  it('shows the sign-in page, and says why, to a resident', async () => {
    serveSession({ kind: 'resident', pseudonym: 'ab', districtCode: 'CAS', givenName: 'Amira' });
    renderGate();
    expect(await screen.findByText(/You are signed in as a resident/)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Import the electoral roll' })).toBeNull();
  });

  it('tells staff without the role that the page is not for them', async () => {
    serveSession(staff('trustee'));
    renderGate(['officer', 'admin']);
    expect(await screen.findByRole('heading', { name: 'You cannot use this page' })).toBeTruthy();
    expect(screen.getByText(/It is for officers and admins/)).toBeTruthy();
  });

  it('shows the page to staff holding any of the roles', async () => {
    serveSession(staff('trustee', 'officer'));
    renderGate(['officer', 'admin']);
    expect(await screen.findByRole('heading', { name: 'Import the electoral roll' })).toBeTruthy();
  });
});
