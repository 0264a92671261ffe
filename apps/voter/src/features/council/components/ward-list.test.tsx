import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { WardList } from './ward-list.tsx';

describe('WardList', () => {
  it('lists every ward with its elector count, and the council total', () => {
    render(
      <WardList
        council={{
          name: 'Demo Borough Council',
          electorCount: 2345,
          districts: [
            { code: 'NTH', name: 'North Ward', electorCount: 1200 },
            { code: 'STH', name: 'South Ward', electorCount: 1145 },
          ],
        }}
      />,
    );
    const table = screen.getByRole('table', { name: 'Wards in Demo Borough Council' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'WardRegistered electors',
      'North Ward1,200',
      'South Ward1,145',
      'Total2,345',
    ]);
  });

  it('says so when the council has no wards', () => {
    render(<WardList council={{ name: 'Empty Council', electorCount: 0, districts: [] }} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('Empty Council has not published its wards yet.')).toBeTruthy();
  });
});
