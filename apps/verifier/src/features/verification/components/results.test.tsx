import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CHECKS, type CheckId, type VerificationReport } from '@townhall/verifier';
import { VerdictSummary } from './results.tsx';

const report = (isValid: boolean, warnings: VerificationReport['warnings']): VerificationReport => ({
  format: 'townhall/verification-report',
  version: 1,
  electionId: null,
  isValid,
  entries: 31,
  result: null,
  warnings,
  checks: Object.entries(CHECKS).map(([id, title]) => ({ id: id as CheckId, title, status: 'pass', checked: 1, failures: [] })),
});
const waived = { code: 'TRUSTEE_MINIMUM_WAIVED', message: 'DEMONSTRATION ONLY: the trustee minimum was waived for this election. The threshold is 1: one trustee alone can decrypt every ballot.' } as const;

describe('VerdictSummary', () => {
  it('shows a warning of the report prominently in the verdict, and does not style the verdict as an all-clear', () => {
    render(<VerdictSummary report={report(true, [waived])} facts={null} seconds={null} />);
    const verdict = screen.getByTestId('verdict');
    expect(within(verdict).getByRole('heading', { name: 'Verified, with a warning' })).toBeTruthy();
    expect(within(verdict).getByTestId('verdict-warning').textContent).toBe(`!Warning: ${waived.message}`);
    expect(verdict.className).not.toContain('govuk-notification-banner--success');
  });

  it('shows the warning on a record that failed too, and nothing of the kind without one', () => {
    const { unmount } = render(<VerdictSummary report={report(false, [waived])} facts={null} seconds={null} />);
    expect(within(screen.getByTestId('verdict')).getByTestId('verdict-warning').textContent).toContain('one trustee alone can decrypt every ballot');
    unmount();
    render(<VerdictSummary report={report(true, [])} facts={null} seconds={null} />);
    expect(screen.getByTestId('verdict').className).toContain('govuk-notification-banner--success');
    expect(screen.queryByTestId('verdict-warning')).toBeNull();
  });
});
