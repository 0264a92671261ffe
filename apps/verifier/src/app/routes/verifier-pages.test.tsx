import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE, fixtureText, receiptFor } from '../../test-support/record-fixture.ts';
import { scriptedWorker } from '../../test-support/in-process-worker.ts';
import { renderApp } from '../../test-support/render-app.tsx';
import type { WorkerLike } from '../../features/verification/lib/verification-session.ts';

const council = { name: 'Demo Borough Council', electorCount: 12, districts: [] };
const health = { status: 'ok', version: '0.1.0', database: { reachable: true, dialect: 'pglite' }, migrations: { applied: 3, pending: 0 } };
const elections = {
  elections: [
    { id: FIXTURE.electionId, title: 'Mayor of Demo Borough', status: 'published', opensAt: '2026-11-21T09:00:00Z', closesAt: '2026-11-21T18:00:00Z', eligibleDistricts: ['CAS'] },
    { id: '7d1c1f5e-8f0a-4a57-9a43-3a3b1c1d2e3f', title: 'Library opening hours', status: 'open', opensAt: '2026-11-21T09:00:00Z', closesAt: '2026-11-28T18:00:00Z', eligibleDistricts: ['CAS'] },
  ],
};

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => (url === '/api/council' ? json(council) : url === '/api/health' ? json(health) : url === '/api/elections' ? json(elections) : json({ error: { code: 'NOT_FOUND', message: 'no', requestId: 'r' } }, 404))),
  );
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:report', revokeObjectURL: () => {} }));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function chooseFile(label: RegExp, name: string, text: string) {
  const input = screen.getByLabelText(label);
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'application/x-ndjson' })] } });
}

/** The fixture with one ballot's entry line removed: the chain breaks after it. */
function withoutEntry(text: string, index: number): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith(`{"kind":"entry","index":"${index}"`))
    .join('\n');
}

describe('start page', () => {
  it('lists the server’s elections with their status, a verify button and the record to download', async () => {
    renderApp('/');
    const list = await screen.findByTestId('elections');
    const mayor = within(list).getByRole('heading', { name: 'Mayor of Demo Borough' }).closest('li')!;
    expect(within(mayor).getByText('Result published')).toBeTruthy();
    expect(within(mayor).getByRole('link', { name: /Download the record/ }).getAttribute('href')).toBe(`/api/elections/${FIXTURE.electionId}/record`);
    expect(within(mayor).getByRole('button', { name: 'Verify Mayor of Demo Borough' })).toBeTruthy();
    expect(within(list).getByText('Open for voting')).toBeTruthy();
  });

  it('says in words when the chosen file is not an election record', async () => {
    renderApp('/');
    chooseFile(/Choose an election record file/, 'receipt.json', JSON.stringify({ format: 'townhall/ballot-receipt' }));
    expect(await screen.findByText('There is a problem')).toBeTruthy();
    expect(screen.getAllByText(/is a ballot receipt, not an election record/)).toHaveLength(2);
    chooseFile(/Choose an election record file/, 'photo.jpg', '\u00ff\u00d8 not json');
    expect(await screen.findAllByText(/must be the .jsonl file/)).toHaveLength(2);
    chooseFile(/Choose an election record file/, 'empty.jsonl', '');
    expect(await screen.findAllByText('The selected file is empty')).toHaveLength(2);
  });
});

describe('verifying a record file', () => {
  it('starts on a file dropped on the drop zone, as on one chosen with the input', async () => {
    renderApp('/');
    const file = new File([fixtureText()], 'dropped.record.jsonl', { type: 'application/x-ndjson' });
    fireEvent.drop(screen.getByTestId('record-file-drop-zone'), { dataTransfer: { files: [file] } });
    const verdict = await screen.findByTestId('verdict', {}, { timeout: 30_000 });
    expect(within(verdict).getByRole('heading', { name: 'Verified' })).toBeTruthy();
  }, 60_000);

  it('verifies the 5-voter record: verdict in words, the result chart’s table, turnout and every check', async () => {
    renderApp('/');
    chooseFile(/Choose an election record file/, 'election.record.jsonl', fixtureText());
    const verdict = await screen.findByTestId('verdict', {}, { timeout: 30_000 });
    expect(within(verdict).getByRole('heading', { name: 'Verified' })).toBeTruthy();
    expect(verdict.textContent).toContain('Mayor of Demo Borough: every check that applies passed.');
    const result = within(document.querySelector<HTMLElement>('[data-contest="mayor"]')!).getByRole('table');
    const rows = within(result).getAllByRole('row').slice(1).map((row) => row.textContent);
    expect(rows).toHaveLength(5);
    expect(rows.join('|')).toMatch(/2.*40\.0%/);
    const turnout = screen.getByRole('table', { name: 'Electors, credentials and ballots' });
    expect(within(turnout).getByRole('row', { name: /Eligible electors/ }).textContent).toContain('19');
    expect(within(turnout).getByRole('row', { name: /Ballots counted/ }).textContent).toContain('5');
    const checks = within(screen.getByTestId('checks-table')).getAllByRole('row').slice(1);
    expect(checks).toHaveLength(24);
    expect(checks.filter((row) => row.textContent?.includes('Passed'))).toHaveLength(24);
    expect(screen.getByRole('link', { name: 'Download the report (JSON)' }).getAttribute('download')).toBe(`verification-report-${FIXTURE.electionId}.json`);
    expect(screen.queryByTestId('failures')).toBeNull();
  }, 60_000);

  it('explains a tampered record in plain English, with the evidence behind a details toggle', async () => {
    renderApp('/');
    chooseFile(/Choose an election record file/, 'tampered.jsonl', withoutEntry(fixtureText(), 22));
    const verdict = await screen.findByTestId('verdict', {}, { timeout: 30_000 });
    expect(within(verdict).getByRole('heading', { name: 'Not verified' })).toBeTruthy();
    expect(verdict.textContent).toMatch(/check(s)? failed\. Do not rely on this record/);
    const failures = screen.getByTestId('failures');
    const format = failures.querySelector('[data-failed-check="record.format"]')!;
    expect(format.textContent).toContain('The file is damaged, cut short or not in the record format');
    const chain = failures.querySelector('[data-failed-check="ledger.chain"]')!;
    expect(chain.textContent).toContain('entries were removed, inserted or reordered');
    expect(within(chain as HTMLElement).getAllByText('Show the evidence').length).toBeGreaterThan(0);
    expect(chain.querySelector('pre')?.textContent).toMatch(/"index"/);
  }, 60_000);

  it('shows every check waiting, then cancels: the worker is stopped', async () => {
    const silent: WorkerLike & { terminated: boolean } = { terminated: false, postMessage() {}, addEventListener() {}, terminate() { this.terminated = true; } };
    renderApp('/', async () => silent);
    chooseFile(/Choose an election record file/, 'election.record.jsonl', fixtureText());
    expect(await screen.findByRole('heading', { level: 1, name: 'Verifying the record' })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('value')).toBeNull();
    expect(screen.getByText('0 bytes read.')).toBeTruthy();
    const items = document.querySelectorAll('#checks li');
    expect(items).toHaveLength(24);
    expect(items[0]!.textContent).toContain('Checking');
    expect(items[1]!.textContent).toContain('Not started');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Verification cancelled' })).toBeTruthy();
    expect(silent.terminated).toBe(true);
  });
});

describe('progress of a record streamed without its length', () => {
  it('measures the entries read against the number the record announces', async () => {
    const { worker, listening, deliver } = scriptedWorker();
    renderApp('/', async () => worker);
    chooseFile(/Choose an election record file/, 'election.record.jsonl', fixtureText());
    await screen.findByRole('heading', { level: 1, name: 'Verifying the record' });
    await listening;
    act(() => deliver({ type: 'reading', bytesRead: 5 * 2 ** 20, totalBytes: null }));
    expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('value')).toBeNull();
    act(() => deliver({ type: 'check-progress', progress: { check: 'ledger.entries', done: 6000, total: 12000, message: '6000 entries read' } }));
    expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('value')).toBe('45');
    expect(screen.getByText('45% done: 5.0 MB read, 6,000 of 12,000 log entries.')).toBeTruthy();
  });
});

describe('checking a tracking code or receipt', () => {
  async function verifiedThenBallotPage() {
    const router = renderApp('/');
    chooseFile(/Choose an election record file/, 'election.record.jsonl', fixtureText());
    await screen.findByTestId('verdict', {}, { timeout: 30_000 });
    fireEvent.click(screen.getByRole('link', { name: 'Check a tracking code or receipt' }));
    await screen.findByRole('heading', { level: 1, name: 'Check a tracking code or receipt' });
    return router;
  }

  it('finds a counted ballot and a replaced one by tracking code, and rejects a short code', async () => {
    await verifiedThenBallotPage();
    const input = screen.getByLabelText('Tracking code');
    fireEvent.change(input, { target: { value: FIXTURE.counted.trackingCode.toUpperCase() } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByRole('heading', { name: 'Your ballot is in the record' })).toBeTruthy();
    expect(screen.getByTestId('counted').textContent).toMatch(/^Yes/);
    fireEvent.change(input, { target: { value: FIXTURE.superseded.trackingCode } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(screen.getByTestId('counted').textContent).toMatch(/^No: the same voter cast a later ballot/));
    fireEvent.change(input, { target: { value: 'abc123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findAllByText(/you entered 6 characters/)).toHaveLength(2);
  }, 60_000);

  it('finds a ballot by the short code its voter was shown on the "Ballot cast" panel', async () => {
    await verifiedThenBallotPage();
    const short = FIXTURE.counted.trackingCode.slice(0, 12).toUpperCase().match(/.{4}/g)!.join('-');
    fireEvent.change(screen.getByLabelText('Tracking code'), { target: { value: short } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByRole('heading', { name: 'Your ballot is in the record' })).toBeTruthy();
    expect(screen.getByText(FIXTURE.counted.trackingCode)).toBeTruthy();
    expect(screen.getByTestId('counted').textContent).toMatch(/^Yes/);
  }, 60_000);

  it('verifies a receipt file against the record', async () => {
    await verifiedThenBallotPage();
    const receipt = await receiptFor(fixtureText(), FIXTURE.counted.index);
    chooseFile(/Or choose your receipt file/, 'receipt.json', JSON.stringify(receipt));
    expect(await screen.findByTestId('receipt-check')).toBeTruthy();
    expect(screen.getByTestId('receipt-check').textContent).toMatch(/^Verified: the receipt’s checkpoint of 21 entries/);
    chooseFile(/Or choose your receipt file/, 'receipt.json', JSON.stringify({ ...receipt, leafHash: 'ab'.repeat(32) }));
    await waitFor(() => expect(screen.getByTestId('receipt-check').textContent).toMatch(/^Failed/));
    expect(screen.getByTestId('receipt-problems').textContent).toContain('leaf hash');
  }, 60_000);
});
