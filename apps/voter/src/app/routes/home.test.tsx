import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
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

  const election = (id: string, title: string, status: string, closedAt: string | null = null) => ({
    id, title, status, opensAt: '2026-11-01T09:00:00.000Z', closesAt: '2026-12-01T22:00:00.000Z', eligibleDistricts: ['CAS'], closedAt,
  });

  it('lists the open elections with a link to vote, and the others with their state and a link to their page', async () => {
    serveApi(200, council, [election('7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'Park consultation', 'open'), election('8e4a2d3b-2c3d-4e6f-9a01-b2c3d4e5f6a7', 'Old referendum', 'published', '2026-12-01T22:00:00.000Z')]);
    renderHome();
    expect(await screen.findByRole('heading', { name: 'An election is open' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Park consultation' }).getAttribute('href')).toBe('/elections/7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6/vote');
    expect(screen.queryByRole('heading', { name: 'There is no election open' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Other elections' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Old referendum' }).getAttribute('href')).toBe('/elections/8e4a2d3b-2c3d-4e6f-9a01-b2c3d4e5f6a7');
  });

  it('after publication, says no election is open but leads to the result, with when voting actually closed', async () => {
    serveApi(200, council, [
      election('8e4a2d3b-2c3d-4e6f-9a01-b2c3d4e5f6a7', 'Old referendum', 'published', '2026-11-20T15:30:00.000Z'),
      election('9f5b3e4c-3d4e-4f70-8b12-c3d4e5f6a7b8', 'Library hours', 'tallied', '2026-12-01T22:00:00.000Z'),
      election('0a6c4f5d-4e5f-4a81-9c23-d4e5f6a7b8c9', 'Bus routes', 'ready'),
    ]);
    renderHome();
    expect(await screen.findByRole('heading', { name: 'There is no election open' })).toBeTruthy();
    const others = screen.getByTestId('other-elections');
    expect(within(others).getByRole('link', { name: 'Old referendum' }).getAttribute('href')).toBe('/elections/8e4a2d3b-2c3d-4e6f-9a01-b2c3d4e5f6a7');
    const items = within(others).getAllByRole('listitem').map((item) => item.textContent);
    expect(items).toEqual([
      'Old referendum Result publishedVoting closed early, on 20 November 2026 at 15:30. The result is published.',
      'Library hours Closed — countingVoting closed on 1 December 2026 at 22:00. The votes are being counted.',
      'Bus routes UpcomingVoting opens on 1 November 2026 at 09:00 and closes on 1 December 2026 at 22:00.',
    ]);
    // Nothing offers to vote in an election that is over.
    expect(screen.queryAllByRole('link').some((link) => link.getAttribute('href')?.endsWith('/vote'))).toBe(false);
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
