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
