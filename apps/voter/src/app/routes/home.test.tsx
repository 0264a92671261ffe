import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '../../shared/lib/query-client.ts';
import { HomeRoute } from './home.tsx';

function serveApi(status: number, body: unknown) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function renderHome() {
  render(
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <MemoryRouter>
        <HomeRoute />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('voter home page', () => {
  it('shows the council, its wards and that no election is open', async () => {
    const fetch = serveApi(200, {
      name: 'Demo Borough Council',
      electorCount: 8,
      districts: [
        { code: 'CAS', name: 'Castle', electorCount: 4 },
        { code: 'RVS', name: 'Riverside', electorCount: 4 },
      ],
    });
    renderHome();
    expect(screen.getByRole('status').textContent).toBe('Loading your council’s details…');
    expect(await screen.findByRole('heading', { name: 'There is no election open' })).toBeTruthy();
    expect(screen.getByText(/Voting opens when Demo Borough Council starts an election/)).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: 'Castle' })).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: 'Riverside' })).toBeTruthy();
    expect(fetch).toHaveBeenCalledWith('/api/council', expect.objectContaining({ method: 'GET' }));
  });

  it('explains a server error and quotes its reference instead of showing stale or empty data', async () => {
    const fetch = serveApi(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side.', requestId: 'req-7f3a' } });
    renderHome();
    const alert = await screen.findByRole('alert');
    // A 5xx might be passing, so it was asked twice more before the page gave up.
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(alert.textContent).toContain('Sorry, we could not load your council’s details.');
    expect(alert.textContent).toContain('Something went wrong on our side.');
    expect(alert.textContent).toContain('req-7f3a');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
