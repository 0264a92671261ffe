import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrganisationPublicPage } from './organisation-public-page.tsx';

const page = {
  id: 'o1',
  kind: 'contractor',
  legalName: 'Castle Roofing Ltd',
  companyNumber: '10000007',
  charityNumber: null,
  status: 'active',
  currentMembers: 4,
  history: [
    { type: 'OrganisationRegistered', status: 'active', at: '2026-11-01T10:00:00.000Z', ledgerIndex: '10' },
    { type: 'OrganisationStatusChanged', status: 'suspended', at: '2026-11-02T10:00:00.000Z', ledgerIndex: '11' },
    { type: 'OrganisationStatusChanged', status: 'active', at: '2026-11-03T10:00:00.000Z', ledgerIndex: '12' },
  ],
};
const notFound = () => Response.json({ error: { code: 'NOT_FOUND', message: 'No.', requestId: 'r' } }, { status: 404 });

function serve(check: (body: { code: string }) => Response, organisation: () => Response = () => Response.json(page)) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) =>
      url.endsWith('/check-member') ? check(JSON.parse(String(init!.body)) as { code: string }) : organisation(),
    ),
  );
}

function renderPage() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <OrganisationPublicPage organisationId="o1" />
    </QueryClientProvider>,
  );
}

/** The text of the hint and error message a field names in its aria-describedby. */
const descriptionOf = (field: HTMLElement) =>
  (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('OrganisationPublicPage', () => {
  it('shows the public facts and the status history, newest first, each with its receipt', async () => {
    serve(notFound);
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Castle Roofing Ltd' })).toBeTruthy();
    expect(screen.getByText('10000007')).toBeTruthy();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[0]!.textContent)).toEqual([
      'What happenedReinstated',
      'What happenedSuspended',
      'What happenedRegistered with the council',
    ]);
    expect(
      within(rows[2]!).getByRole('link', { name: /Receipt for entry 10/ }).getAttribute('href'),
    ).toBe('/api/ledger/registry/receipt/10');
  });

  it('confirms a member’s code with their name and roles', async () => {
    serve((body) =>
      body.code === 'ABCDEFGHJK'
        ? Response.json({
            isCurrentMember: true,
            organisation: { id: 'o1', legalName: 'Castle Roofing Ltd', kind: 'contractor' },
            displayName: 'Fred Fitter',
            roles: ['gas-safe', 'member'],
            codeExpiresAt: '2026-12-01T10:40:00.000Z',
          })
        : notFound(),
    );
    renderPage();
    fireEvent.change(await screen.findByLabelText('Membership code'), { target: { value: 'abcde-fghjk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check the code' }));
    expect(await screen.findByText('Fred Fitter is a current member of Castle Roofing Ltd.')).toBeTruthy();
    expect(screen.getByText('Roles: Gas safe and member.')).toBeTruthy();
  });

  it('gives one plain answer for every code that does not confirm a member', async () => {
    serve(notFound);
    renderPage();
    fireEvent.change(await screen.findByLabelText('Membership code'), { target: { value: 'ZZZZZ-ZZZZZ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check the code' }));
    expect(await screen.findByText('This code does not confirm a current member of Castle Roofing Ltd.')).toBeTruthy();
    expect(screen.getByText(/We give the same answer in every case/)).toBeTruthy();
  });

  it('checks the code’s shape before asking', async () => {
    serve(notFound);
    renderPage();
    fireEvent.change(await screen.findByLabelText('Membership code'), { target: { value: '123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check the code' }));
    expect(descriptionOf(screen.getByLabelText('Membership code'))).toContain('Enter the 10 letters and digits');
  });

  it('says when there is no such organisation', async () => {
    serve(notFound, notFound);
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Organisation not found' })).toBeTruthy();
  });
});
