import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as client from 'openid-client';
import { SignJWT, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { OrganisationInvitationCreated, OrganisationSummary, ServiceAccessList, ServiceRegistered, ServiceRegistrationRequest } from '@townhall/protocol';
import { decodeEntry, verifyChain } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { OidcProviderService } from '../src/oidc/oidc-provider.service.ts';
import { OidcServicesService } from '../src/oidc/oidc-services.service.ts';
import { dialects } from './support/test-database.ts';
import { startTestApp } from './support/test-app.ts';
import { ApiClient, enrolOk } from '@townhall/client-flows';
import { PUBLIC_URL, issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import {
  OidcBrowser,
  SERVICE_REDIRECT,
  authorizationRequest,
  discover,
  registration,
  serviceKeys,
  type AuthorizationRequest,
} from './identity-support/oidc-browser.ts';

const code = ApiClient.errorCode;

/** Registers a service as a council administrator would, through the API. */
async function register(admin: ApiClient, request: ServiceRegistrationRequest): Promise<ServiceRegistered> {
  return ServiceRegistered.parse(await admin.json(admin.post('/api/services', request), 201));
}

/** A resident who has claimed their roll entry with a poll card: a browser holding their passkey. */
async function resident(app: RunningApp, electorNumber: string, claim: { postcode?: string; dateOfBirth?: string }): Promise<OidcBrowser> {
  const activationCode = await issueCard(app, electorNumber);
  const { client: api, authenticator } = await newBrowser(app);
  await enrolOk(api, authenticator, { activationCode, ...claim });
  return new OidcBrowser(app, authenticator);
}

/** Authorize → sign in with the passkey → consent to `accept` → the service's callback URL with the code. */
async function signInToService(browser: OidcBrowser, request: AuthorizationRequest, accept: string[] | null): Promise<string> {
  let { url } = await browser.navigate(request.url);
  for (let step = 0; step < 3 && url.startsWith(`${PUBLIC_URL}/oidc/interaction/`); step++) {
    const details = await browser.details(url);
    if (details.prompt === 'login') {
      await browser.signIn();
      ({ url } = await browser.navigate(await browser.redirectOf(await browser.post(url, 'login'))));
    } else {
      ({ url } = await browser.navigate(await browser.redirectOf(await browser.post(url, 'consent', { claims: accept ?? details.claims.map((c) => c.claim) }))));
    }
  }
  return url;
}

/**
 * A service's back-channel logout endpoint on this machine: the logout tokens it receives, and a check
 * of one as the service would make it (signed by the provider's keys, for this service, a logout token).
 */
async function backchannelReceiver(app: RunningApp) {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(new URLSearchParams(body).get('logout_token') ?? '');
      response.writeHead(200).end();
    });
  });
  // 'localhost', as the provider will resolve it (IPv4 or IPv6, whichever comes first here).
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    uri: `http://localhost:${port}/backchannel`,
    received,
    async verify(token: string, clientId: string) {
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${app.baseUrl}/oidc/jwks`)), { issuer: `${PUBLIC_URL}/oidc`, audience: clientId, typ: 'logout+jwt' });
      expect(payload).toMatchObject({ events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
      expect(payload).not.toHaveProperty('nonce');
      return payload;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(dialects)('Townhall ID (OpenID Connect provider) on %s', (dialect) => {
  let app: RunningApp;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
    admin = (await staffMember(app, 'admin', 'Ada Admin')).client;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('signs a resident in to a service with their passkey; they decline one optional claim; the release is in the ledger under a per-service pseudonym', async () => {
    const keys = await serviceKeys();
    const { service } = await register(admin, registration({ publicJwk: keys.publicJwk }));
    const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
    // The discovery document, checked as a relying party would (openid-client validated the issuer).
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${PUBLIC_URL}/oidc`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.subject_types_supported).toEqual(['pairwise']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(metadata.pushed_authorization_request_endpoint).toBeDefined();
    expect(metadata.backchannel_logout_supported).toBe(true);

    const browser = await resident(app, 'CAS-0001', { postcode: 'DB1 1AA' });
    const request = await authorizationRequest(config, 'openid profile address age townhall:roll');
    const first = await browser.navigate(request.url);
    const interaction = first.url;
    expect(interaction).toMatch(/\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
    expect((await browser.details(interaction)).prompt).toBe('login');
    // Another browser cannot see or finish this sign-in: the interaction is bound to this one's cookie.
    const stranger = await resident(app, 'CAS-0002', { postcode: 'DB1 1AA' });
    await stranger.signIn();
    expect((await code(stranger.post(interaction, 'login'))).code).toBe('SIGN_IN_REQUEST_EXPIRED');
    expect((await code(stranger.fetch(`${new URL(interaction).pathname}/details`))).code).toBe('SIGN_IN_REQUEST_EXPIRED');

    await browser.signIn();
    const consentUrl = (await browser.navigate(await browser.redirectOf(await browser.post(interaction, 'login')))).url;
    const consent = await browser.details(consentUrl);
    expect(consent.prompt).toBe('consent');
    expect(consent.service.name).toBe('Garden waste subscription');
    expect(consent.claims).toEqual([
      { claim: 'name', words: 'Your name', required: false },
      { claim: 'address', words: 'Your postcode', required: false },
      { claim: 'age_over_18', words: 'Whether you are 18 or over (not your date of birth)', required: false },
      { claim: 'townhall:roll', words: 'That you are on the electoral roll, and your ward', required: true },
    ]);
    // A required claim cannot be declined; nothing is recorded.
    const refused = await code(browser.post(consentUrl, 'consent', { claims: ['name'] }));
    expect(refused).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(refused.message).toContain('electoral roll');

    const callback = (await browser.navigate(await browser.redirectOf(await browser.post(consentUrl, 'consent', { claims: ['name', 'age_over_18', 'townhall:roll'] })))).url;
    expect(callback.startsWith(`${SERVICE_REDIRECT}?`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    const idClaims = tokens.claims()!;
    expect(idClaims.acr).toBe('urn:townhall:acr:roll-poll-card');
    expect(idClaims.amr).toEqual(['hwk', 'user']);
    expect(idClaims).not.toHaveProperty('name');
    // The ID token checked by an independent library against the published JWKS.
    const jwks = createRemoteJWKSet(new URL(`${app.baseUrl}/oidc/jwks`));
    const verified = await jwtVerify(tokens.id_token!, jwks, { issuer: `${PUBLIC_URL}/oidc`, audience: service.clientId, algorithms: ['ES256'] });
    expect(verified.payload.sub).toBe(idClaims.sub);
    expect(verified.protectedHeader.kid).toBeTruthy();

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    expect(userinfo).toMatchObject({ name: 'Amira Patel', given_name: 'Amira', age_over_18: true, 'townhall:roll': { registered: true, district: 'CAS' } });
    expect(userinfo).not.toHaveProperty('address');
    expect(userinfo).not.toHaveProperty('birthdate');

    // The same code a second time: refused (single use), and the grant's tokens are revoked.
    await expect(
      client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    // The account page lists the service, what it agreed to and what was released, each with its ledger index.
    await browser.session();
    const access = ServiceAccessList.parse(await (await browser.fetch('/api/account/services')).json());
    expect(access.services).toHaveLength(1);
    expect(access.services[0]).toMatchObject({ clientId: service.clientId, hasAccess: true, claims: ['name', 'age_over_18', 'townhall:roll'] });
    expect(access.services[0]!.events.map((e) => e.kind)).toEqual(['consent-given', 'claims-released']);
    const ledger = app.app.get(LedgerService);
    const released = access.services[0]!.events[1]!;
    const [entry] = await ledger.entries(REGISTRY_LOG, BigInt(released.ledgerIndex), BigInt(released.ledgerIndex) + 1n);
    const decoded = decodeEntry(entry!.bytes);
    expect(decoded.type).toBe('ClaimsReleased');
    expect(decoded.body).toMatchObject({ serviceId: service.clientId, claims: ['name', 'age_over_18', 'townhall:roll'] });
    const text = JSON.stringify(decoded.body);
    expect(text).not.toMatch(/Amira|Patel|DB1|CAS-0001/);
    // Its subject is neither the service's `sub` nor the resident's enrolment pseudonym.
    const session = await browser.session();
    const subject = (decoded.body as { subject: string }).subject;
    expect(subject).not.toBe(idClaims.sub);
    expect(subject).not.toBe(session.principal.kind === 'resident' ? session.principal.pseudonym : '');
    // The whole registry log, new entry types included, replays as the auditor replays it.
    const size = (await ledger.getLog(REGISTRY_LOG)).size;
    const all = await ledger.entries(REGISTRY_LOG, 0n, size);
    expect(() => verifyChain(all.map((e) => e.bytes))).not.toThrow();
    expect([...new Set(all.map((e) => decodeEntry(e.bytes).type))]).toEqual(expect.arrayContaining(['Enrolled', 'ServiceRegistered', 'ConsentGiven', 'ClaimsReleased']));
  });

  it('gives each service its own sub for the same resident, and remembers consent for the next sign-in', async () => {
    const a = await serviceKeys();
    const b = await serviceKeys();
    const { service: parking } = await register(admin, registration({ name: 'Parking permits', redirectUris: [SERVICE_REDIRECT], publicJwk: a.publicJwk }));
    const { service: library } = await register(
      admin,
      registration({ name: 'Libraries', redirectUris: ['https://library.example.org/callback'], publicJwk: b.publicJwk, claims: ['townhall:roll'] }),
    );
    const browser = await resident(app, 'CAS-0003', { postcode: 'DB1 1AB' });
    const parkingConfig = await discover(app, parking.clientId, client.PrivateKeyJwt(a.privateKey));
    const request = await authorizationRequest(parkingConfig, 'openid townhall:roll');
    const tokens = await client.authorizationCodeGrant(parkingConfig, new URL(await signInToService(browser, request, null)), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    // Signed in to the provider already, with consent given: straight back to the service.
    const again = await authorizationRequest(parkingConfig, 'openid townhall:roll');
    const direct = await browser.navigate(again.url);
    expect(direct.url.startsWith(`${SERVICE_REDIRECT}?code=`)).toBe(true);
    const againTokens = await client.authorizationCodeGrant(parkingConfig, new URL(direct.url), {
      pkceCodeVerifier: again.codeVerifier,
      expectedState: again.state,
      expectedNonce: again.nonce,
    });
    expect(againTokens.claims()!.sub).toBe(tokens.claims()!.sub);

    const libraryConfig = await discover(app, library.clientId, client.PrivateKeyJwt(b.privateKey));
    const libraryRequest = await authorizationRequest(libraryConfig, 'openid townhall:roll', { redirect_uri: 'https://library.example.org/callback' });
    const libraryCallback = await signInToService(browser, libraryRequest, null);
    const libraryTokens = await client.authorizationCodeGrant(libraryConfig, new URL(libraryCallback), {
      pkceCodeVerifier: libraryRequest.codeVerifier,
      expectedState: libraryRequest.state,
      expectedNonce: libraryRequest.nonce,
    });
    expect(libraryTokens.claims()!.sub).not.toBe(tokens.claims()!.sub);
  });

  it('refuses what OAuth says to refuse, with the protocol’s own errors and no open redirect', async () => {
    const keys = await serviceKeys();
    const { service } = await register(admin, registration({ publicJwk: keys.publicJwk }));
    const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
    const browser = await resident(app, 'CAS-0004', { postcode: 'DB1 1AB' });
    const authorize = (params: Record<string, string>) => browser.fetch(`/oidc/auth?${new URLSearchParams(params)}`);
    const good = await authorizationRequest(config, 'openid townhall:roll');
    const params = Object.fromEntries(new URL(good.url).searchParams);

    // An unknown service and a redirect URI it did not register: an error page, never a redirect.
    for (const bad of [{ ...params, client_id: 'svc_nobody' }, { ...params, redirect_uri: 'https://evil.example/callback' }]) {
      const response = await authorize(bad);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('Sorry, there is a problem');
    }
    // Without PKCE, or with `plain`: back to the service with invalid_request.
    const withoutPkce = { ...params };
    delete withoutPkce.code_challenge;
    delete withoutPkce.code_challenge_method;
    for (const bad of [withoutPkce, { ...params, code_challenge_method: 'plain', code_challenge: 'x'.repeat(43) }]) {
      const location = new URL((await authorize(bad)).headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(SERVICE_REDIRECT);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe(good.state);
    }
    // A code given to one service cannot be redeemed by another.
    const callback = await signInToService(browser, good, null);
    const other = await serviceKeys();
    const { service: otherService } = await register(admin, registration({ name: 'Another service', publicJwk: other.publicJwk }));
    const otherConfig = await discover(app, otherService.clientId, client.PrivateKeyJwt(other.privateKey));
    await expect(
      client.authorizationCodeGrant(otherConfig, new URL(callback), { pkceCodeVerifier: good.codeVerifier, expectedState: good.state, expectedNonce: good.nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    // Nor with the wrong PKCE verifier by the right service.
    await expect(
      client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: good.state, expectedNonce: good.nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    // Mix-up defence (RFC 9207): the authorization response names the issuer.
    expect(new URL(callback).searchParams.get('iss')).toBe(`${PUBLIC_URL}/oidc`);
    // Logout: a return address the service did not register is refused (no open redirect), and so is
    // an id_token_hint this provider did not sign.
    const foreign = await new SignJWT({ sub: 'someone' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(`${PUBLIC_URL}/oidc`)
      .setAudience(service.clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(other.privateKey);
    for (const logout of <Record<string, string>[]>[
      { client_id: service.clientId, post_logout_redirect_uri: 'https://evil.example/' },
      { id_token_hint: foreign, post_logout_redirect_uri: 'https://bins.example.gov.uk/signed-out' },
    ]) {
      const response = await browser.fetch(`/oidc/session/end?${new URLSearchParams(logout)}`);
      expect(response.status, JSON.stringify(logout)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
    // A client that cannot prove its key: invalid_client.
    const impostor = await discover(app, service.clientId, client.PrivateKeyJwt(other.privateKey));
    await expect(client.refreshTokenGrant(impostor, 'whatever')).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('rotates refresh tokens, introspects and revokes; withdrawing access on the account page revokes every token and signs the person out of the service', async () => {
    const backchannel = await backchannelReceiver(app);
    const keys = await serviceKeys();
    const { service } = await register(admin, registration({ publicJwk: keys.publicJwk, backchannelLogoutUri: backchannel.uri }));
    const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
    const browser = await resident(app, 'CAS-0005', { postcode: 'DB1 1AA' });
    const request = await authorizationRequest(config, 'openid offline_access townhall:roll', { prompt: 'consent' });
    const tokens = await client.authorizationCodeGrant(config, new URL(await signInToService(browser, request, null)), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // The retired refresh token is refused (and its reuse ends the whole grant).
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const second = await authorizationRequest(config, 'openid offline_access townhall:roll', { prompt: 'consent' });
    const current = await client.authorizationCodeGrant(config, new URL(await signInToService(browser, second, null)), {
      pkceCodeVerifier: second.codeVerifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
    });
    expect((await client.tokenIntrospection(config, current.access_token)).active).toBe(true);
    await client.tokenRevocation(config, current.access_token);
    expect((await client.tokenIntrospection(config, current.access_token)).active).toBe(false);

    await browser.session();
    expect(backchannel.received).toEqual([]);
    const withdrawn = await browser.fetch(`/api/account/services/${service.clientId}/withdraw`, { method: 'POST', body: {} });
    expect(withdrawn.status).toBe(204);
    await expect(client.refreshTokenGrant(config, current.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The service hears at once that the person's session with it has ended (one session, one token).
    await expect.poll(() => backchannel.received.length, { timeout: 15_000 }).toBe(1);
    expect(await backchannel.verify(backchannel.received[0]!, service.clientId)).toMatchObject({ sid: current.claims()!.sid, sub: current.claims()!.sub });
    await backchannel.close();
    const access = ServiceAccessList.parse(await (await browser.fetch('/api/account/services')).json());
    const mine = access.services.find((s) => s.clientId === service.clientId)!;
    expect(mine.hasAccess).toBe(false);
    expect(mine.events.at(-1)!.kind).toBe('consent-withdrawn');
    // Withdrawing twice: a clear 409, nothing appended.
    expect((await code(browser.fetch(`/api/account/services/${service.clientId}/withdraw`, { method: 'POST', body: {} }))).code).toBe('CONFLICT');
    // The next sign-in asks again.
    const third = await authorizationRequest(config, 'openid townhall:roll');
    const next = await browser.navigate(third.url);
    expect(next.url).toMatch(/\/oidc\/interaction\//);
    expect((await browser.details(next.url)).prompt).toBe('consent');
  });

  it('suspending a service stops its sign-ins at once; a staff-only service refuses residents with unmet_authentication_requirements and signs staff in', async () => {
    const keys = await serviceKeys();
    const { service } = await register(admin, registration({ publicJwk: keys.publicJwk }));
    const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
    const suspended = await admin.json<{ status: string; revision: number }>(admin.post(`/api/services/${service.clientId}/status`, { status: 'suspended' }));
    expect(suspended).toMatchObject({ status: 'suspended', revision: 2 });
    const browser = await resident(app, 'CAS-0006', { postcode: 'DB1 1AA' });
    const request = await authorizationRequest(config, 'openid townhall:roll');
    const response = await browser.fetch(request.url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();

    const staffKeys = await serviceKeys();
    const { service: staffService } = await register(
      admin,
      registration({ name: 'Staff intranet', publicJwk: staffKeys.publicJwk, claims: ['name', 'townhall:roles'], requiredClaims: [], minimumAcr: 'urn:townhall:acr:staff-invitation' }),
    );
    const staffConfig = await discover(app, staffService.clientId, client.PrivateKeyJwt(staffKeys.privateKey));
    const residentRequest = await authorizationRequest(staffConfig, 'openid profile');
    const refusal = new URL(await signInToService(browser, residentRequest, null));
    expect(refusal.searchParams.get('error')).toBe('unmet_authentication_requirements');

    const officer = await staffMember(app, 'officer', 'Olu Officer');
    const staffBrowser = new OidcBrowser(app, officer.authenticator);
    const staffRequest = await authorizationRequest(staffConfig, 'openid profile townhall:roles');
    const tokens = await client.authorizationCodeGrant(staffConfig, new URL(await signInToService(staffBrowser, staffRequest, null)), {
      pkceCodeVerifier: staffRequest.codeVerifier,
      expectedState: staffRequest.state,
      expectedNonce: staffRequest.nonce,
    });
    expect(decodeJwt(tokens.id_token!).acr).toBe('urn:townhall:acr:staff-invitation');
    expect(await client.fetchUserInfo(staffConfig, tokens.access_token, tokens.claims()!.sub)).toMatchObject({ name: 'Olu Officer', 'townhall:roles': ['officer'] });

    // Only administrators keep the register; each change is in the registry log.
    expect((await code(officer.client.post('/api/services', registration({ publicJwk: keys.publicJwk })))).code).toBe('FORBIDDEN');
    const ledger = app.app.get(LedgerService);
    const index = BigInt((await admin.json<{ services: { clientId: string; ledgerIndex: string }[] }>(admin.get('/api/services'))).services.find((s) => s.clientId === service.clientId)!.ledgerIndex);
    const [entry] = await ledger.entries(REGISTRY_LOG, index, index + 1n);
    expect(decodeEntry(entry!.bytes)).toMatchObject({ type: 'ServiceRegistered', body: { serviceId: service.clientId, revision: 2, status: 'suspended', redirectOrigins: ['https://bins.example.gov.uk'] } });
  });

  it('deleting a service revokes its grants, tokens, sign-ins in progress and session bindings at once; the ServiceDeleted entry holds no personal data; residents keep their history; it is final', async () => {
    const backchannel = await backchannelReceiver(app);
    const registered = await register(admin, registration({ name: 'Bulky waste collections', authMethod: 'client_secret_basic', backchannelLogoutUri: backchannel.uri }));
    const { service } = registered;
    const config = await discover(app, service.clientId, client.ClientSecretBasic(registered.clientSecret!));
    const browser = await resident(app, 'CAS-0009', { postcode: 'DB1 1AB' });
    const request = await authorizationRequest(config, 'openid offline_access profile townhall:roll', { prompt: 'consent' });
    const tokens = await client.authorizationCodeGrant(config, new URL(await signInToService(browser, request, null)), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    const sub = tokens.claims()!.sub;
    expect(await client.fetchUserInfo(config, tokens.access_token, sub)).toMatchObject({ name: 'Jade Morgan' });
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
    // A second sign-in, left half way (at the consent page).
    const pending = (await browser.navigate((await authorizationRequest(config, 'openid profile', { prompt: 'consent' })).url)).url;
    expect((await browser.details(pending)).prompt).toBe('consent');
    const sql = app.database.sql;
    const heldFor = async (clientId: string) => {
      const [row] = await sql.query<{ artefacts: string; sessions: string }>(
        `SELECT (SELECT count(*) FROM "oidc_payload" WHERE "payload"->>'clientId' = $1 OR "payload"->'params'->>'client_id' = $1)::text AS "artefacts",
                (SELECT count(*) FROM "oidc_payload" WHERE "model" = 'Session' AND "payload"->'authorizations' ? $1)::text AS "sessions"`,
        [clientId],
      );
      return { artefacts: Number(row!.artefacts), sessions: Number(row!.sessions) };
    };
    const before = await heldFor(service.clientId);
    expect(before.artefacts).toBeGreaterThanOrEqual(4); // the grant, the access and refresh tokens, the interaction
    expect(before.sessions).toBe(1);

    // Only council administrators delete; the others change nothing.
    const url = `/api/services/${service.clientId}`;
    const officer = await staffMember(app, 'officer', 'Oona Officer');
    expect(await code(officer.client.request('DELETE', url))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await browser.session();
    expect(await code(browser.fetch(url, { method: 'DELETE' }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const anonymous = (await newBrowser(app)).client;
    expect(await code(anonymous.request('DELETE', url))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await heldFor(service.clientId)).toEqual(before);

    const ledger = app.app.get(LedgerService);
    const sizeBefore = (await ledger.getLog(REGISTRY_LOG)).size;
    expect(backchannel.received).toEqual([]);
    expect((await admin.request('DELETE', url)).status).toBe(204);
    expect((await ledger.getLog(REGISTRY_LOG)).size).toBe(sizeBefore + 1n);
    // The service is told that the sessions people had with it have ended (a logout token it can still check against the provider's keys).
    await expect.poll(() => backchannel.received.length, { timeout: 15_000 }).toBe(1);
    expect(await backchannel.verify(backchannel.received[0]!, service.clientId)).toMatchObject({ sid: tokens.claims()!.sid, sub });
    await backchannel.close();

    // Everything the provider held for it is gone, and its tokens stop working at once.
    expect(await heldFor(service.clientId)).toEqual({ artefacts: 0, sessions: 0 });
    const provider = app.app.get(OidcProviderService).provider;
    expect(await provider.AccessToken.find(tokens.access_token)).toBeUndefined();
    expect(await provider.RefreshToken.find(tokens.refresh_token!)).toBeUndefined();
    await expect(client.fetchUserInfo(config, tokens.access_token, sub)).rejects.toMatchObject({ status: 401 });
    // The service itself is unknown now: it cannot even authenticate to refresh or introspect.
    const unknownClient = { status: 401, cause: [{ parameters: { error: 'invalid_client' } }] };
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject(unknownClient);
    await expect(client.tokenIntrospection(config, tokens.access_token)).rejects.toMatchObject(unknownClient);
    expect((await code(browser.fetch(`${new URL(pending).pathname}/details`))).code).toBe('SIGN_IN_REQUEST_EXPIRED');
    // A new sign-in with its client id: the provider's error page (invalid_client), never a redirect.
    const refused = await browser.fetch((await authorizationRequest(config, 'openid profile')).url);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain('<code>invalid_client</code>');
    // The row is a tombstone without the secret; the register no longer lists it.
    const [tombstone] = await sql.query<{ status: string; metadata: Record<string, unknown> | string }>(`SELECT "status", "metadata" FROM "oidc_service" WHERE "client_id" = $1`, [
      service.clientId,
    ]);
    expect(tombstone!.status).toBe('deleted');
    expect(JSON.stringify(tombstone!.metadata)).not.toContain(registered.clientSecret!);
    const listed = await admin.json<{ services: { clientId: string }[] }>(admin.get('/api/services'));
    expect(listed.services.map((s) => s.clientId)).not.toContain(service.clientId);

    // The resident's page: no access any more, and the history with its receipts stays, ending with the deletion.
    const mine = ServiceAccessList.parse(await (await browser.fetch('/api/account/services')).json()).services.find((s) => s.clientId === service.clientId)!;
    expect(mine).toMatchObject({ name: 'Bulky waste collections', hasAccess: false, claims: [] });
    expect(mine.events.map((e) => e.kind)).toEqual(['consent-given', 'claims-released', 'service-deleted']);
    const [given, released, deletion] = mine.events;
    expect(BigInt(deletion!.ledgerIndex)).toBe(sizeBefore);
    const decodedAt = async (index: string) => decodeEntry((await ledger.entries(REGISTRY_LOG, BigInt(index), BigInt(index) + 1n))[0]!.bytes);
    expect((await decodedAt(given!.ledgerIndex)).type).toBe('ConsentGiven');
    expect((await decodedAt(released!.ledgerIndex)).type).toBe('ClaimsReleased');
    const entry = await decodedAt(deletion!.ledgerIndex);
    expect(entry.type).toBe('ServiceDeleted');
    expect(entry.body).toEqual({ serviceId: service.clientId, revision: 2, at: deletion!.at });
    expect(JSON.stringify(entry.body)).not.toMatch(/Jade|Morgan|DB1|CAS-0009|Bulky/);
    expect(JSON.stringify(entry.body)).not.toContain(sub);
    expect((await code(browser.fetch(`/api/account/services/${service.clientId}/withdraw`, { method: 'POST', body: {} }))).code).toBe('CONFLICT');

    // It cannot be deleted again, reinstated, or registered again under its client id; nothing more is appended.
    expect(await code(admin.request('DELETE', url))).toMatchObject({ status: 410, code: 'SERVICE_DELETED' });
    expect(await code(admin.post(`${url}/status`, { status: 'active' }))).toMatchObject({ status: 410, code: 'SERVICE_DELETED' });
    await expect(app.app.get(OidcServicesService).ensureRegistered(service.clientId, ServiceRegistrationRequest.parse(registration({ name: 'Bulky waste collections', authMethod: 'client_secret_basic' })))).rejects.toMatchObject({
      code: 'SERVICE_DELETED',
    });
    expect(await code(admin.request('DELETE', '/api/services/svc_nobody'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await ledger.getLog(REGISTRY_LOG)).size).toBe(sizeBefore + 1n);
    // A service nobody has used yet (no grant to revoke) is deleted the same way.
    const { service: unused } = await register(admin, registration({ name: 'Never used', authMethod: 'client_secret_basic' }));
    expect((await admin.request('DELETE', `/api/services/${unused.clientId}`)).status).toBe(204);
    const size = (await ledger.getLog(REGISTRY_LOG)).size;
    expect(decodeEntry((await ledger.entries(REGISTRY_LOG, size - 1n, size))[0]!.bytes)).toMatchObject({ type: 'ServiceDeleted', body: { serviceId: unused.clientId, revision: 2 } });
    const all = await ledger.entries(REGISTRY_LOG, 0n, size);
    expect(() => verifyChain(all.map((e) => e.bytes))).not.toThrow();
  });

  it('pushes authorization requests (PAR), and ends sessions with RP-initiated and back-channel logout', async () => {
    const backchannel = await backchannelReceiver(app);
    try {
      const keys = await serviceKeys();
      const { service } = await register(admin, registration({ publicJwk: keys.publicJwk, backchannelLogoutUri: backchannel.uri }));
      const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
      const browser = await resident(app, 'CAS-0007', { postcode: 'DB1 1AB' });
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const pushed = await client.buildAuthorizationUrlWithPAR(config, {
        redirect_uri: SERVICE_REDIRECT,
        scope: 'openid townhall:roll',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      // Only the client id and the pushed request's reference travel through the browser.
      expect([...pushed.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
      const tokens = await client.authorizationCodeGrant(config, new URL(await signInToService(browser, { url: pushed.toString(), codeVerifier, state, nonce }, null)), {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
      });
      const sid = tokens.claims()!.sid;
      expect(sid).toBeTruthy();

      const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://bins.example.gov.uk/signed-out' });
      const question = await browser.fetch(endSession.toString().replace(/^http:\/\/127\.0\.0\.1:\d+/, PUBLIC_URL));
      const html = await question.text();
      expect(html).toContain('Sign out of Townhall ID?');
      const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html)!;
      const fields = Object.fromEntries([...form[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      const confirmed = await browser.fetch(form[1]!, {
        method: 'POST',
        raw: new URLSearchParams({ ...fields, logout: 'yes' }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.get('location')).toMatch(/^https:\/\/bins\.example\.gov\.uk\/signed-out/);
      await expect.poll(() => backchannel.received.length, { timeout: 15_000 }).toBe(1);
      expect(await backchannel.verify(backchannel.received[0]!, service.clientId)).toMatchObject({ sid, sub: tokens.claims()!.sub });
      // Signed out of the provider: the next sign-in to the service asks for the passkey again.
      const again = await authorizationRequest(config, 'openid townhall:roll');
      expect((await browser.details((await browser.navigate(again.url)).url)).prompt).toBe('login');
    } finally {
      await backchannel.close();
    }
  });

  it('keeps its state in the database: a code made on one instance is redeemed on another, and tokens survive a restart', async () => {
    const keys = await serviceKeys();
    const { service } = await register(admin, registration({ publicJwk: keys.publicJwk }));
    const browser = await resident(app, 'CAS-0008', { postcode: 'DB1 1AB' });
    const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
    const request = await authorizationRequest(config, 'openid offline_access townhall:roll', { prompt: 'consent' });
    const callback = await signInToService(browser, request, null);
    const other = await startTestApp(dialect, { testDatabase: app.testDatabase, env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000' } });
    try {
      const otherConfig = await discover(other, service.clientId, client.PrivateKeyJwt(keys.privateKey));
      const tokens = await client.authorizationCodeGrant(otherConfig, new URL(callback), {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      // Signed by the deployment's one key: the first instance's JWKS verifies the second's token.
      await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(`${app.baseUrl}/oidc/jwks`)), { issuer: `${PUBLIC_URL}/oidc`, audience: service.clientId });
      await other.stop();
      const restarted = await startTestApp(dialect, { testDatabase: app.testDatabase, env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000' } });
      try {
        const restartedConfig = await discover(restarted, service.clientId, client.PrivateKeyJwt(keys.privateKey));
        const refreshed = await client.refreshTokenGrant(restartedConfig, tokens.refresh_token!);
        expect(await client.fetchUserInfo(restartedConfig, refreshed.access_token, tokens.claims()!.sub)).toMatchObject({ 'townhall:roll': { registered: true } });
      } finally {
        await restarted.stop();
      }
    } finally {
      await other.stop().catch(() => undefined);
    }
  });

  it('answers malformed requests to the provider’s endpoints with OAuth errors, never a 5xx', async () => {
    const keys = await serviceKeys();
    const { service } = await register(admin, registration({ publicJwk: keys.publicJwk }));
    const endpoints = ['/oidc/token', '/oidc/request', '/oidc/token/introspection', '/oidc/token/revocation', '/oidc/me', '/oidc/auth', '/oidc/session/end'];
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(service.clientId, 'S256', 'plain', 'authorization_code', 'refresh_token', SERVICE_REDIRECT, 'openid'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.constantFrom('GET', 'POST'),
        fc.dictionary(fc.constantFrom('client_id', 'grant_type', 'code', 'redirect_uri', 'code_verifier', 'scope', 'token', 'response_type', 'code_challenge', 'request_uri', 'client_assertion'), value),
        async (endpoint, method, params) => {
          const query = new URLSearchParams(params).toString();
          const response = await fetch(`${app.baseUrl}${endpoint}${method === 'GET' ? `?${query}` : ''}`, {
            method,
            redirect: 'manual',
            headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
            body: method === 'POST' ? query : undefined,
          });
          expect(response.status, `${method} ${endpoint} ${query}`).toBeLessThan(500);
          if (response.status >= 400 && response.headers.get('content-type')?.includes('json')) {
            expect(typeof ((await response.json()) as { error?: unknown }).error).toBe('string');
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives townhall:org for the organisation chosen at consent, and stops giving it once the organisation is suspended', async () => {
    const organisation = OrganisationSummary.parse(
      await admin.json(admin.post('/api/official/organisations', { kind: 'contractor', legalName: 'Northgate Plumbing Ltd', companyNumber: '07654321', address: '2 Pipe Row' }), 201),
    );
    const invitation = OrganisationInvitationCreated.parse(
      await admin.json(admin.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName: 'Siobhan at Northgate Plumbing' }), 201),
    );
    const member = await resident(app, 'NGT-0003', { postcode: 'DB2 2BB' });
    await member.signIn();
    const linked = await member.fetch(`/api/organisation-invitations/${invitation.url.split('/').pop()}/link`, { method: 'POST', body: {} });
    expect(linked.status).toBe(200);

    const keys = await serviceKeys();
    const backchannel = await backchannelReceiver(app);
    const { service } = await register(
      admin,
      registration({ name: 'Trade waste', publicJwk: keys.publicJwk, claims: ['name', 'townhall:org'], requiredClaims: ['townhall:org'], backchannelLogoutUri: backchannel.uri }),
    );
    const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
    const request = await authorizationRequest(config, 'openid profile townhall:org');
    let { url } = await member.navigate(request.url);
    await member.signIn();
    url = (await member.navigate(await member.redirectOf(await member.post(url, 'login')))).url;
    const consent = await member.details(url);
    expect(consent.organisations).toEqual([{ id: organisation.id, name: 'Northgate Plumbing Ltd', roles: ['administrator'] }]);
    // The organisation must be one the person belongs to.
    const refused = await code(member.post(url, 'consent', { claims: ['name', 'townhall:org'], organisationId: '00000000-0000-4000-8000-000000000000' }));
    expect(refused.issues?.map((i) => i.path)).toEqual(['organisationId']);
    const callback = (await member.navigate(await member.redirectOf(await member.post(url, 'consent', { claims: ['name', 'townhall:org'], organisationId: organisation.id })))).url;
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).toMatchObject({
      'townhall:org': { id: organisation.id, kind: 'contractor', name: 'Northgate Plumbing Ltd', roles: ['administrator'] },
    });

    // A second member, Daniel, signs in to the service for the organisation too; when its administrator
    // removes him, the service hears that his session for it has ended (and only his).
    const daniel = await resident(app, 'NGT-0004', { postcode: 'DB2 2BB' });
    await member.session();
    const danielsInvitation = OrganisationInvitationCreated.parse(
      await (await member.fetch(`/api/organisations/${organisation.id}/invitations`, { method: 'POST', body: { displayName: 'Daniel at Northgate Plumbing', roles: ['member'] } })).json(),
    );
    await daniel.signIn();
    expect((await daniel.fetch(`/api/organisation-invitations/${danielsInvitation.url.split('/').pop()}/link`, { method: 'POST', body: {} })).status).toBe(200);
    const danielsRequest = await authorizationRequest(config, 'openid profile townhall:org');
    url = (await daniel.navigate(danielsRequest.url)).url;
    await daniel.signIn();
    url = (await daniel.navigate(await daniel.redirectOf(await daniel.post(url, 'login')))).url;
    const danielsCallback = (await daniel.navigate(await daniel.redirectOf(await daniel.post(url, 'consent', { claims: ['name', 'townhall:org'], organisationId: organisation.id })))).url;
    const danielsTokens = await client.authorizationCodeGrant(config, new URL(danielsCallback), {
      pkceCodeVerifier: danielsRequest.codeVerifier,
      expectedState: danielsRequest.state,
      expectedNonce: danielsRequest.nonce,
    });
    const members = (await (await member.fetch(`/api/organisations/${organisation.id}/members`)).json()) as { members: { id: string; displayName: string }[] };
    const danielsMembership = members.members.find((m) => m.displayName === 'Daniel at Northgate Plumbing')!;
    expect(backchannel.received).toEqual([]);
    expect((await member.fetch(`/api/organisations/${organisation.id}/members/${danielsMembership.id}/remove`, { method: 'POST', body: {} })).status).toBe(204);
    await expect.poll(() => backchannel.received.length, { timeout: 15_000 }).toBe(1);
    expect(await backchannel.verify(backchannel.received[0]!, service.clientId)).toMatchObject({ sub: danielsTokens.claims()!.sub, sid: danielsTokens.claims()!.sid });

    // Suspending the organisation: the service hears that the sessions of its current members for it have ended.
    expect((await admin.post(`/api/official/organisations/${organisation.id}/status`, { status: 'suspended' })).status).toBe(200);
    await expect.poll(() => backchannel.received.length, { timeout: 15_000 }).toBe(2);
    expect(await backchannel.verify(backchannel.received[1]!, service.clientId)).toMatchObject({ sub: tokens.claims()!.sub, sid: tokens.claims()!.sid });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backchannel.received).toHaveLength(2);
    await backchannel.close();
    const again = await authorizationRequest(config, 'openid profile townhall:org');
    const next = await client.authorizationCodeGrant(config, new URL((await member.navigate(again.url)).url), {
      pkceCodeVerifier: again.codeVerifier,
      expectedState: again.state,
      expectedNonce: again.nonce,
    });
    expect(await client.fetchUserInfo(config, next.access_token, next.claims()!.sub)).not.toHaveProperty('townhall:org');
  });

  it('lets a representative sign in for the resident who appointed them (sub is the resident’s, with act), only where the service accepts it, and only while the appointment lasts', async () => {
    const eleanor = await resident(app, 'NGT-0001', { postcode: 'DB2 2BA' });
    const yusuf = await resident(app, 'NGT-0002', { postcode: 'DB2 2BA' });
    await yusuf.signIn();
    const { code: representativeCode } = (await (await yusuf.fetch('/api/account/appointment-code', { method: 'POST', body: {} })).json()) as { code: string };
    await eleanor.signIn();
    const appointed = await eleanor.fetch('/api/appointments', {
      method: 'POST',
      body: { representativeCode, purposes: ['manage-council-services'], endsOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) },
    });
    expect(appointed.status).toBe(201);
    const appointment = (await appointed.json()) as { id: string };
    expect((await yusuf.fetch(`/api/appointments/${appointment.id}/accept`, { method: 'POST', body: {} })).status).toBe(200);

    const keys = await serviceKeys();
    const backchannel = await backchannelReceiver(app);
    const { service } = await register(
      admin,
      registration({ name: 'Council tax', publicJwk: keys.publicJwk, claims: ['name', 'townhall:roll'], requiredClaims: [], acceptsRepresentatives: true, backchannelLogoutUri: backchannel.uri }),
    );
    const config = await discover(app, service.clientId, client.PrivateKeyJwt(keys.privateKey));
    // Eleanor's own sign-in, for her sub at this service.
    const own = await authorizationRequest(config, 'openid profile');
    const ownTokens = await client.authorizationCodeGrant(config, new URL(await signInToService(eleanor, own, null)), {
      pkceCodeVerifier: own.codeVerifier,
      expectedState: own.state,
      expectedNonce: own.nonce,
    });

    const request = await authorizationRequest(config, 'openid profile');
    let { url } = await yusuf.navigate(request.url);
    await yusuf.signIn();
    const login = await yusuf.details(url);
    expect(login.representing).toEqual([{ appointmentId: appointment.id, givenName: 'Eleanor' }]);
    url = (await yusuf.navigate(await yusuf.redirectOf(await yusuf.post(url, 'login', { actingFor: appointment.id })))).url;
    const callback = (await yusuf.navigate(await yusuf.redirectOf(await yusuf.post(url, 'consent', { claims: ['name'] })))).url;
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(ownTokens.claims()!.sub);
    expect((claims.act as { sub: string }).sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((claims.act as { sub: string }).sub).not.toBe(claims.sub);
    expect(await client.fetchUserInfo(config, tokens.access_token, claims.sub)).toMatchObject({ name: 'Eleanor Price', act: claims.act });
    // Who acted, for whom, under which appointment.
    expect(await app.database.prisma.actingRecord.count({ where: { appointmentId: appointment.id, action: `sign-in:${service.clientId}` } })).toBe(1);

    // A service that does not accept representatives refuses.
    const strictKeys = await serviceKeys();
    const { service: strict } = await register(admin, registration({ name: 'Elections office', publicJwk: strictKeys.publicJwk, claims: ['name'], requiredClaims: [] }));
    const strictConfig = await discover(app, strict.clientId, client.PrivateKeyJwt(strictKeys.privateKey));
    const strictUrl = (await yusuf.navigate((await authorizationRequest(strictConfig, 'openid profile')).url)).url;
    await yusuf.signIn();
    expect((await yusuf.details(strictUrl)).representing).toEqual([]);
    expect((await code(yusuf.post(strictUrl, 'login', { actingFor: appointment.id }))).code).toBe('FORBIDDEN');

    // Once Eleanor ends the appointment, Yusuf's tokens for her stop working, and the service hears that
    // his session for her has ended (her own session there goes on: nothing is sent for it).
    expect(backchannel.received).toEqual([]);
    expect((await eleanor.fetch(`/api/appointments/${appointment.id}/end`, { method: 'POST', body: {} })).status).toBe(200);
    await expect(client.fetchUserInfo(config, tokens.access_token, claims.sub)).rejects.toBeTruthy();
    await expect.poll(() => backchannel.received.length, { timeout: 15_000 }).toBe(1);
    expect(await backchannel.verify(backchannel.received[0]!, service.clientId)).toMatchObject({ sub: claims.sub, sid: claims.sid });
    expect(claims.sid).not.toBe(ownTokens.claims()!.sid);
    expect(await client.fetchUserInfo(config, ownTokens.access_token, claims.sub)).toMatchObject({ name: 'Eleanor Price' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backchannel.received).toHaveLength(1);
    await backchannel.close();
  });

  it('refuses registrations that are not safe, naming the field', async () => {
    const keys = await serviceKeys();
    const cases: [Partial<ServiceRegistrationRequest>, string][] = [
      [{ redirectUris: ['http://bins.example.gov.uk/callback'] }, 'redirectUris.0'],
      [{ redirectUris: ['https://bins.example.gov.uk/callback#x'] }, 'redirectUris.0'],
      [{ requiredClaims: ['birthdate'] }, 'requiredClaims'],
      [{ clientType: 'public' }, 'authMethod'],
      [{ jwks: undefined }, 'jwks'],
      [{ jwks: { keys: [{ ...keys.publicJwk, x: 'not-a-coordinate' } as never] } }, 'jwks.keys.0'],
    ];
    for (const [change, path] of cases) {
      const refused = await code(admin.post('/api/services', { ...registration({ publicJwk: keys.publicJwk }), ...change }));
      expect(refused.code, JSON.stringify(change)).toBe('VALIDATION_FAILED');
      expect(refused.issues?.map((i) => i.path)).toContain(path);
    }
    const twoHosts = await code(admin.post('/api/services', registration({ publicJwk: keys.publicJwk, redirectUris: [SERVICE_REDIRECT, 'https://other.example/cb'] })));
    expect(twoHosts.message).toContain('one host name');
    const secret = await register(admin, registration({ authMethod: 'client_secret_basic' }));
    expect(secret.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = await admin.json<{ services: Record<string, unknown>[] }>(admin.get('/api/services'));
    expect(JSON.stringify(listed)).not.toContain(secret.clientSecret!);
  });
});
