import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnrolDoneRoute } from './enrol-done.tsx';

const election = (id: string, title: string, status: string) => ({
  id, title, status, opensAt: '2027-01-01T09:00:00.000Z', closesAt: '2027-01-06T18:00:00.000Z', closedAt: null, eligibleDistricts: ['CAS'], hasCredential: false,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('"Your account is set up"', () => {
  it('offers the way on to the elections open for the resident, and to the list of their elections', async () => {
    const elections = [
      election('7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'Park consultation', 'open'),
      election('8e4a2d3b-2c3d-4e6f-9a01-b2c3d4e5f6a7', 'Old referendum', 'published'),
    ];
    const fetch = vi.fn(async (url: string) => new Response(JSON.stringify(url === '/api/elections/mine' ? { elections } : {}), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    render(
      <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
        <MemoryRouter initialEntries={[{ pathname: '/enrol/done', state: { givenName: 'Amira' } }]}>
          <EnrolDoneRoute />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Your account is set up' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'An election is open for you' })).toBeTruthy();
    const vote = screen.getByRole('link', { name: 'Vote in Park consultation' });
    expect(vote.getAttribute('href')).toBe('/elections/7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6/vote');
    expect(vote.parentElement!.textContent).toBe('Vote in Park consultation — open until 6 January 2027 at 18:00');
    expect(screen.queryByText(/Old referendum/)).toBeNull();
    expect(screen.getByRole('link', { name: 'See the elections you can vote in' }).getAttribute('href')).toBe('/elections');
    expect(screen.getByRole('link', { name: 'Go to your account' })).toBeTruthy();
  });
});
