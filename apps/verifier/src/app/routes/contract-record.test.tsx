import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { orderReference } from '@townhall/web-ui';
import { CONTRACT_FIXTURE_FACTS, contractFixturePaidOrders, contractFixtureText, tamperedContractText } from '../../test-support/contract-fixture.ts';
import { scriptedWorker } from '../../test-support/in-process-worker.ts';
import { renderApp } from '../../test-support/render-app.tsx';

// A repairs contract's record (docs/protocol/contracts.md §12) checked in the verifier app: the
// worker tells it from an election record by its first line, and the result shows every payment
// recorded beside the one recomputed from the contract's terms and the repairs' history.

const notFound = () => new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no', requestId: 'r' } }), { status: 404, headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  // The server has one contract's record (GET /api/contracts/:contractId/record), and nothing else.
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => (String(url).endsWith('/api/contracts/keep-repairs/record') ? new Response(contractFixtureText(), { headers: { 'content-type': 'application/x-ndjson' } }) : notFound())),
  );
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:report', revokeObjectURL: () => {} }));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function chooseRecord(name: string, text: string) {
  fireEvent.change(screen.getByLabelText(/Choose an election record file or a contract record file/), { target: { files: [new File([text], name, { type: 'application/x-ndjson' })] } });
}

/** A figure of one entry's row group: its recorded and recomputed amounts and the mark beside the recomputed one. */
function figureOf(rows: HTMLElement, figure: string) {
  const cell = (side: string) => rows.querySelector<HTMLElement>(`[data-figure="${figure}"][data-side="${side}"]`)!;
  return {
    recorded: cell('recorded').textContent,
    recomputed: cell('recomputed').textContent,
    verdict: cell('recomputed').querySelector('[data-figure-verdict]')!.getAttribute('data-figure-verdict'),
  };
}

describe('a contract record', () => {
  it('verifies the 3-job record and shows every payment recomputed, each figure equal, in pounds', async () => {
    renderApp('/');
    chooseRecord('contract-keep-repairs.record.jsonl', contractFixtureText());
    const verdict = await screen.findByTestId('verdict', {}, { timeout: 30_000 });
    expect(within(verdict).getByRole('heading', { name: 'Verified' })).toBeTruthy();
    expect(verdict.textContent).toContain('Contract keep-repairs: every check that applies passed.');

    const payments = screen.getByRole('table', { name: 'Every payment, as recorded and as recomputed' });
    const groups = [...payments.querySelectorAll<HTMLElement>('tbody[data-payment]')];
    expect(groups).toHaveLength(CONTRACT_FIXTURE_FACTS.payments);
    const [job1, job2, job3] = contractFixturePaidOrders().map(orderReference);
    expect(groups.map((group) => group.querySelector('th[scope="rowgroup"]')!.textContent)).toEqual([
      `Order ${job1}Keep Homes, entry 8`,
      `Order ${job2}Keep Homes, entry 17`,
      `Order ${job3}Moat Housing, entry 24`,
    ]);
    expect(within(groups[0]!).getAllByRole('rowheader').map((header) => header.textContent)).toEqual([`Order ${job1}Keep Homes, entry 8`, 'Recorded', 'Recomputed']);
    const verdicts = [...payments.querySelectorAll('[data-figure-verdict]')].map((mark) => mark.textContent);
    expect(verdicts).toHaveLength(3 * 6);
    expect(new Set(verdicts)).toEqual(new Set(['Equal']));
    expect(figureOf(groups[1]!, 'lateReductionPence')).toEqual({ recorded: 'Late reduction£15.33', recomputed: 'Late reduction£15.33 Equal', verdict: 'equal' });
    expect(screen.getByTestId('payments-summary').textContent).toBe('All 3 payments recorded are what this browser recomputed from the contract’s terms and the repairs’ history, to the penny.');

    const runs = screen.getByRole('table', { name: /Every payment run/ });
    const runGroups = [...runs.querySelectorAll<HTMLElement>('tbody[data-payment-run]')];
    expect(runGroups.map((group) => group.querySelector('th[scope="rowgroup"]')!.textContent)).toEqual(['Keep Homes2 payments, entry 27', 'Moat Housing1 payment, entry 28']);
    expect(within(runGroups[0]!).getAllByRole('rowheader').map((header) => header.textContent)).toContain('Sum of its payments');
    expect(figureOf(runGroups[0]!, 'contractorTotalPence')).toEqual({ recorded: 'To the contractor£146.49', recomputed: 'To the contractor£146.49 Equal', verdict: 'equal' });

    // Every check of a contract record, none of an election's, each passed.
    const checks = within(screen.getByTestId('checks-table')).getAllByRole('row').slice(1);
    expect(checks.map((row) => row.getAttribute('data-check'))).toEqual(expect.arrayContaining(['contract.payments', 'contract.payment-runs', 'ledger.cosignatures']));
    expect(checks).toHaveLength(13);
    expect(checks.filter((row) => row.textContent?.includes('Passed'))).toHaveLength(13);
    expect(screen.queryByTestId('failures')).toBeNull();
    expect(screen.queryByRole('link', { name: 'Check a tracking code or receipt' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Download the report (JSON)' }).getAttribute('download')).toBe('verification-report-keep-repairs.json');
  }, 60_000);

  it('a payment changed and re-signed: the failing check in words, its evidence, and the differing figure marked', async () => {
    renderApp('/');
    chooseRecord('tampered.jsonl', tamperedContractText());
    const verdict = await screen.findByTestId('verdict', {}, { timeout: 30_000 });
    expect(within(verdict).getByRole('heading', { name: 'Not verified' })).toBeTruthy();
    expect(within(verdict).getByRole('link', { name: 'Every payment is recomputed to the penny: failed' })).toBeTruthy();

    const lateOrder = contractFixturePaidOrders()[1]!;
    const failure = screen.getByTestId('failures').querySelector<HTMLElement>('[data-failed-check="contract.payments"]')!;
    expect(failure.textContent).toContain('someone was paid more or less than the contract says');
    expect(failure.textContent).toContain(`entry 17: lateReductionPence of order ${lateOrder} is recorded as 0, recomputed as 1533`);
    expect(JSON.parse(failure.querySelector('pre')!.textContent!)).toMatchObject({ index: 17, figure: 'lateReductionPence', recorded: 0, recomputed: 1_533 });
    // The operator could re-sign the log but not the witnesses' cosignatures.
    expect(screen.getByTestId('failures').querySelector('[data-failed-check="ledger.cosignatures"]')).toBeTruthy();

    const payments = screen.getByRole('table', { name: 'Every payment, as recorded and as recomputed' });
    const changed = payments.querySelector<HTMLElement>(`[data-payment="${lateOrder}"]`)!;
    expect(figureOf(changed, 'lateReductionPence')).toEqual({ recorded: 'Late reduction£0.00', recomputed: 'Late reduction£15.33 Different', verdict: 'different' });
    expect(figureOf(changed, 'contractorPaymentPence').verdict).toBe('equal');
    expect([...payments.querySelectorAll('[data-figure-verdict="different"]')]).toHaveLength(1);
    expect(screen.getByTestId('payments-summary').textContent).toMatch(/^1 of 3 payments recorded differ/);
  }, 60_000);

  it('fetches a contract’s record from the server by its reference, and says in words when the reference cannot be one', async () => {
    renderApp('/');
    const reference = screen.getByLabelText('Contract reference');
    fireEvent.change(reference, { target: { value: 'keep repairs!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify the contract' }));
    expect(await screen.findAllByText(/Enter a contract reference of up to 64 letters/)).toHaveLength(2);

    fireEvent.change(reference, { target: { value: ' keep-repairs ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify the contract' }));
    const verdict = await screen.findByTestId('verdict', {}, { timeout: 30_000 });
    expect(within(verdict).getByRole('heading', { name: 'Verified' })).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Every payment, as recorded and as recomputed' }).querySelectorAll('tbody[data-payment]')).toHaveLength(CONTRACT_FIXTURE_FACTS.payments);
  }, 60_000);

  it('a contract the server does not have: the page says so', async () => {
    renderApp('/');
    fireEvent.change(screen.getByLabelText('Contract reference'), { target: { value: 'no-such-contract' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify the contract' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'The record could not be checked' })).toBeTruthy();
    expect(screen.getByText('The server has no such record: check the election or the contract’s reference.')).toBeTruthy();
  });

  it('lists a contract record’s checks while it runs, once the worker has read the first line', async () => {
    const { worker, listening, deliver } = scriptedWorker();
    renderApp('/', async () => worker);
    chooseRecord('contract.record.jsonl', contractFixtureText());
    await screen.findByRole('heading', { level: 1, name: 'Verifying the record' });
    await listening;
    act(() => deliver({ type: 'record-kind', kind: 'contract' }));
    const listed = () => [...document.querySelectorAll('#checks li')].map((item) => item.getAttribute('data-check'));
    await waitFor(() => expect(listed()).toHaveLength(13));
    expect(listed()).toEqual([
      'record.format',
      'ledger.entries',
      'ledger.chain',
      'ledger.checkpoint-roots',
      'ledger.consistency',
      'ledger.checkpoint-signatures',
      'ledger.cosignatures',
      'registry.inclusion',
      'contract.sequence',
      'contract.orders',
      'contract.approvals',
      'contract.payments',
      'contract.payment-runs',
    ]);
    act(() => deliver({ type: 'check-progress', progress: { check: 'contract.payments', done: 0, message: 'recomputing every payment' } }));
    expect(document.querySelector('[data-check="contract.payments"]')!.textContent).toBe('Every payment is recomputed to the pennyrecomputing every paymentChecking');
  });
});
