import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '../lib/query-client.ts';
import { SystemStatus, SystemStatusSection } from './system-status.tsx';

function valueOf(key: string): string | null {
  const term = screen.getByText(key, { selector: 'dt' });
  return term.nextElementSibling?.textContent ?? null;
}

describe('SystemStatus', () => {
  it('says the system is degraded, in words, when the database cannot be reached', () => {
    render(
      <SystemStatus
        health={{
          status: 'degraded',
          version: '0.1.0',
          database: { reachable: false, dialect: 'postgres' },
          migrations: { applied: 3, pending: 1 },
        }}
      />,
    );
    expect(valueOf('Status')).toBe('Degraded');
    expect(valueOf('Database')).toBe('PostgreSQL, not reachable');
    expect(valueOf('Database migrations')).toBe('3 applied, 1 pending');
    expect(valueOf('Version')).toBe('0.1.0');
  });

  it('reports a healthy system on embedded PGlite', () => {
    render(
      <SystemStatus
        health={{
          status: 'ok',
          version: '0.1.0',
          database: { reachable: true, dialect: 'pglite' },
          migrations: { applied: 2, pending: 0 },
        }}
      />,
    );
    expect(valueOf('Status')).toBe('Working');
    expect(valueOf('Database')).toBe('Embedded PGlite, reachable');
    expect(valueOf('Database migrations')).toBe('2 applied, 0 pending');
  });
});

describe('SystemStatusSection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('says the status could not be loaded when the API cannot be reached, after retrying', async () => {
    const fetch = vi.fn(async (_url: string) => {
      throw new TypeError('Failed to fetch');
    });
    vi.stubGlobal('fetch', fetch);
    render(
      <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
        <SystemStatusSection />
      </QueryClientProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('Checking the system status…');
    expect(await screen.findByText('Sorry, we could not load the system status.')).toBeTruthy();
    expect(screen.getByText('The service could not be reached. Check your connection and try again.')).toBeTruthy();
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/health');
  });
});
