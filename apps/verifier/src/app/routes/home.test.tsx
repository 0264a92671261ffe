import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerificationProvider } from '../../features/verification/components/verification-provider.tsx';
import { HomeRoute } from './home.tsx';

const council = { name: 'Demo Borough Council', electorCount: 3, districts: [{ code: 'N', name: 'North Ward', electorCount: 3 }] };
const degraded = {
  status: 'degraded',
  version: '0.1.0',
  database: { reachable: false, dialect: 'postgres' },
  migrations: { applied: 3, pending: 1 },
};

function renderHome() {
  render(
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <VerificationProvider startWorker={() => Promise.reject(new Error('no worker in this test'))}>
        <MemoryRouter>
          <HomeRoute preloadWorker={async () => undefined} />
        </MemoryRouter>
      </VerificationProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('verifier home page', () => {
  it('names the council and shows a degraded system status (the API answers 503 with its report)', async () => {
    const fetch = vi.fn(async (url: string) =>
      url === '/api/health'
        ? new Response(JSON.stringify(degraded), { status: 503 })
        : new Response(JSON.stringify(url === '/api/elections' ? { elections: [] } : council), { status: 200 }),
    );
    vi.stubGlobal('fetch', fetch);
    renderHome();
    expect(await screen.findByText('Demo Borough Council')).toBeTruthy();
    expect(await screen.findByText('Degraded')).toBeTruthy();
    expect(screen.getByText('PostgreSQL, not reachable')).toBeTruthy();
    expect(fetch.mock.calls.map(([url]) => url).sort()).toEqual(['/api/council', '/api/elections', '/api/health']);
    expect(await screen.findByText(/There are no election records to check yet/)).toBeTruthy();
  });

  it('gives each election’s actual close, not its scheduled one, once it closed early', async () => {
    const election = (id: string, title: string, status: string, closedAt: string | null) => ({
      id, title, status, opensAt: '2027-01-01T09:00:00.000Z', closesAt: '2027-01-06T18:00:00.000Z', closedAt, eligibleDistricts: ['N'],
    });
    const elections = {
      elections: [
        election('7d1c1f5e-8f0a-4a57-9a43-3a3b1c1d2e3f', 'Closed early', 'published', '2027-01-03T14:30:00.000Z'),
        election('8e2d2a6f-9a1b-4b68-8b54-4b4c2d2e3f40', 'Closed on time', 'closed', '2027-01-06T18:00:00.000Z'),
        election('9f3e3b7a-0b2c-4c79-9c65-5c5d3e3f4051', 'Still open', 'open', null),
      ],
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => new Response(JSON.stringify(url === '/api/elections' ? elections : url === '/api/health' ? { ...degraded, status: 'ok' } : council), { status: 200 })),
    );
    renderHome();
    await screen.findByRole('heading', { name: 'Closed early' });
    expect(screen.getAllByTestId('voting-times').map((p) => p.textContent)).toEqual([
      'Voting 1 January 2027 at 09:00 to 3 January 2027 at 14:30, when it was closed early (it was due to close 6 January 2027 at 18:00).',
      'Voting 1 January 2027 at 09:00 to 6 January 2027 at 18:00.',
      'Voting 1 January 2027 at 09:00 to 6 January 2027 at 18:00. While voting is open the record is partial: it holds the ballots cast so far.',
    ]);
  });

  it('says the council could not be loaded, quoting the request id', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/health'
          ? new Response(JSON.stringify({ ...degraded, status: 'ok', database: { reachable: true, dialect: 'pglite' }, migrations: { applied: 3, pending: 0 } }), { status: 200 })
          : url === '/api/elections'
            ? new Response(JSON.stringify({ elections: [] }), { status: 200 })
            : new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No council is set up.', requestId: 'req-9' } }), { status: 404 }),
      ),
    );
    renderHome();
    expect(await screen.findByText('Sorry, we could not load the council’s details.')).toBeTruthy();
    expect(screen.getByText('req-9')).toBeTruthy();
    expect(await screen.findByText('Working')).toBeTruthy();
  });
});
