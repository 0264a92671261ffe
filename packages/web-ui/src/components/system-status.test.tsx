import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SystemStatus } from './system-status.tsx';

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
