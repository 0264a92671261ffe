import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OidcInteractionRoute } from './oidc-interaction.tsx';

const passkey = vi.hoisted(() => ({ startAuthentication: vi.fn() }));
vi.mock('@simplewebauthn/browser', () => ({
  startAuthentication: passkey.startAuthentication,
  WebAuthnAbortService: { cancelCeremony: () => {} },
}));
const navigation = vi.hoisted(() => ({ leaveFor: vi.fn() }));
vi.mock('../../features/townhall-id/lib/leave-for.ts', () => navigation);

const UID = 'Xy7-interaction';
const BASE = `/oidc/interaction/${UID}`;
const RESUME = `http://localhost/oidc/auth/${UID}`;
const service = { clientId: 'garden-waste', name: 'Garden waste subscription' };
const anonymous = { principal: { kind: 'anonymous' }, csrfToken: 'token-anonymous', expiresAt: null };
const resident = {
  principal: { kind: 'resident', pseudonym: 'ab'.repeat(32), districtCode: 'CAS', givenName: 'Ada' },
  csrfToken: 'token-resident',
  expiresAt: '2027-01-01T12:00:00.000Z',
};
const staff = {
  principal: { kind: 'staff', staffId: 's1', displayName: 'Sam Clerk', roles: [{ role: 'officer', electionId: null }] },
  csrfToken: 'token-staff',
  expiresAt: '2027-01-01T12:00:00.000Z',
};
const loginDetails = {
  uid: UID,
  prompt: 'login',
  service,
  claims: [],
  minimumAcr: 'urn:townhall:acr:roll-poll-card',
  organisations: [],
  representing: [],
};
const consentDetails = {
  ...loginDetails,
  prompt: 'consent',
  claims: [
    { claim: 'name', words: 'Your name', required: false },
    { claim: 'age_over_18', words: 'Whether you are 18 or over (not your date of birth)', required: false },
    { claim: 'townhall:roll', words: 'That you are on the electoral roll, and your ward', required: true },
  ],
};
const expired = {
  error: {
    code: 'SIGN_IN_REQUEST_EXPIRED',
    message: 'This sign-in request has expired. Go back to the service and start again.',
    requestId: 'r1',
  },
};

type Answer = { status: number; body?: unknown };

/** The API as this page sees it: `METHOD path` → answer; each request is kept with its headers and body. */
function serveApi(routes: Record<string, Answer>) {
  const requests: { key: string; headers: Record<string, string>; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const key = `${init.method ?? 'GET'} ${url}`;
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      requests.push({ key, headers: { ...(init.headers as Record<string, string>) }, body });
      const answer = routes[key] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No.', requestId: 'r' } } };
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
    }),
  );
  return requests;
}

function renderPage() {
  render(
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <MemoryRouter initialEntries={[BASE]}>
        <Routes>
          <Route path="/oidc/interaction/:uid" element={<OidcInteractionRoute />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  rememberCsrfToken(null);
  passkey.startAuthentication.mockReset();
  navigation.leaveFor.mockReset();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Townhall ID’s sign-in page: signing in', () => {
  it('names the service, signs in with the passkey, tells the provider and goes back into it', async () => {
    const requests = serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: loginDetails },
      'GET /api/session': { status: 200, body: anonymous },
      'POST /api/sign-in/start': { status: 200, body: { options: { challenge: 'Y2hhbGxlbmdl' } } },
      'POST /api/sign-in/finish': { status: 200, body: resident },
      [`POST ${BASE}/login`]: { status: 200, body: { redirectTo: RESUME } },
    });
    passkey.startAuthentication.mockResolvedValue({ id: 'credential' });
    renderPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in to Garden waste subscription with Townhall ID' })).toBeTruthy();
    expect(screen.getByText(/Nothing about you is shared with Garden waste subscription until you agree/)).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in with your passkey' }));

    await waitFor(() => expect(navigation.leaveFor).toHaveBeenCalledWith(RESUME));
    expect(passkey.startAuthentication).toHaveBeenCalledWith({ optionsJSON: { challenge: 'Y2hhbGxlbmdl' }, useBrowserAutofill: false });
    // The interaction's POST is outside /api, after the sign-in, with the new session's CSRF token.
    const login = requests.find((r) => r.key === `POST ${BASE}/login`)!;
    expect(login.headers['x-csrf-token']).toBe('token-resident');
    const order = requests.map((r) => r.key);
    expect(order.indexOf(`POST ${BASE}/login`)).toBeGreaterThan(order.indexOf('POST /api/sign-in/finish'));
  });

  it('lets someone appointed by a resident sign in for them, after signing in as themselves', async () => {
    const appointmentId = '11111111-1111-4111-8111-111111111111';
    const requests = serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: { ...loginDetails, representing: [{ appointmentId, givenName: 'Eleanor' }] } },
      'GET /api/session': { status: 200, body: anonymous },
      'POST /api/sign-in/start': { status: 200, body: { options: { challenge: 'Y2hhbGxlbmdl' } } },
      'POST /api/sign-in/finish': { status: 200, body: resident },
      [`POST ${BASE}/login`]: { status: 200, body: { redirectTo: RESUME } },
    });
    passkey.startAuthentication.mockResolvedValue({ id: 'credential' });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your passkey' }));

    expect(await screen.findByRole('group', { name: 'Who are you signing in to Garden waste subscription as?' })).toBeTruthy();
    expect(requests.some((r) => r.key === `POST ${BASE}/login`)).toBe(false);
    fireEvent.click(screen.getByRole('radio', { name: 'Eleanor, who appointed me' }));
    fireEvent.click(screen.getByRole('button', { name: 'Continue to Garden waste subscription' }));
    await waitFor(() => expect(navigation.leaveFor).toHaveBeenCalledWith(RESUME));
    expect(requests.find((r) => r.key === `POST ${BASE}/login`)!.body).toEqual({ actingFor: appointmentId });
  });

  it('shows a passkey that did not work in an error summary, and does not tell the provider anything', async () => {
    const requests = serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: loginDetails },
      'GET /api/session': { status: 200, body: anonymous },
      'POST /api/sign-in/start': { status: 200, body: { options: { challenge: 'Y2hhbGxlbmdl' } } },
    });
    passkey.startAuthentication.mockRejectedValue(Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }));
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your passkey' }));

    const summary = await screen.findByRole('alert');
    const problem = within(summary).getByRole('link', { name: /You have not been signed in: the request was cancelled/ });
    expect(problem.getAttribute('href')).toBe('#sign-in-with-passkey');
    expect(document.title).toBe('Error: Sign in to Garden waste subscription with Townhall ID');
    expect(requests.some((r) => r.key.endsWith('/login'))).toBe(false);
    expect(navigation.leaveFor).not.toHaveBeenCalled();
  });

  it('cancels: the provider is told, and the browser goes back to the service through it', async () => {
    const requests = serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: loginDetails },
      'GET /api/session': { status: 200, body: anonymous },
      [`POST ${BASE}/abort`]: { status: 200, body: { redirectTo: `${RESUME}?declined` } },
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel and go back to Garden waste subscription' }));
    await waitFor(() => expect(navigation.leaveFor).toHaveBeenCalledWith(`${RESUME}?declined`));
    expect(requests.find((r) => r.key === `POST ${BASE}/abort`)!.headers['x-csrf-token']).toBe('token-anonymous');
    expect(passkey.startAuthentication).not.toHaveBeenCalled();
  });

  it('says plainly when the sign-in link has expired or belongs to another browser', async () => {
    serveApi({ [`GET ${BASE}/details`]: { status: 400, body: expired } });
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'This sign-in link has expired' })).toBeTruthy();
    expect(screen.getByText('Go back to the service and start again.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('says the same when the sign-in expires while the person uses their passkey', async () => {
    serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: loginDetails },
      'GET /api/session': { status: 200, body: anonymous },
      'POST /api/sign-in/start': { status: 200, body: { options: { challenge: 'Y2hhbGxlbmdl' } } },
      'POST /api/sign-in/finish': { status: 200, body: resident },
      [`POST ${BASE}/login`]: { status: 400, body: expired },
    });
    passkey.startAuthentication.mockResolvedValue({ id: 'credential' });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your passkey' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'This sign-in link has expired' })).toBeTruthy();
    expect(navigation.leaveFor).not.toHaveBeenCalled();
  });
});

describe('Townhall ID’s sign-in page: choosing what to share', () => {
  it('lists what the service needs, ticks the optional claims, and shares only those left ticked', async () => {
    const requests = serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: consentDetails },
      'GET /api/session': { status: 200, body: resident },
      [`POST ${BASE}/consent`]: { status: 200, body: { redirectTo: RESUME } },
    });
    renderPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Garden waste subscription wants to know' })).toBeTruthy();
    const needs = screen.getByRole('heading', { level: 2, name: 'It needs:' }).nextElementSibling as HTMLElement;
    const needed = within(needs).getAllByRole('listitem').map((item) => item.textContent);
    expect(needed).toEqual(['That you are on the electoral roll, and your ward']);
    const choices = screen.getByRole('group', { name: 'You can choose whether to share:' });
    const boxes = within(choices).getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.map((box) => [box.labels?.[0]?.textContent, box.checked])).toEqual([
      ['Your name', true],
      ['Whether you are 18 or over (not your date of birth)', true],
    ]);
    // The ledger and the account page are explained before the person agrees.
    const ledger = screen.getByText(/in the council’s public ledger/).textContent;
    expect(ledger).toMatch(/pseudonym used only for Garden waste subscription.*account page/);

    fireEvent.click(within(choices).getByLabelText('Your name'));
    fireEvent.click(screen.getByRole('button', { name: 'Continue to Garden waste subscription' }));

    await waitFor(() => expect(navigation.leaveFor).toHaveBeenCalledWith(RESUME));
    const consent = requests.find((r) => r.key === `POST ${BASE}/consent`)!;
    expect(consent.body).toEqual({ claims: ['age_over_18', 'townhall:roll'] });
    expect(consent.headers['x-csrf-token']).toBe('token-resident');
  });

  it('does not offer the organisation to someone who acts for none now, and shares the rest', async () => {
    const orgClaim = { claim: 'townhall:org', words: 'The organisation you are acting for, and your roles in it', required: false };
    const requests = serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: { ...consentDetails, claims: [...consentDetails.claims, orgClaim], organisations: [] } },
      'GET /api/session': { status: 200, body: resident },
      [`POST ${BASE}/consent`]: { status: 200, body: { redirectTo: RESUME } },
    });
    renderPage();

    const choices = await screen.findByRole('group', { name: 'You can choose whether to share:' });
    expect(within(choices).queryByLabelText(orgClaim.words)).toBeNull();
    expect(screen.queryByRole('group', { name: 'Which organisation are you acting for?' })).toBeNull();
    expect(screen.getByText(/not acting for any organisation at the moment, so it will not be told one/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Continue to Garden waste subscription' }));

    await waitFor(() => expect(navigation.leaveFor).toHaveBeenCalledWith(RESUME));
    expect(requests.find((r) => r.key === `POST ${BASE}/consent`)!.body).toEqual({ claims: ['name', 'age_over_18', 'townhall:roll'] });
  });

  it('shows the server’s refusal in an error summary', async () => {
    serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: consentDetails },
      'GET /api/session': { status: 200, body: resident },
      [`POST ${BASE}/consent`]: {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Garden waste subscription needs that you are on the electoral roll.',
            requestId: 'r2',
          },
        },
      },
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Continue to Garden waste subscription' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByText('Garden waste subscription needs that you are on the electoral roll.')).toBeTruthy();
    expect(document.title).toBe('Error: Garden waste subscription wants to know – Townhall ID');
    expect(navigation.leaveFor).not.toHaveBeenCalled();
  });

  it('for a service that asks for nothing but the sign-in, says so; staff are not sent to a residents’ account page', async () => {
    serveApi({
      [`GET ${BASE}/details`]: { status: 200, body: { ...consentDetails, claims: [] } },
      'GET /api/session': { status: 200, body: staff },
    });
    renderPage();
    expect(await screen.findByText(/only needs to know that it is you/)).toBeTruthy();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'It needs:' })).toBeNull();
    await waitFor(() => expect(screen.getByText(/in the council’s public ledger/).textContent).not.toMatch(/account page/));
  });
});
