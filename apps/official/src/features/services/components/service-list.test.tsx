import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ServiceSummary } from '@townhall/protocol';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceList } from './service-list.tsx';
import { serviceSummary } from './service-summary-fixture.ts';

const garden = serviceSummary({ claims: ['name', 'address'], requiredClaims: ['address'] });

const parking: ServiceSummary = {
  ...garden,
  clientId: 'svc_parking',
  name: 'Parking permits',
  clientType: 'public',
  authMethod: 'none',
  claims: [],
  requiredClaims: [],
  minimumAcr: 'urn:townhall:acr:staff-invitation',
  status: 'suspended',
  revision: 2,
  ledgerIndex: '15',
};

/** The API as this page meets it: the list, and status changes (recorded for the assertions). */
function serveServices(services: ServiceSummary[]) {
  const sent: { url: string; body: unknown }[] = [];
  let current = services;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as { status: ServiceSummary['status'] };
        sent.push({ url, body });
        const clientId = /\/services\/([^/]+)\/status$/.exec(url)![1];
        current = current.map((s) => (s.clientId === clientId ? { ...s, status: body.status, revision: s.revision + 1 } : s));
        return Response.json(current.find((s) => s.clientId === clientId));
      }
      return Response.json({ services: current });
    }),
  );
  return sent;
}

function renderList() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter>
        <ServiceList />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('ServiceList', () => {
  it('shows each service: what it may ask for in words, required ones marked, its level, status and registry receipt', async () => {
    serveServices([garden, parking]);
    renderList();
    const table = await screen.findByRole('table', { name: 'Registered services' });
    const [, gardenRow, parkingRow] = within(table).getAllByRole('row');

    const gardenCells = within(gardenRow!);
    expect(gardenCells.getByRole('rowheader').textContent).toContain('Garden waste subscription');
    expect(gardenCells.getByRole('rowheader').textContent).toContain('Client ID: svc_garden');
    expect(gardenCells.getByRole('rowheader').textContent).toContain('Confidential: a server that proves who it is with its keys');
    expect(gardenCells.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Their name', 'Their postcode (required)']);
    expect(gardenRow!.textContent).toContain('Electoral roll entry claimed with the poll-card code and a roll detail, then a passkey');
    expect(gardenCells.getByText('Active').className).toContain('govuk-tag--green');
    expect(gardenCells.getByRole('link', { name: 'Receipt for entry 12 (Garden waste subscription)' }).getAttribute('href')).toBe(
      '/api/ledger/registry/receipt/12',
    );
    expect(gardenCells.getByRole('button', { name: 'Suspend Garden waste subscription' })).toBeTruthy();
    expect(gardenCells.getByRole('link', { name: 'Delete Garden waste subscription' }).getAttribute('href')).toBe('/services/svc_garden/delete');

    const parkingCells = within(parkingRow!);
    expect(parkingRow!.textContent).toContain('Public: an app in the browser or on a phone (PKCE only)');
    expect(parkingRow!.textContent).toContain('Only a reference number for each person');
    expect(parkingRow!.textContent).toContain('Council staff invited by an administrator, then a passkey');
    expect(parkingRow!.textContent).toContain('Changed since (revision 2)');
    expect(parkingCells.getByText('Suspended').className).toContain('govuk-tag--red');
    expect(parkingCells.getByRole('button', { name: 'Reinstate Parking permits' })).toBeTruthy();
    // A suspended service can be deleted too.
    expect(parkingCells.getByRole('link', { name: 'Delete Parking permits' }).getAttribute('href')).toBe('/services/svc_parking/delete');
  });

  it('says so when no service is registered, and offers to register one', async () => {
    serveServices([]);
    renderList();
    expect(await screen.findByText(/No services are registered yet/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByRole('link', { name: 'Register a service' }).getAttribute('href')).toBe('/services/new');
  });

  it('asks before suspending, saying what happens, and does nothing on Cancel', async () => {
    const sent = serveServices([garden]);
    renderList();
    fireEvent.click(await screen.findByRole('button', { name: 'Suspend Garden waste subscription' }));
    const question = screen.getByRole('group', { name: 'Suspend Garden waste subscription?' });
    expect(question.textContent).toContain('cannot sign anyone in with Townhall ID');
    expect(question.textContent).toContain('recorded in the public registry log');
    expect(document.activeElement).toBe(within(question).getByRole('heading'));

    fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group', { name: /Suspend/ })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Suspend Garden waste subscription' })));
    expect(sent).toEqual([]);
  });

  it('suspends only after “Yes”, then shows the service suspended', async () => {
    const sent = serveServices([garden]);
    renderList();
    fireEvent.click(await screen.findByRole('button', { name: 'Suspend Garden waste subscription' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, suspend it' }));
    const done = 'Garden waste subscription is suspended. It cannot sign anyone in until it is reinstated.';
    expect(await screen.findByText(done)).toBeTruthy();
    expect(sent).toEqual([{ url: '/api/services/svc_garden/status', body: { status: 'suspended' } }]);
    expect(await screen.findByText('Suspended')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reinstate Garden waste subscription' })).toBeTruthy();
  });

  it('asks before reinstating a suspended service, without a warning button', async () => {
    const sent = serveServices([parking]);
    renderList();
    fireEvent.click(await screen.findByRole('button', { name: 'Reinstate Parking permits' }));
    const question = screen.getByRole('group', { name: 'Reinstate Parking permits?' });
    expect(question.textContent).toContain('can sign people in with Townhall ID again');
    const yes = within(question).getByRole('button', { name: 'Yes, reinstate it' });
    expect(yes.className).not.toContain('govuk-button--warning');
    fireEvent.click(yes);
    expect(await screen.findByText('Parking permits is reinstated. It can sign people in again.')).toBeTruthy();
    expect(sent).toEqual([{ url: '/api/services/svc_parking/status', body: { status: 'active' } }]);
  });
});
