import type { CeremonyState } from '@townhall/protocol';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CeremonyProgress } from './ceremony-progress.tsx';

const state = (overrides: Partial<CeremonyState> = {}): CeremonyState => ({
  status: 'key-ceremony',
  fingerprint: 'ab'.repeat(32),
  threshold: 2,
  trustees: [
    { index: 1, displayName: 'Tess', commitment: 'aa', sharesSent: true, verdict: 'accepted' },
    { index: 2, displayName: 'Tom', commitment: 'bb', sharesSent: true, verdict: 'pending' },
    { index: 3, displayName: 'Tara', commitment: null, sharesSent: false, verdict: 'pending' },
  ],
  shares: [],
  electionKey: null,
  haltedReason: null,
  yourIndex: 2,
  ...overrides,
});

describe('CeremonyProgress', () => {
  it('shows who has committed, sent shares and accepted, marking the viewer', () => {
    render(<CeremonyProgress state={state()} />);
    const rows = within(screen.getByRole('table', { name: /2 of 3 trustees needed/ }))
      .getAllByRole('row')
      .map((row) => Array.from(row.querySelectorAll('th, td'), (cell) => cell.textContent));
    expect(rows.slice(1)).toEqual([
      ['1. Tess', 'Published', 'Sent', 'Accepted'],
      ['2. Tom (you)', 'Published', 'Sent', 'Waiting'],
      ['3. Tara', 'Waiting', 'Waiting', 'Waiting'],
    ]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('announces a complaint and the halt with the server’s reason', () => {
    const halted = state({ status: 'halted', haltedReason: 'Trustee 3 showed that the share from trustee 1 is invalid.' });
    halted.trustees[2] = { ...halted.trustees[2]!, verdict: 'complained' };
    render(<CeremonyProgress state={halted} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The key ceremony has stopped');
    expect(alert.textContent).toContain('Trustee 3 showed that the share from trustee 1 is invalid.');
    expect(screen.getByRole('row', { name: /Tara/ }).textContent).toContain('Complained');
  });
});
