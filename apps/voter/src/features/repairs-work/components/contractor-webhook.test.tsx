import { fireEvent, screen, within } from '@testing-library/react';
import type { ContractorWebhook, WebhookDelivery } from '@townhall/protocol';
import { rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders as renderWith, serveFakeApi as serve } from '../../../test-support/fake-api.tsx';
import { ContractorWebhookPage } from './contractor-webhook.tsx';
import { WorkQueue, type WorkOrganisation } from './work-queue.tsx';

const contractor: WorkOrganisation = { id: 'c1', name: 'Castle Repairs Ltd', side: 'contractor' };
const path = '/api/organisations/c1/webhook';
const secret = `whsec_${'A'.repeat(43)}=`;
const newSecret = `whsec_${'B'.repeat(43)}=`;

const webhook = (patch: Partial<ContractorWebhook> = {}): ContractorWebhook => ({
  url: 'https://hooks.castle-repairs.example/townhall',
  isPaused: false,
  createdAt: '2027-01-04T09:00:00.000Z',
  updatedAt: '2027-01-04T09:00:00.000Z',
  secretCreatedAt: '2027-01-04T09:00:00.000Z',
  ...patch,
});
const delivery = (patch: Partial<WebhookDelivery>): WebhookDelivery => ({
  id: 'd1',
  type: 'order.triaged',
  orderId: 'aaaa1111-0000-4000-8000-000000000001',
  contractId: 'north-2027',
  createdAt: '2027-01-05T10:00:00.000Z',
  status: 'delivered',
  attempts: 1,
  lastStatusCode: 200,
  lastError: null,
  lastAttemptAt: '2027-01-05T10:00:01.000Z',
  nextAttemptAt: null,
  ...patch,
});
const refusal = (code: string, message: string, status: number) => Response.json({ error: { code, message, requestId: 'r' } }, { status });

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('ContractorWebhookPage', () => {
  it('registers an endpoint: says what to fix on the field (here and from the server), then shows the secret once', async () => {
    let registered: ContractorWebhook | null = null;
    const calls = serve({
      [`GET ${path}`]: () => Response.json({ webhook: registered }),
      [`GET ${path}/deliveries`]: () => Response.json({ deliveries: [] }),
      [`POST ${path}`]: (body) => {
        const { url } = body as { url: string };
        if (url.includes('10.0.0.1')) return refusal('WEBHOOK_URL_INVALID', 'The endpoint address is a private address, which our server does not call: use an address on the internet.', 422);
        registered = webhook({ url });
        return Response.json({ webhook: registered, secret }, { status: 201 });
      },
    });
    renderWith(<ContractorWebhookPage organisation={contractor} />);
    expect(await screen.findByRole('heading', { name: 'Register your endpoint' })).toBeTruthy();
    const register = () => fireEvent.click(screen.getByRole('button', { name: 'Register the endpoint' }));
    const field = () => screen.getByLabelText('Endpoint address') as HTMLInputElement;

    register();
    let summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter the address of your endpoint' }).getAttribute('href')).toBe('#webhook-url');
    fireEvent.change(field(), { target: { value: 'hooks.castle-repairs.example/townhall' } });
    register();
    expect(await within(await screen.findByRole('alert')).findByRole('link', { name: /starts with https:\/\// })).toBeTruthy();
    expect(calls.filter((c) => c.call.startsWith('POST'))).toEqual([]);

    // The server's refusal lands on the field too.
    fireEvent.change(field(), { target: { value: 'https://10.0.0.1/townhall' } });
    register();
    summary = await screen.findByRole('alert');
    expect(await within(summary).findByRole('link', { name: /private address, which our server does not call/ })).toBeTruthy();
    expect(field().getAttribute('aria-describedby')).toContain('webhook-url-error');

    fireEvent.change(field(), { target: { value: '  https://hooks.castle-repairs.example/townhall ' } });
    register();
    const box = (await screen.findByLabelText('Signing secret')) as HTMLTextAreaElement;
    expect(box.value).toBe(secret);
    expect(screen.getByText(/It will not be shown again/)).toBeTruthy();
    expect(calls.filter((c) => c.call === `POST ${path}`).map((c) => c.body)).toEqual([{ url: 'https://10.0.0.1/townhall' }, { url: 'https://hooks.castle-repairs.example/townhall' }]);
    expect(await screen.findByText('https://hooks.castle-repairs.example/townhall')).toBeTruthy();
    expect(await screen.findByText(/No deliveries yet/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'I have saved the secret' }));
    expect(screen.queryByLabelText('Signing secret')).toBeNull();
    expect(document.body.textContent).not.toContain(secret);
  });

  it('lists recent deliveries with their event, order, status, HTTP status, attempts and next try', async () => {
    serve({
      [`GET ${path}`]: () => Response.json({ webhook: webhook() }),
      [`GET ${path}/deliveries`]: () =>
        Response.json({
          deliveries: [
            delivery({ id: 'd3', status: 'pending', attempts: 3, lastStatusCode: 500, lastError: 'not a 2xx answer: Internal Server Error', nextAttemptAt: '2027-01-05T10:20:00.000Z', type: 'order.rejected' }),
            delivery({ id: 'd2', status: 'failed', attempts: 8, lastStatusCode: null, lastError: 'no answer within 10 s', orderId: 'bbbb2222-0000-4000-8000-000000000002' }),
            delivery({ id: 'd1', type: 'order.confirmed' }),
          ],
        }),
    });
    renderWith(<ContractorWebhookPage organisation={contractor} />);
    const table = await screen.findByRole('table', { name: 'Recent deliveries' });
    const rows = within(table).getAllByRole('row').slice(1);
    const cells = (row: HTMLElement) => [within(row).getByRole('rowheader').textContent, ...within(row).getAllByRole('cell').map((c) => c.textContent)];
    expect(cells(rows[0]!)).toEqual([
      'Repair AAAA-1111',
      expect.stringMatching(/^EventWork rejected\d+ January 2027/),
      'StatusRetryingnot a 2xx answer: Internal Server Error',
      'HTTP status500',
      'Attempts3 of 8',
      expect.stringMatching(/^Next try\d+ January 2027/),
    ]);
    expect(cells(rows[1]!)).toEqual(['Repair BBBB-2222', expect.stringMatching(/^EventNew work order/), 'StatusFailedno answer within 10 s', 'HTTP statusNo answer', 'Attempts8 of 8', 'Next try–']);
    expect(cells(rows[2]!)).toEqual(['Repair AAAA-1111', expect.stringMatching(/^EventWork confirmed/), 'StatusDelivered', 'HTTP status200', 'Attempts1 of 8', 'Next try–']);
    expect(within(rows[1]!).getByRole('link', { name: 'Repair BBBB-2222' }).getAttribute('href')).toBe('/account/organisations/c1/work/bbbb2222-0000-4000-8000-000000000002');
  });

  it('pauses and resumes; makes a new secret and deletes the webhook only after asking', async () => {
    let current: ContractorWebhook | null = webhook();
    const calls = serve({
      [`GET ${path}`]: () => Response.json({ webhook: current }),
      [`GET ${path}/deliveries`]: () => Response.json({ deliveries: [] }),
      [`PATCH ${path}`]: (body) => {
        current = webhook({ ...current, ...(body as object) });
        return Response.json({ webhook: current });
      },
      [`POST ${path}/secret`]: () => {
        current = webhook({ ...current, secretCreatedAt: '2027-01-06T09:00:00.000Z' });
        return Response.json({ webhook: current, secret: newSecret });
      },
      [`DELETE ${path}`]: () => {
        current = null;
        return new Response(null, { status: 204 });
      },
    });
    renderWith(<ContractorWebhookPage organisation={contractor} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Pause deliveries' }));
    expect(await screen.findByText('Deliveries are paused. New events wait until you resume.')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Resume deliveries' })).toBeTruthy();
    expect(screen.getByText('Paused')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resume deliveries' }));
    expect(await screen.findByText('Deliveries are on again. Any that waited are being sent.')).toBeTruthy();
    expect(calls.filter((c) => c.call === `PATCH ${path}`).map((c) => c.body)).toEqual([{ isPaused: true }, { isPaused: false }]);

    fireEvent.click(screen.getByRole('button', { name: 'Make a new secret' }));
    expect(screen.getByRole('heading', { name: 'Make a new signing secret?' })).toBeTruthy();
    expect(calls.some((c) => c.call === `POST ${path}/secret`)).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, make a new secret' }));
    expect(((await screen.findByLabelText('Signing secret')) as HTMLTextAreaElement).value).toBe(newSecret);
    expect(screen.getByText(/the old one no longer works/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Delete the webhook' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.call === `DELETE ${path}`)).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Delete the webhook' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete the webhook' }));
    expect(await screen.findByText('The webhook is deleted.')).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Register your endpoint' })).toBeTruthy();
    expect(screen.queryByLabelText('Signing secret')).toBeNull();
  });

  it('says who may manage it when the caller may not', async () => {
    serve({ [`GET ${path}`]: () => refusal('FORBIDDEN', 'Only the organisation’s administrators can do that.', 403) });
    renderWith(<ContractorWebhookPage organisation={contractor} />);
    expect(await screen.findByText('Only Castle Repairs Ltd’s administrators can manage its webhook.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Register the endpoint' })).toBeNull();
  });
});

describe('WorkQueue', () => {
  it('links a contractor’s administrators, and only them, to the webhook page', async () => {
    const contracts = { contracts: [{ contractId: 'north-2027', title: 'North consortium repairs 2027', contractorId: 'c1', associationIds: ['ha1'], hostId: 'ha1', agreedRevision: 1, log: 'contract-north-2027', versions: [] }] };
    serve({ 'GET /api/organisations/c1/work-orders': () => Response.json({ repairs: [] }), 'GET /api/organisations/c1/contracts': () => Response.json(contracts) });
    const { unmount } = renderWith(<WorkQueue organisation={contractor} canRunPayments={false} isAdministrator />);
    expect((await screen.findByRole('link', { name: 'Webhook' })).getAttribute('href')).toBe('/account/organisations/c1/webhook');
    unmount();
    renderWith(<WorkQueue organisation={contractor} canRunPayments={false} isAdministrator={false} />);
    expect(await screen.findByRole('link', { name: 'North consortium repairs 2027' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Webhook' })).toBeNull();
  });
});
