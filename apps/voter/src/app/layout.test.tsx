import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Layout } from './layout.tsx';

const resident = { principal: { kind: 'resident', pseudonym: 'ab', districtCode: 'CAS', givenName: 'Amira' }, csrfToken: 't', expiresAt: null };
const council = { name: 'Demo Borough Council', electorCount: 1, districts: [{ code: 'CAS', name: 'Castle', electorCount: 1 }] };

function renderLayout(answers: Record<string, unknown>) {
  const fetch = vi.fn(async (url: string) =>
    url in answers ? Response.json(answers[url]) : Response.json({ error: { code: 'NOT_FOUND', message: 'No.' } }, { status: 404 }),
  );
  vi.stubGlobal('fetch', fetch);
  render(
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <MemoryRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<h1>Home</h1>} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe('the residents’ navigation', () => {
  it('offers "Your repairs" to a housing association’s tenant', async () => {
    renderLayout({
      '/api/session': resident,
      '/api/council': council,
      '/api/account/repairs/associations': { associations: [{ associationId: 'a1', legalName: 'Castle Homes', contractId: 'c' }] },
    });
    expect((await screen.findByRole('link', { name: 'Your repairs' })).getAttribute('href')).toBe('/repairs');
  });

  it('does not offer it to a resident who is nobody’s tenant', async () => {
    const fetch = renderLayout({ '/api/session': resident, '/api/council': council, '/api/account/repairs/associations': { associations: [] } });
    await screen.findByRole('link', { name: 'Your account' });
    await vi.waitFor(() => expect(fetch.mock.calls.map(([url]) => url)).toContain('/api/account/repairs/associations'));
    await new Promise((settle) => setTimeout(settle, 0));
    expect(screen.queryByRole('link', { name: 'Your repairs' })).toBeNull();
  });
});
