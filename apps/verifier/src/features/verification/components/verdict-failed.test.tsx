import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CHECKS, type CheckId, type VerificationReport } from '@townhall/verifier';
import { FailureExplanations, VerdictSummary } from './results.tsx';

const failing = (warnings: VerificationReport['warnings'] = []): VerificationReport => ({
  format: 'townhall/verification-report',
  version: 1,
  electionId: null,
  isValid: false,
  entries: 31,
  result: null,
  warnings,
  checks: Object.entries(CHECKS).map(([id, title]) =>
    id === 'ledger.chain'
      ? { id: id as CheckId, title, status: 'fail', checked: 31, failures: [{ message: 'Entry 22 is missing.' }] }
      : { id: id as CheckId, title, status: 'pass', checked: 1, failures: [] },
  ),
});
const facts = { title: 'Mayor of Demo Borough' } as Parameters<typeof VerdictSummary>[0]['facts'];

describe('a record that failed verification', () => {
  it('looks like a failure, not information: GOV.UK’s error summary (red), the verdict first', () => {
    render(<VerdictSummary report={failing()} facts={facts} seconds={1.5} />);
    const verdict = screen.getByTestId('verdict');
    expect(verdict.className).toBe('govuk-error-summary');
    expect(verdict.className).not.toContain('notification-banner');
    // The verdict comes first: the heading, then what it means.
    expect(verdict.firstElementChild).toBe(within(verdict).getByRole('heading', { level: 2, name: 'Not verified' }));
    expect(within(verdict).getByTestId('verdict-text').textContent).toBe('Mayor of Demo Borough: 1 check failed. Do not rely on this record until the council explains why.');
    expect(verdict.textContent).toContain('31 ledger entries checked in this browser in 1.5 seconds.');
  });

  it('links each failed check to its explanation below, and puts a warning after the verdict', () => {
    const waived = { code: 'TRUSTEE_MINIMUM_WAIVED', message: 'DEMONSTRATION ONLY: the trustee minimum was waived.' } as const;
    const report = failing([waived]);
    render(
      <>
        <VerdictSummary report={report} facts={facts} seconds={null} />
        <FailureExplanations report={report} />
      </>,
    );
    const verdict = screen.getByTestId('verdict');
    const link = within(verdict).getByRole('link', { name: /failed$/ });
    const target = document.getElementById(link.getAttribute('href')!.slice(1))!;
    expect(target.tagName).toBe('H3');
    expect(target.closest('[data-failed-check]')!.getAttribute('data-failed-check')).toBe('ledger.chain');
    const text = within(verdict).getByTestId('verdict-text');
    const warning = within(verdict).getByTestId('verdict-warning');
    expect(text.compareDocumentPosition(warning) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
