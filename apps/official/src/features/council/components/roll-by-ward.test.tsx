import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RollByWard } from './roll-by-ward.tsx';

describe('RollByWard', () => {
  it('shows the roll size of each ward, with its code, and the whole council', () => {
    render(
      <RollByWard
        council={{
          name: 'Demo Borough Council',
          electorCount: 10_004,
          districts: [
            { code: 'CAS', name: 'Castle', electorCount: 4 },
            { code: 'NGT', name: 'Northgate', electorCount: 10_000 },
          ],
        }}
      />,
    );
    const table = screen.getByRole('table', { name: 'Electoral roll by ward' });
    const rows = within(table)
      .getAllByRole('row')
      .map((row) => Array.from(row.querySelectorAll('th, td'), (cell) => cell.textContent));
    expect(rows).toEqual([
      ['Ward', 'Code', 'Electors on the roll'],
      ['Castle', 'CAS', '4'],
      ['Northgate', 'NGT', '10,000'],
      ['Whole council', '10,004'],
    ]);
  });
});
