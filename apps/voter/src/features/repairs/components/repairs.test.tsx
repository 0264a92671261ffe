import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { Repair } from '@townhall/protocol';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReportRepairProvider } from './report-repair-context.tsx';
import { ReportRepairCheck, ReportRepairDone, ReportRepairForm } from './report-repair.tsx';
import { RepairDetail, YourRepairs } from './your-repairs.tsx';
import { serveFakeApi } from '../../../test-support/fake-api.tsx';
import { reportedRepair } from '../../../test-support/repair-fixture.ts';

const serve = (routes: Record<string, () => Response>) => serveFakeApi(routes, 'You have reported no such repair.');

const castle = { associationId: 'a1', legalName: 'Castle Homes', contractId: 'castle-repairs' };
const moat = { associationId: 'a2', legalName: 'Moat Housing', contractId: 'moat-repairs' };
const ORDER_ID = '3f2a91c0-1111-4222-8333-444455556666';

const repair = (changes: Partial<Repair> = {}): Repair => reportedRepair({ orderId: ORDER_ID, contractId: 'castle-repairs', associationId: 'a1', ...changes });

function renderAt(path: string) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/repairs" element={<YourRepairs />} />
          <Route
            path="/repairs/report"
            element={
              <ReportRepairProvider>
                <Outlet />
              </ReportRepairProvider>
            }
          >
            <Route index element={<ReportRepairForm />} />
            <Route path="check" element={<ReportRepairCheck />} />
            <Route path="done" element={<ReportRepairDone />} />
          </Route>
          <Route path="/repairs/:orderId" element={<RepairDetail orderId={ORDER_ID} />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const associations = (...list: (typeof castle)[]) => () => Response.json({ associations: list });
const heading = (name: string | RegExp) => screen.findByRole('heading', { level: 1, name });

function fillReport() {
  fireEvent.change(screen.getByLabelText('What is wrong?'), { target: { value: '  The kitchen tap drips all night ' } });
  fireEvent.change(screen.getByLabelText('Where in your home is it?'), { target: { value: 'Kitchen' } });
  fireEvent.click(screen.getByLabelText('Routine'));
  fireEvent.click(within(screen.getByRole('group', { name: /Is there damp or mould/ })).getByLabelText('No'));
  fireEvent.click(within(screen.getByRole('group', { name: /health or safety at risk/ })).getByLabelText('Yes'));
}

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('Report a repair', () => {
  it('says what to answer, each message linking to its question, when nothing is answered', async () => {
    serve({ 'GET /api/account/repairs/associations': associations(castle) });
    renderAt('/repairs/report');
    await heading('Report a repair');
    // One association: it is not asked, only named.
    expect(screen.getByText(/Your report goes to Castle Homes/)).toBeTruthy();
    expect(screen.queryByRole('group', { name: /Which home/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    const summary = within(screen.getByRole('alert'));
    expect(summary.getAllByRole('link').map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Enter what is wrong', '#description'],
      ['Enter where in your home the problem is', '#location'],
      ['Select how urgent the repair is', '#priority-emergency'],
      ['Select yes if there is damp or mould', '#damp-or-mould-yes'],
      ['Select yes if anyone’s health or safety is at risk now', '#immediate-risk-yes'],
    ]);
    expect(document.title).toMatch(/^Error: Report a repair/);
    // Each question shows its own message too.
    expect(screen.getByLabelText('What is wrong?').getAttribute('aria-describedby')).toContain('description-error');
  });

  it('asks which home when the resident is a tenant of more than one association', async () => {
    serve({ 'GET /api/account/repairs/associations': associations(castle, moat) });
    renderAt('/repairs/report');
    await heading('Report a repair');
    fillReport();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(within(screen.getByRole('alert')).getByRole('link', { name: 'Select which home the repair is in' }).getAttribute('href')).toBe('#association-a1');
    fireEvent.click(screen.getByLabelText('Moat Housing'));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await heading('Check your answers before reporting the repair');
    expect(screen.getByText('Housing association').nextElementSibling?.textContent).toBe('Moat Housing');
  });

  it('explains how to become a tenant to a resident who is nobody’s tenant', async () => {
    serve({ 'GET /api/account/repairs/associations': associations() });
    renderAt('/repairs/report');
    await heading('You cannot report a repair here yet');
    expect(screen.getByText(/Your housing association invites you/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull();
  });

  it('shows the answers to check, sends the report to the association under its contract, and gives the reference', async () => {
    const calls = serve({
      'GET /api/account/repairs/associations': associations(castle),
      'POST /api/organisations/a1/repairs': () => Response.json(repair({ hazards: { dampOrMould: false, immediateRisk: true } }), { status: 201 }),
    });
    renderAt('/repairs/report');
    await heading('Report a repair');
    fillReport();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await heading('Check your answers before reporting the repair');
    const answers = Object.fromEntries(
      [...document.querySelectorAll('.govuk-summary-list__row')].map((row) => [
        row.querySelector('dt')?.textContent,
        row.querySelector('.govuk-summary-list__value')?.textContent,
      ]),
    );
    expect(answers).toEqual({
      'What is wrong': 'The kitchen tap drips all night',
      'Where in your home': 'Kitchen',
      'How urgent': 'Routine',
      'Damp or mould': 'No',
      'Health or safety at risk now': 'Yes',
    });
    expect(screen.getByRole('link', { name: 'Change where in your home' }).getAttribute('href')).toBe('/repairs/report#location');
    fireEvent.click(screen.getByRole('button', { name: 'Report the repair' }));
    await screen.findByRole('heading', { level: 1, name: 'Repair reported' });
    expect(screen.getByText('3F2A-91C0')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'What happens next' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See this repair' }).getAttribute('href')).toBe(`/repairs/${ORDER_ID}`);
    expect(calls.find((c) => c.call === 'POST /api/organisations/a1/repairs')?.body).toEqual({
      contractId: 'castle-repairs',
      description: 'The kitchen tap drips all night',
      location: 'Kitchen',
      priority: 'routine',
      hazards: { dampOrMould: false, immediateRisk: true },
    });
  });

  it('says so when the association cannot take repairs, and keeps the answers', async () => {
    serve({
      'GET /api/account/repairs/associations': associations(castle),
      'POST /api/organisations/a1/repairs': () =>
        Response.json({ error: { code: 'CONTRACT_WRONG_STATE', message: 'This contract is not agreed yet.', requestId: 'r' } }, { status: 409 }),
    });
    renderAt('/repairs/report');
    await heading('Report a repair');
    fillReport();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await heading('Check your answers before reporting the repair');
    fireEvent.click(screen.getByRole('button', { name: 'Report the repair' }));
    expect(await within(await screen.findByRole('alert')).findByText(/cannot take repairs through this service/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Check your answers before reporting the repair');
  });

  it('starts again when the check page is opened without answers', async () => {
    serve({ 'GET /api/account/repairs/associations': associations(castle) });
    renderAt('/repairs/report/check');
    await heading('Report a repair');
  });
});

describe('Your repairs', () => {
  it('says there are none yet, and offers to report one to a tenant', async () => {
    serve({ 'GET /api/account/repairs': () => Response.json({ repairs: [] }), 'GET /api/account/repairs/associations': associations(castle) });
    renderAt('/repairs');
    expect(await screen.findByText('You have not reported a repair here yet.')).toBeTruthy();
    expect((await screen.findByRole('button', { name: 'Report a repair' })).getAttribute('href')).toBe('/repairs/report');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('lists each repair with its state in words and its deadline', async () => {
    serve({
      'GET /api/account/repairs': () =>
        Response.json({ repairs: [repair({ state: 'triaged', priority: 'urgent', dueAt: '2026-12-04T17:00:00.000Z' })] }),
      'GET /api/account/repairs/associations': associations(),
    });
    renderAt('/repairs');
    const row = (await screen.findByRole('link', { name: /Kitchen: The kitchen tap drips/ })).closest('tr')!;
    expect(row.textContent).toContain('Sent to the contractor');
    expect(row.textContent).toMatch(/By .*2026/);
    expect(row.textContent).toContain('3F2A-91C0');
    // No longer a tenant: no button, and a way to find out why.
    expect(screen.queryByRole('button', { name: 'Report a repair' })).toBeNull();
  });
});

describe('One repair', () => {
  it('shows its state, deadline, visit and history, each step with its ledger receipt', async () => {
    serve({
      [`GET /api/account/repairs/${ORDER_ID}`]: () =>
        Response.json(
          repair({
            state: 'scheduled',
            priority: 'urgent',
            dueAt: '2026-12-04T17:00:00.000Z',
            appointment: { start: '2026-12-03T09:00:00.000Z', end: '2026-12-03T11:00:00.000Z' },
            history: [
              { type: 'order-raised', at: '2026-12-01T10:00:00.000Z', ledgerIndex: '2' },
              { type: 'order-triaged', at: '2026-12-01T11:00:00.000Z', ledgerIndex: '3' },
              { type: 'order-accepted', at: '2026-12-01T12:00:00.000Z', ledgerIndex: '4' },
              { type: 'order-scheduled', at: '2026-12-01T13:00:00.000Z', ledgerIndex: '5' },
            ],
          }),
        ),
    });
    renderAt(`/repairs/${ORDER_ID}`);
    await heading('Your repair');
    const value = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent ?? '';
    expect(value('Status')).toContain('Visit booked');
    expect(value('How urgent')).toBe('Urgent');
    expect(value('Deadline')).toMatch(/^By .*2026/);
    expect(value('Visit')).toMatch(/2026 at \d\d:\d\d to .*\d\d:\d\d$/);
    const steps = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(steps.map((step) => step.querySelector('strong')?.textContent)).toEqual([
      'You reported the repair',
      'Your housing association sent it to the contractor',
      'The contractor accepted the job',
      'The contractor booked a visit',
    ]);
    expect(within(steps[1]!).getByRole('link', { name: /Receipt for entry 3/ }).getAttribute('href')).toBe('/api/ledger/contract-castle-repairs/receipt/3');
  });

  it('is not found when it is not the resident’s (or does not exist)', async () => {
    serve({});
    renderAt(`/repairs/${ORDER_ID}`);
    await heading('Repair not found');
    expect(screen.getByRole('link', { name: 'Your repairs' }).getAttribute('href')).toBe('/repairs');
  });
});
