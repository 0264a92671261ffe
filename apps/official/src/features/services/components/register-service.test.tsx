import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { ServiceSummary } from '@townhall/protocol';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RegisterService } from './register-service.tsx';
import { serviceSummary } from './service-summary-fixture.ts';

const PUBLIC_JWKS = '{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "kid": "k1"}]}';

const summary = (overrides: Partial<ServiceSummary>) => serviceSummary({ clientId: 'svc_new', authMethod: 'client_secret_basic', ledgerIndex: '21', ...overrides });

/** POST /api/services answers `answer` with `status`; the bodies sent are recorded. */
function serveRegistration(status: number, answer: unknown) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init?: RequestInit) => {
      sent.push(JSON.parse(String(init?.body)));
      return Response.json(answer, { status });
    }),
  );
  return sent;
}

function renderForm() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter>
        <RegisterService />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Register the service' }));
const errorSummary = () => within(document.querySelector<HTMLElement>('.govuk-error-summary')!);
/** The error message shown with a field (its form group's GOV.UK error message). */
const fieldError = (input: HTMLElement) => input.closest('.govuk-form-group')?.querySelector('.govuk-error-message')?.textContent;

/** A confidential service with its keys, asking for the name (required) and the postcode. */
function fillKeyService() {
  type('Name of the service', 'Garden waste subscription');
  type('Redirect URIs', 'https://bins.example.gov.uk/callback\n\nhttps://bins.example.gov.uk/other');
  fireEvent.click(screen.getByLabelText('A server that can keep a key or a secret'));
  fireEvent.click(screen.getByLabelText('With its own keys (recommended)'));
  type('Its public keys (a JWK Set)', PUBLIC_JWKS);
  fireEvent.click(within(screen.getByRole('group', { name: 'What may it ask people to share?' })).getByLabelText('Their name'));
  fireEvent.click(within(screen.getByRole('group', { name: 'What may it ask people to share?' })).getByLabelText('Their postcode'));
  fireEvent.click(within(screen.getByRole('group', { name: 'Which of these does it need?' })).getByLabelText('Their name'));
  fireEvent.click(screen.getByLabelText('Electoral roll entry claimed with the poll-card code and a roll detail, then a passkey'));
}

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('RegisterService', () => {
  it('shows every problem of an empty form in the error summary and on its field, without sending it', async () => {
    const sent = serveRegistration(201, {});
    renderForm();
    submit();
    const links = errorSummary().getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Enter the service’s name', '#service-name'],
      ['Enter at least one redirect URI', '#redirect-uris'],
      ['Select the kind of service', '#client-type-confidential'],
      ['Select the minimum level of assurance', '#minimum-acr-0'],
    ]);
    expect(fieldError(screen.getByLabelText('Name of the service'))).toBe('Error: Enter the service’s name');
    expect(fieldError(screen.getByLabelText('Redirect URIs'))).toBe('Error: Enter at least one redirect URI');
    const kind = screen.getByRole('group', { name: 'What kind of service is it?' });
    expect(kind.getAttribute('aria-describedby')).toContain('client-type-error');
    expect(document.title).toMatch(/^Error: Register a service/);
    expect(sent).toEqual([]);
  });

  it('checks what the form can: a URI that is not https, keys that are not JSON or hold a private part', async () => {
    const sent = serveRegistration(201, {});
    renderForm();
    fillKeyService();
    type('Redirect URIs', 'http://bins.example.gov.uk/callback');
    type('Its public keys (a JWK Set)', '{"keys": [');
    submit();
    expect(fieldError(screen.getByLabelText('Redirect URIs'))).toBe(
      'Error: “http://bins.example.gov.uk/callback” must use https (http only for localhost)',
    );
    expect(fieldError(screen.getByLabelText('Its public keys (a JWK Set)'))).toMatch(/The public keys are not valid JSON/);

    type('Its public keys (a JWK Set)', '{"keys": [{"kty": "EC", "d": "secret"}]}');
    submit();
    expect(fieldError(screen.getByLabelText('Its public keys (a JWK Set)'))).toBe(
      'Error: Key 1 must be a public key: it has a private part (d)',
    );
    expect(sent).toEqual([]);
  });

  it('sends only what the chosen kind of service uses, and shows the server’s VALIDATION_FAILED issues on their fields', async () => {
    const sent = serveRegistration(400, {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request is not valid',
        requestId: 'req-1',
        issues: [
          { path: 'redirectUris.1', message: 'must not have a fragment (#…)' },
          { path: 'jwks', message: 'give the service’s public keys (a JWK Set) for private_key_jwt' },
          { path: 'requiredClaims', message: 'address is required but not among the claims the service may ask for' },
        ],
      },
    });
    renderForm();
    fillKeyService();
    submit();

    const fragment = '“https://bins.example.gov.uk/other” must not have a fragment (#…)';
    expect(await screen.findByText(fragment, { selector: 'a' })).toBeTruthy();
    expect(sent).toEqual([
      {
        name: 'Garden waste subscription',
        redirectUris: ['https://bins.example.gov.uk/callback', 'https://bins.example.gov.uk/other'],
        postLogoutRedirectUris: [],
        clientType: 'confidential',
        authMethod: 'private_key_jwt',
        jwks: JSON.parse(PUBLIC_JWKS),
        claims: ['name', 'address'],
        requiredClaims: ['name'],
        minimumAcr: 'urn:townhall:acr:roll-poll-card',
        acceptsRepresentatives: false,
      },
    ]);
    expect(errorSummary().getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual([
      '#redirect-uris',
      '#jwks',
      '#required-claims-name',
    ]);
    expect(fieldError(screen.getByLabelText('Redirect URIs'))).toBe(`Error: ${fragment}`);
    expect(fieldError(screen.getByLabelText('Its public keys (a JWK Set)'))).toBe('Error: Paste the service’s public keys (a JWK Set)');
    expect(within(screen.getByRole('group', { name: 'Which of these does it need?' })).getByText(/is marked required/).textContent).toBe(
      'Error: “Their postcode” is marked required, but the service may not ask for it',
    );
  });

  it('shows a secret made for the service once, with a warning to copy it now', async () => {
    const sent = serveRegistration(201, { service: summary({}), clientSecret: 'sekrit-made-once' });
    renderForm();
    type('Name of the service', 'Garden waste subscription');
    type('Redirect URIs', 'https://bins.example.gov.uk/callback');
    fireEvent.click(screen.getByLabelText('A server that can keep a key or a secret'));
    fireEvent.click(screen.getByLabelText('With a client secret made for it'));
    fireEvent.click(screen.getByLabelText('Council staff invited by an administrator, then a passkey'));
    submit();

    expect(await screen.findByRole('heading', { level: 1, name: 'Service registered' })).toBeTruthy();
    expect(sent).toEqual([expect.objectContaining({ clientType: 'confidential', authMethod: 'client_secret_basic', claims: [] })]);
    expect(sent[0]).not.toHaveProperty('jwks');
    expect(screen.getByText('svc_new')).toBeTruthy();
    expect(screen.getByText(/Copy the client secret now. It will not be shown again/)).toBeTruthy();
    expect(screen.getByLabelText('Client secret')).toHaveProperty('value', 'sekrit-made-once');
    expect(screen.getByText(/recorded in the public registry log/).textContent).toContain('as entry 21');

    fireEvent.click(screen.getByRole('button', { name: 'Register another service' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Register a service' })).toBeTruthy();
    expect(document.body.textContent).not.toContain('sekrit-made-once');
  });

  it('confirms a public service with its client id and no secret', async () => {
    const sent = serveRegistration(201, { service: summary({ clientType: 'public', authMethod: 'none' }), clientSecret: null });
    renderForm();
    type('Name of the service', 'Library app');
    type('Redirect URIs', 'https://library.example.gov.uk/app');
    fireEvent.click(screen.getByLabelText('A server that can keep a key or a secret'));
    fireEvent.click(screen.getByLabelText('With its own keys (recommended)'));
    // Changing one's mind: a public service sends no key or secret, whatever was chosen before.
    fireEvent.click(screen.getByLabelText('An app in the browser or on a phone'));
    fireEvent.click(screen.getByLabelText('Electoral roll entry claimed with the poll-card code and a roll detail, then a passkey'));
    submit();

    expect(await screen.findByRole('heading', { level: 1, name: 'Service registered' })).toBeTruthy();
    expect(sent[0]).toMatchObject({ clientType: 'public' });
    expect(sent[0]).not.toHaveProperty('authMethod');
    expect(screen.queryByLabelText('Client secret')).toBeNull();
    expect(screen.queryByText(/Copy the client secret now/)).toBeNull();
  });
});
