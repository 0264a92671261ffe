import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServicesSignedInTo } from './service-access-list.tsx';

const gardenWaste = {
  clientId: 'garden-waste',
  name: 'Garden waste subscription',
  hasAccess: true,
  claims: ['age_over_18', 'townhall:roll'],
  events: [
    { kind: 'consent-given', claims: ['age_over_18', 'townhall:roll'], at: '2027-01-04T10:00:00.000Z', ledgerIndex: '41' },
    { kind: 'claims-released', claims: ['age_over_18', 'townhall:roll'], at: '2027-01-04T10:00:05.000Z', ledgerIndex: '42' },
  ],
};
const parking = {
  clientId: 'parking',
  name: 'Parking permits',
  hasAccess: false,
  claims: [],
  events: [
    { kind: 'consent-given', claims: ['name'], at: '2027-01-02T09:00:00.000Z', ledgerIndex: '30' },
    { kind: 'consent-withdrawn', claims: [], at: '2027-01-03T09:00:00.000Z', ledgerIndex: '35' },
  ],
};

function serveApi(answers: () => Record<string, { status: number; body?: unknown }>) {
  const requests: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const key = `${init.method ?? 'GET'} ${url}`;
      requests.push(key);
      const answer = answers()[key] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No.', requestId: 'r' } } };
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
    }),
  );
  return requests;
}

function renderSection() {
  render(
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <ServicesSignedInTo />
    </QueryClientProvider>,
  );
}

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => vi.unstubAllGlobals());

describe('the account page’s services', () => {
  it('shows each service, what it may know in plain words, and its history newest first with a receipt for each record', async () => {
    serveApi(() => ({ 'GET /api/account/services': { status: 200, body: { services: [gardenWaste, parking] } } }));
    renderSection();

    const garden = await screen.findByRole('region', { name: 'Garden waste subscription' });
    expect(within(garden).getByText('Has access')).toBeTruthy();
    expect(within(garden).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Whether you are 18 or over (not your date of birth)',
      'That you are on the electoral roll, and your ward',
    ]);
    const rows = within(garden).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[0]!.textContent)).toEqual([
      'What happenedIt received whether you are 18 or over (not your date of birth) and that you are on the electoral roll, and your ward',
      'What happenedYou agreed to share whether you are 18 or over (not your date of birth) and that you are on the electoral roll, '
        + 'and your ward',
    ]);
    const receipt = within(rows[0]!).getByRole('link', { name: /Receipt for entry 42/ });
    expect(receipt.getAttribute('href')).toBe('/api/ledger/registry/receipt/42');
    expect(receipt.getAttribute('download')).toBe('townhall-registry-receipt-42.txt');
    expect(within(garden).getByRole('button', { name: 'Withdraw access for Garden waste subscription' })).toBeTruthy();

    const withdrawn = screen.getByRole('region', { name: 'Parking permits' });
    expect(within(withdrawn).getByText('Withdrawn')).toBeTruthy();
    expect(within(withdrawn).getByText('You withdrew its access')).toBeTruthy();
    expect(within(withdrawn).queryByRole('button')).toBeNull();
  });

  it('shows a service the council deleted without access, keeping its history and receipts, the deletion last', async () => {
    const deleted = {
      ...gardenWaste,
      hasAccess: false,
      claims: [],
      events: [...gardenWaste.events, { kind: 'service-deleted', claims: [], at: '2027-01-06T12:00:00.000Z', ledgerIndex: '57' }],
    };
    serveApi(() => ({ 'GET /api/account/services': { status: 200, body: { services: [deleted] } } }));
    renderSection();

    const card = await screen.findByRole('region', { name: 'Garden waste subscription' });
    expect(within(card).getByText('Removed by the council')).toBeTruthy();
    expect(within(card).queryByText('Withdrawn')).toBeNull();
    expect(card.textContent).toContain('Nothing more: the council removed it from Townhall ID');
    const rows = within(card).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('link').getAttribute('href'))).toEqual([
      '/api/ledger/registry/receipt/57',
      '/api/ledger/registry/receipt/42',
      '/api/ledger/registry/receipt/41',
    ]);
    expect(rows[0]!.textContent).toContain('The council removed this service from Townhall ID: it can no longer sign you in');
    expect(within(card).queryByRole('button')).toBeNull();
  });

  it('asks before withdrawing access; only "Yes" withdraws it, and the list then says so', async () => {
    let services = [gardenWaste];
    const requests = serveApi(() => ({
      'GET /api/account/services': { status: 200, body: { services } },
      'POST /api/account/services/garden-waste/withdraw': { status: 204 },
    }));
    renderSection();

    fireEvent.click(await screen.findByRole('button', { name: 'Withdraw access for Garden waste subscription' }));
    expect(screen.getByRole('heading', { name: 'Withdraw Garden waste subscription’s access?' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(requests.filter((r) => r.startsWith('POST'))).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Withdraw access for Garden waste subscription' }));
    const withdrawal = { kind: 'consent-withdrawn', claims: [], at: '2027-01-05T10:00:00.000Z', ledgerIndex: '50' };
    services = [{ ...gardenWaste, hasAccess: false, claims: [], events: [...gardenWaste.events, withdrawal] }];
    fireEvent.click(screen.getByRole('button', { name: 'Yes, withdraw access' }));

    expect((await screen.findByRole('status')).textContent).toMatch(/Garden waste subscription no longer has access/);
    await waitFor(() => expect(screen.getByText('Withdrawn')).toBeTruthy());
    expect(requests.filter((r) => r.startsWith('POST'))).toEqual(['POST /api/account/services/garden-waste/withdraw']);
    expect(screen.queryByRole('button', { name: /Withdraw access/ })).toBeNull();
  });

  it('says when there are none', async () => {
    serveApi(() => ({ 'GET /api/account/services': { status: 200, body: { services: [] } } }));
    renderSection();
    expect(await screen.findByText('You have not signed in to any council services with Townhall ID.')).toBeTruthy();
  });
});
