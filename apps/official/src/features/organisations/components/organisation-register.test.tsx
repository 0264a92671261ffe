import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { OrganisationSummary } from '@townhall/protocol';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrganisationRegister } from './organisation-register.tsx';

const roofing: OrganisationSummary = {
  id: '11111111-1111-4111-8111-111111111111',
  kind: 'contractor',
  legalName: 'Castle Roofing Ltd',
  companyNumber: 'SC123456',
  charityNumber: null,
  address: '1 Yard Lane',
  status: 'active',
  currentMembers: 3,
  registeredIndex: '40',
  createdAt: '2026-12-01T10:30:00.000Z',
};
const foodBank: OrganisationSummary = {
  ...roofing,
  id: '22222222-2222-4222-8222-222222222222',
  kind: 'charity',
  legalName: 'Keep Lane Food Bank',
  companyNumber: null,
  charityNumber: '1123456-1',
  status: 'suspended',
  registeredIndex: '41',
};
const closed: OrganisationSummary = {
  ...roofing,
  id: '33333333-3333-4333-8333-333333333333',
  legalName: 'Gone Ltd',
  companyNumber: '00000099',
  status: 'closed',
};

function serve(organisations: OrganisationSummary[]) {
  const sent: { url: string; body: unknown }[] = [];
  let current = organisations;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as { status: OrganisationSummary['status'] };
        sent.push({ url, body });
        const id = /\/organisations\/([^/]+)\/status$/.exec(url)![1];
        current = current.map((o) => (o.id === id ? { ...o, status: body.status } : o));
        return Response.json(current.find((o) => o.id === id));
      }
      return Response.json({ organisations: current });
    }),
  );
  return sent;
}

function renderRegister() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter>
        <OrganisationRegister />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('OrganisationRegister', () => {
  it('lists each organisation with its kind, numbers, members, status, registry receipt and public page', async () => {
    serve([roofing, foodBank, closed]);
    renderRegister();
    const table = await screen.findByRole('table', { name: 'Registered organisations' });
    const row = within(table).getByRole('row', { name: /Castle Roofing Ltd/ });
    expect(row.textContent).toContain('Contractor');
    expect(row.textContent).toContain('SC123456');
    expect(within(row).getByRole('link', { name: /Receipt for entry 40/ }).getAttribute('href')).toBe('/api/ledger/registry/receipt/40');
    expect(
      within(row).getByRole('link', { name: /Public page and status history/ }).getAttribute('href'),
    ).toBe(`/organisations/${roofing.id}`);
    expect(within(row).getByRole('button', { name: 'Suspend Castle Roofing Ltd' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Close Castle Roofing Ltd' })).toBeTruthy();
    const suspended = within(table).getByRole('row', { name: /Keep Lane Food Bank/ });
    expect(within(suspended).getByRole('button', { name: 'Reinstate Keep Lane Food Bank' })).toBeTruthy();
    // Closing is final: no action is offered.
    const gone = within(table).getByRole('row', { name: /Gone Ltd/ });
    expect(within(gone).queryByRole('button')).toBeNull();
    expect(gone.textContent).toContain('Closing is final');
  });

  it('searches by name or number, ignoring spaces and case, and filters by kind and status', async () => {
    serve([roofing, foodBank, closed]);
    renderRegister();
    await screen.findByRole('table', { name: 'Registered organisations' });
    fireEvent.change(screen.getByLabelText('Search by name or number'), { target: { value: 'sc 1234' } });
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toContain('1 of 3 organisations match');
    fireEvent.change(screen.getByLabelText('Search by name or number'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'charity' } });
    expect(screen.getByRole('row', { name: /Keep Lane Food Bank/ })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'active' } });
    expect(screen.getByText(/No organisations match/)).toBeTruthy();
  });

  it('says so when nothing is registered', async () => {
    serve([]);
    renderRegister();
    expect(await screen.findByText(/No organisations are registered yet/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('asks before suspending, says what happens to the members, and changes nothing on cancel', async () => {
    const sent = serve([roofing]);
    renderRegister();
    fireEvent.click(await screen.findByRole('button', { name: 'Suspend Castle Roofing Ltd' }));
    const question = screen.getByRole('group', { name: 'Suspend Castle Roofing Ltd?' });
    expect(question.textContent).toContain('Its 3 members lose the organisation’s role at once');
    expect(question.textContent).toContain('public registry log');
    fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(sent).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Suspend Castle Roofing Ltd' })));
  });

  it('closes only after a question that says it is final', async () => {
    const sent = serve([roofing]);
    renderRegister();
    fireEvent.click(await screen.findByRole('button', { name: 'Close Castle Roofing Ltd' }));
    const question = screen.getByRole('group', { name: 'Close Castle Roofing Ltd?' });
    expect(question.textContent).toContain('Closing is final');
    fireEvent.click(within(question).getByRole('button', { name: 'Yes, close it for good' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Castle Roofing Ltd is closed. This is final.');
    expect(sent).toEqual([{ url: `/api/official/organisations/${roofing.id}/status`, body: { status: 'closed' } }]);
  });
});
