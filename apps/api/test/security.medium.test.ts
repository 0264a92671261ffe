import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@townhall/protocol';
import { CREDENTIAL_SURFACES } from '../src/common/credential-rate-limit.ts';
import { servedApps } from '../src/web/serve-apps.ts';
import { startTestApp } from './support/test-app.ts';
import { fillRoute, routeKey, routeParams, serverRoutes } from './fuzz-support/routes.ts';
import { startFuzzWorld, type FuzzWorld } from './fuzz-support/world.ts';
import { PUBLIC_URL } from './identity-support/flows.ts';

/**
 * Security posture (issue #8): headers on every kind of response, cookie flags on every
 * Set-Cookie, no CORS anywhere, the CSRF/Origin check on every state-changing route, rate limits on
 * every credential-guessing surface, request size limits. Posture does not depend on the database,
 * so this file runs on PGlite only.
 */
const missingId = '00000000-0000-4000-8000-000000000000';
const EVIL = 'https://evil.example';
/**
 * Routes that take no cookie and need no CSRF token (`@PublicMachine`): a ballot or spoiled ballot
 * is authorised by the unblinded credential and the ballot key's signature inside the body, which a
 * forging site cannot have, so riding on a victim's session gains nothing (docs/threat-model.md).
 */
const NO_AMBIENT_AUTHORITY = new Set(['POST /api/elections/:id/ballots', 'POST /api/elections/:id/spoiled-ballots']);

function expectStrictHeaders(response: Response, what: string, options: { apiExplorer?: boolean; fallbackPage?: boolean } = {}) {
  const h = response.headers;
  const csp = h.get('content-security-policy') ?? '';
  if (options.fallbackPage) {
    // Express's own "Cannot GET" page replaces the policy with a stricter one: nothing may load at all.
    expect(csp, `${what}: CSP`).toBe("default-src 'none'");
  } else {
    expect(csp, `${what}: CSP`).toContain("default-src 'self'");
    expect(csp, `${what}: CSP scripts`).toMatch(/script-src 'self'(;|$)/);
    expect(csp, `${what}: CSP objects`).toContain("object-src 'none'");
    expect(csp, `${what}: CSP framing`).toContain("frame-ancestors 'none'");
    expect(csp, `${what}: CSP base`).toContain("base-uri 'self'");
  }
  expect(csp, `${what}: no eval`).not.toContain('unsafe-eval');
  if (!options.apiExplorer) expect(csp, `${what}: no inline`).not.toContain('unsafe-inline');
  expect(h.get('x-content-type-options'), `${what}: nosniff`).toBe('nosniff');
  expect(h.get('referrer-policy'), `${what}: referrer`).toBe('no-referrer');
  expect(h.get('strict-transport-security') ?? '', `${what}: HSTS`).toMatch(/max-age=\d{8}/);
  expect(h.get('x-frame-options'), `${what}: framing`).toMatch(/^(DENY|SAMEORIGIN)$/);
  expect(h.get('cross-origin-opener-policy'), `${what}: COOP`).toBe('same-origin');
  expect(h.get('cross-origin-resource-policy'), `${what}: CORP`).toBe('same-origin');
  expect(h.get('permissions-policy') ?? '', `${what}: permissions`).toContain('camera=()');
  expect(h.get('x-powered-by'), `${what}: no X-Powered-By`).toBeNull();
  expect(h.get('access-control-allow-origin'), `${what}: no CORS`).toBeNull();
  expect(h.get('x-request-id'), `${what}: request id`).toBeTruthy();
}

describe('security posture', () => {
  let world: FuzzWorld;
  const setCookies: { url: string; value: string }[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    const missing = servedApps.filter((app) => !existsSync(resolve(app.dist, 'index.html')));
    if (missing.length > 0) throw new Error(`build the apps first (npm run build): missing ${missing.map((a) => a.dist).join(', ')}`);
    // Every Set-Cookie the server sends while the world is made and the tests run is checked.
    globalThis.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      for (const value of response.headers.getSetCookie()) setCookies.push({ url: String(input), value });
      return response;
    };
    world = await startFuzzWorld('pglite', { TOWNHALL_SERVE_APPS: 'true' });
  }, 240_000);
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await world?.destroy();
  });

  const as = (who: 'anonymous' | 'resident' | 'officer' | 'admin', init: { method?: string; origin?: string | null; csrf?: string | null; body?: string; contentType?: string } = {}) => {
    const caller = world.callers[who];
    const headers: Record<string, string> = { cookie: `townhall_session=${caller.cookie}` };
    const method = init.method ?? 'GET';
    if (method !== 'GET') {
      const origin = init.origin === undefined ? PUBLIC_URL : init.origin;
      if (origin) headers.origin = origin;
      const csrf = init.csrf === undefined ? caller.csrfToken : init.csrf;
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
    return { method, headers, body: init.body, redirect: 'manual' as const };
  };
  const url = (path: string) => `${world.app.baseUrl}${path}`;

  it('sends the security headers on every kind of response', async () => {
    const asset = readdirSync(resolve(servedApps.find((a) => a.name === 'voter')!.dist, 'assets')).find((f) => f.endsWith('.js'))!;
    const cases: [string, Promise<Response>, number, { apiExplorer?: boolean; fallbackPage?: boolean }?][] = [
      ['API JSON', fetch(url('/api/council')), 200],
      ['ledger tile (binary)', fetch(url('/api/ledger/registry/tile/entries/000.p/1')), 200],
      ['API 404 (no such route)', fetch(url('/api/nope')), 404],
      ['API 401', fetch(url('/api/account')), 401],
      ['API 403 (CSRF)', fetch(url('/api/enrolment/start'), as('anonymous', { method: 'POST', csrf: null, body: '{}' })), 403],
      ['API 400 (malformed JSON)', fetch(url('/api/enrolment/start'), as('anonymous', { method: 'POST', body: '{"a":' })), 400],
      ['API 413', fetch(url('/api/enrolment/start'), as('anonymous', { method: 'POST', body: JSON.stringify({ x: 'x'.repeat(world.app.config.maxBodyBytes) }) })), 413],
      ['election record download', fetch(url(`/api/elections/${world.electionId}/record`)), 200],
      ['poll-card PDF', fetch(url('/api/roll/poll-cards'), as('officer', { method: 'POST', body: JSON.stringify({ district: 'NGT' }) })), 200],
      ['voter app page', fetch(url('/')), 200],
      ['voter app deep link', fetch(url('/enrol')), 200],
      ['official app page', fetch(url('/official/')), 200],
      ['verifier app page', fetch(url('/verify/')), 200],
      ['app script', fetch(url(`/assets/${asset}`)), 200],
      ['missing asset', fetch(url('/assets/nope-123.js')), 404, { fallbackPage: true }],
      ['OpenAPI explorer', fetch(url('/api/docs/')), 200, { apiExplorer: true }],
      ['OpenAPI document', fetch(url('/api/docs/openapi.json')), 200, { apiExplorer: true }],
    ];
    for (const [what, pending, status, options] of cases) {
      const response = await pending;
      await response.arrayBuffer();
      expect(response.status, what).toBe(status);
      expectStrictHeaders(response, what, options);
    }
  });

  it('serves downloads as attachments that are never sniffed, and activation codes never cached', async () => {
    const record = await fetch(url(`/api/elections/${world.electionId}/record`));
    await record.arrayBuffer();
    expect(record.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    const cards = await fetch(url('/api/roll/poll-cards'), as('officer', { method: 'POST', body: JSON.stringify({ district: 'RVS' }) }));
    await cards.arrayBuffer();
    expect(cards.headers.get('content-type')).toBe('application/pdf');
    expect(cards.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    expect(cards.headers.get('cache-control')).toBe('no-store');
    const session = await fetch(url('/api/session'), as('resident'));
    await session.arrayBuffer();
    expect(session.headers.get('cache-control')).toBe('no-store');
  });

  it('sets every cookie HttpOnly, Secure, SameSite=Strict, host-only, on / — whatever sets it', async () => {
    // The world's making (GET /api/session, enrolment, staff invitations, sign-in) set cookies; add a sign-out.
    await (await fetch(url('/api/sign-out'), as('anonymous', { method: 'POST', body: '{}' }))).arrayBuffer();
    expect(setCookies.length).toBeGreaterThanOrEqual(6);
    const paths = new Set(setCookies.map((c) => new URL(c.url).pathname.replace(/invitations\/[^/]+/, 'invitations/:token')));
    for (const path of ['/api/session', '/api/enrolment/finish', '/api/staff/invitations/:token/finish', '/api/sign-out']) expect(paths, path).toContain(path);
    for (const { url: from, value } of setCookies) {
      const [pair, ...attributes] = value.split(';').map((s) => s.trim());
      const names = attributes.map((a) => a.split('=')[0]!.toLowerCase());
      expect(pair, from).toMatch(/^townhall_session=[A-Za-z0-9_-]{43}$/);
      expect(names, `${from}: ${value}`).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite', 'path']));
      expect(attributes, `${from}: ${value}`).toContain('SameSite=Strict');
      expect(attributes, `${from}: ${value}`).toContain('Path=/');
      expect(names, `${from}: host-only`).not.toContain('domain');
    }
  });

  it('answers no route with a CORS header, preflight or not', async () => {
    const routes = serverRoutes(world.app.app);
    for (const route of routes) {
      const path = fillRoute(route.path, Object.fromEntries(routeParams(route.path).map((p) => [p.name, p.wildcard ? 'entries/000.p/1' : missingId])));
      const preflight = await fetch(url(path), { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': route.method, 'access-control-request-headers': 'x-csrf-token, content-type' } });
      await preflight.arrayBuffer();
      const simple = await fetch(url(path), { method: route.method === 'GET' ? 'GET' : 'POST', headers: { origin: EVIL } });
      await simple.arrayBuffer();
      for (const response of [preflight, simple]) {
        const cors = [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
        expect(cors, `${routeKey(route)}`).toEqual([]);
      }
    }
  });

  it('refuses every state-changing route without our Origin and the session-bound CSRF token', async () => {
    const routes = serverRoutes(world.app.app).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(20);
    const results: Record<string, string[]> = {};
    for (const route of routes) {
      const key = routeKey(route);
      const path = fillRoute(route.path, Object.fromEntries(routeParams(route.path).map((p) => [p.name, p.name === 'token' ? 'A'.repeat(43) : missingId])));
      const attempts = [
        as('officer', { method: route.method, origin: null, body: '{}' }),
        as('officer', { method: route.method, origin: EVIL, body: '{}' }),
        as('officer', { method: route.method, csrf: null, body: '{}' }),
        // A token bound to another browser's cookie.
        as('officer', { method: route.method, csrf: world.callers.resident.csrfToken!, body: '{}' }),
        as('anonymous', { method: route.method, origin: EVIL, body: '{}' }),
      ];
      results[key] = [];
      for (const attempt of attempts) {
        const response = await fetch(url(path), attempt);
        const body = ApiErrorBody.safeParse(await response.json().catch(() => null));
        results[key]!.push(body.success ? body.data.error.code : String(response.status));
      }
    }
    for (const [key, codes] of Object.entries(results)) {
      if (NO_AMBIENT_AUTHORITY.has(key)) expect(codes, key).not.toContain('CSRF_REJECTED');
      else expect(codes, key).toEqual(Array(5).fill('CSRF_REJECTED'));
    }
    // The exceptions exist (and would be noticed if renamed).
    for (const key of NO_AMBIENT_AUTHORITY) expect(results, key).toHaveProperty([key]);
  });

  it('lets routes without CSRF ignore the session cookie (a forged request gains nothing from it)', async () => {
    for (const key of NO_AMBIENT_AUTHORITY) {
      const path = key.split(' ')[1]!.replace(':id', world.electionId);
      const withCookie = await fetch(url(path), as('resident', { method: 'POST', origin: EVIL, csrf: null, body: '{}' }));
      const without = await fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const a = ApiErrorBody.parse(await withCookie.json());
      const b = ApiErrorBody.parse(await without.json());
      expect([withCookie.status, a.error.code], key).toEqual([without.status, b.error.code]);
    }
  });

  it('limits JSON bodies to TOWNHALL_MAX_BODY_BYTES (1 MiB by default) before any handler runs', async () => {
    const limit = world.app.config.maxBodyBytes;
    expect(limit).toBe(1024 * 1024);
    const body = (size: number) => JSON.stringify({ x: 'x'.repeat(size - 8) });
    expect(body(limit).length).toBe(limit);
    const atLimit = await fetch(url('/api/enrolment/start'), as('anonymous', { method: 'POST', body: body(limit) }));
    expect(ApiErrorBody.parse(await atLimit.json()).error.code).toBe('VALIDATION_FAILED');
    const over = await fetch(url('/api/enrolment/start'), as('anonymous', { method: 'POST', body: body(limit + 1) }));
    expect(over.status).toBe(413);
    expect(ApiErrorBody.parse(await over.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('rate limits on every credential-guessing surface', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  // General ceiling 100 a minute: each credential surface gets 20.
  const GENERAL = 100;
  const PER_SURFACE = 20;

  beforeAll(async () => {
    app = await startTestApp('pglite', { env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_RATE_LIMIT_PER_MINUTE: String(GENERAL) } });
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
  });

  it('names every public route that checks a secret', () => {
    const routes = serverRoutes(app.app).map(routeKey);
    const guarded = routes.filter((key) => {
      const [method, path] = key.split(' ') as [string, string];
      const concrete = path.replace(/:[A-Za-z]+/g, 'x');
      return CREDENTIAL_SURFACES.some((s) => s.method === method && s.path.test(concrete));
    });
    expect(guarded.sort()).toEqual(
      [
        'POST /api/enrolment/start', 'POST /api/enrolment/finish', 'POST /api/sign-in/start', 'POST /api/sign-in/finish', 'POST /api/passkeys/start', 'POST /api/passkeys/finish',
        'GET /api/staff/invitations/:token', 'POST /api/staff/invitations/:token/start', 'POST /api/staff/invitations/:token/finish',
      ].sort(),
    );
  });

  it.each([
    ['activation', ['POST /api/enrolment/start', 'POST /api/enrolment/finish']],
    ['sign-in', ['POST /api/sign-in/start', 'POST /api/sign-in/finish']],
    ['passkeys', ['POST /api/passkeys/start', 'POST /api/passkeys/finish']],
    ['invitation', [`GET /api/staff/invitations/${'A'.repeat(43)}`, `POST /api/staff/invitations/${'A'.repeat(43)}/start`, `POST /api/staff/invitations/${'B'.repeat(43)}/finish`]],
  ])(`%s: ${PER_SURFACE} attempts a minute from one client, then 429 RATE_LIMITED`, async (_surface, requests) => {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_SURFACE; i++) {
      const [method, path] = requests[i % requests.length]!.split(' ') as [string, string];
      const response = await fetch(`${app.baseUrl}${path}`, { method, headers: method === 'POST' ? { 'content-type': 'application/json', origin: PUBLIC_URL } : {}, body: method === 'POST' ? '{}' : undefined });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (i === PER_SURFACE) {
        expect(ApiErrorBody.parse(await (await fetch(`${app.baseUrl}${path}`, { method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {}, body: method === 'POST' ? '{}' : undefined })).json()).error.code).toBe('RATE_LIMITED');
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expectStrictHeaders(response, '429 of a credential surface');
      }
    }
    expect(statuses.slice(0, PER_SURFACE).filter((s) => s === 429)).toEqual([]);
    expect(statuses[PER_SURFACE]).toBe(429);
    // Other routes, and the other surfaces' budgets, are untouched.
    expect((await fetch(`${app.baseUrl}/api/council`)).status).toBe(200);
  });
});
