import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AggregationProgress } from './aggregation-progress.tsx';

const bar = () => document.getElementById('aggregation-progress') as HTMLProgressElement;

describe('AggregationProgress', () => {
  it('shows the bar and the words from the same count', () => {
    render(<AggregationProgress summed={250} total={1000} />);
    expect(bar().value / bar().max).toBe(0.25);
    expect(screen.getByTestId('aggregation-progress').textContent).toContain('250 of 1,000 counted ballots added up (25%)');
  });

  it('never shows more added up than there are, in the bar or the words', () => {
    render(<AggregationProgress summed={12} total={10} />);
    expect(bar().value).toBe(bar().max);
    expect(screen.getByTestId('aggregation-progress').textContent).toContain('10 of 10 counted ballots added up (100%)');
  });

  it('says there is nothing to add up, with a full bar, when no ballot was counted', () => {
    render(<AggregationProgress summed={0} total={0} />);
    expect(bar().value).toBe(bar().max);
    expect(screen.getByTestId('aggregation-progress').textContent).toContain('No ballot was counted');
  });
});
