import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HomeRoute } from './home.tsx';

function serveApi(status: number, body: unknown, elections: unknown[] = []) {
  const fetch = vi.fn(async (url: string) =>
    url === '/api/elections' ? new Response(JSON.stringify({ elections }), { status: 200 }) : new Response(JSON.stringify(body), { status }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const council = {
  name: 'Demo Borough Council',
  electorCount: 8,
  districts: [
    { code: 'CAS', name: 'Castle', electorCount: 4 },
    { code: 'RVS', name: 'Riverside', electorCount: 4 },
  ],
};

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

  it('lists the open elections with a link to vote, and not drafts or closed ones', async () => {
    const election = (id: string, title: string, status: string) => ({
      id, title, status, opensAt: '2026-11-01T09:00:00.000Z', closesAt: '2026-12-01T22:00:00.000Z', eligibleDistricts: ['CAS'],
    });
    serveApi(200, council, [election('7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'Park consultation', 'open'), election('8e4a2d3b-2c3d-4e6f-9a01-b2c3d4e5f6a7', 'Old referendum', 'published')]);
    renderHome();
    expect(await screen.findByRole('heading', { name: 'An election is open' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Park consultation' }).getAttribute('href')).toBe('/elections/7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6/vote');
    expect(screen.queryByText('Old referendum')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'There is no election open' })).toBeNull();
  });

  it('explains a server error and quotes its reference instead of showing stale or empty data', async () => {
    const fetch = serveApi(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side.', requestId: 'req-7f3a' } });
    renderHome();
    const alert = await screen.findByRole('alert');
    // A 5xx might be passing, so it was asked twice more before the page gave up.
    expect(fetch.mock.calls.filter(([url]) => url === '/api/council')).toHaveLength(3);
    expect(alert.textContent).toContain('Sorry, we could not load your council’s details.');
    expect(alert.textContent).toContain('Something went wrong on our side.');
    expect(alert.textContent).toContain('req-7f3a');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
