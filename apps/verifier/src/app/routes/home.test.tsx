import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
      <MemoryRouter>
        <HomeRoute />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('verifier home page', () => {
  it('names the council and shows a degraded system status (the API answers 503 with its report)', async () => {
    const fetch = vi.fn(async (url: string) =>
      url === '/api/health' ? new Response(JSON.stringify(degraded), { status: 503 }) : new Response(JSON.stringify(council), { status: 200 }),
    );
    vi.stubGlobal('fetch', fetch);
    renderHome();
    expect(await screen.findByText('Demo Borough Council')).toBeTruthy();
    expect(await screen.findByText('Degraded')).toBeTruthy();
    expect(screen.getByText('PostgreSQL, not reachable')).toBeTruthy();
    expect(fetch.mock.calls.map(([url]) => url).sort()).toEqual(['/api/council', '/api/health']);
  });

  it('says the council could not be loaded, quoting the request id', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/health'
          ? new Response(JSON.stringify({ ...degraded, status: 'ok', database: { reachable: true, dialect: 'pglite' }, migrations: { applied: 3, pending: 0 } }), { status: 200 })
          : new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No council is set up.', requestId: 'req-9' } }), { status: 404 }),
      ),
    );
    renderHome();
    expect(await screen.findByText('Sorry, we could not load the council’s details.')).toBeTruthy();
    expect(screen.getByText('req-9')).toBeTruthy();
    expect(await screen.findByText('Working')).toBeTruthy();
  });
});
