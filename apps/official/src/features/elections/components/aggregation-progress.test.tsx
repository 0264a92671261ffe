import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AggregationProgress } from './aggregation-progress.tsx';

describe('AggregationProgress', () => {
  it('shows how many counted ballots are added up, as a progress bar described by the words', () => {
    render(<AggregationProgress summed={42000} total={96000} />);
    expect(screen.getByRole('heading', { name: 'Adding up the encrypted ballots' })).toBeTruthy();
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('value')).toBe('42000');
    expect(bar.getAttribute('max')).toBe('96000');
    expect(bar.getAttribute('aria-describedby')).toBe('aggregation-progress-text');
    expect(screen.getByTestId('aggregation-progress').textContent).toContain('42,000 of 96,000 counted ballots added up');
  });

  it('speaks of one ballot in the singular and never divides by an empty set', () => {
    render(<AggregationProgress summed={0} total={0} />);
    expect(screen.getByRole('progressbar').getAttribute('max')).toBe('1');
    render(<AggregationProgress summed={0} total={1} />);
    expect(screen.getByText(/0 of 1 counted ballot added up/)).toBeTruthy();
  });
});
