import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModulesContainer } from '@nestjs/core';
import { STAFF_ACTION_LABELS } from '@townhall/protocol';
import { AppError } from '../src/common/app-error.ts';
import { authorize } from '../src/common/access.guard.ts';
import { ACCESS_KEY, AUDIT_KEY, type Access, type Principal } from '../src/common/access.ts';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { ApiClient, enrolOk } from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';

/**
 * The authorization matrix: every route the running server has (read from Express's router, so a
 * new route without a row here fails this test) × every kind of caller → the expected status.
 * Callers send valid CSRF headers, so the statuses are about authorization alone. Where a caller is
 * allowed, the request is made to fail validation or to name a missing resource, so the matrix
 * changes no state; a 400/404 in an allowed cell proves the guard let the request through.
 */
const WHO = ['anonymous', 'resident', 'officer', 'trustee', 'admin'] as const;
type Who = (typeof WHO)[number];
/** THROUGH: the guard let the caller in (any status but 401/403); used for routes other modules own. */
const THROUGH = -1;
type Expect = number | Record<Who, number>;

const residentOnly = (allowed: number): Expect => ({ anonymous: 401, resident: allowed, officer: 403, trustee: 403, admin: 403 });
const officerOrAdmin = (allowed: number): Expect => ({ anonymous: 401, resident: 403, officer: allowed, trustee: 403, admin: allowed });
const adminOnly = (allowed: number): Expect => ({ anonymous: 401, resident: 403, officer: 403, trustee: 403, admin: allowed });
const trusteeOnly: Expect = { anonymous: 401, resident: 403, officer: 403, trustee: THROUGH, admin: 403 };
/** An organisation's administrators only: none of the matrix's callers is one. */
const noOrganisationMember: Expect = { anonymous: 401, resident: 403, officer: 403, trustee: 403, admin: 403 };
const missingId = '00000000-0000-4000-8000-000000000000';
const bogusToken = 'A'.repeat(43);

const MATRIX: Record<string, { url: string; body?: unknown; expect: Expect }> = {
  // The OpenAPI explorer (@nestjs/swagger, outside the guard): public documentation.
  'GET /api/docs': { url: '/api/docs', expect: 200 },
  'GET /api/docs/': { url: '/api/docs/', expect: 200 },
  'GET /api/docs/index.html': { url: '/api/docs/index.html', expect: 200 },
  'GET /api/docs/LICENSE': { url: '/api/docs/LICENSE', expect: THROUGH },
  'GET /api/docs/docs/swagger-ui-init.js': { url: '/api/docs/docs/swagger-ui-init.js', expect: THROUGH },
  'GET /api/docs/swagger-ui-init.js': { url: '/api/docs/swagger-ui-init.js', expect: THROUGH },
  'GET /api/docs/openapi.json': { url: '/api/docs/openapi.json', expect: 200 },
  'GET /api/docs-yaml': { url: '/api/docs-yaml', expect: 200 },
  // Foundation and the public ledger read path.
  'GET /api/health': { url: '/api/health', expect: 200 },
  'GET /api/council': { url: '/api/council', expect: 200 },
  'GET /api/ledger': { url: '/api/ledger', expect: 200 },
  'GET /api/ledger/:log': { url: '/api/ledger/registry', expect: 200 },
  'GET /api/ledger/:log/checkpoint': { url: '/api/ledger/registry/checkpoint', expect: 200 },
  'GET /api/ledger/:log/keys': { url: '/api/ledger/registry/keys', expect: 200 },
  'GET /api/ledger/:log/tile/*path': { url: '/api/ledger/registry/tile/entries/000.p/1', expect: 200 },
  'GET /api/ledger/:log/entries': { url: '/api/ledger/registry/entries?start=0&end=1', expect: 200 },
  'GET /api/ledger/:log/proof/inclusion': { url: '/api/ledger/registry/proof/inclusion?index=0', expect: 200 },
  'GET /api/ledger/:log/proof/consistency': { url: '/api/ledger/registry/proof/consistency?from=1&to=1', expect: 200 },
  'GET /api/ledger/:log/receipt/:index': { url: '/api/ledger/registry/receipt/0', expect: 200 },
  // Identity.
  'GET /api/session': { url: '/api/session', expect: 200 },
  'POST /api/enrolment/start': { url: '/api/enrolment/start', body: {}, expect: 400 },
  'POST /api/enrolment/finish': { url: '/api/enrolment/finish', body: {}, expect: 400 },
  'POST /api/sign-in/start': { url: '/api/sign-in/start', body: {}, expect: 200 },
  'POST /api/sign-in/finish': { url: '/api/sign-in/finish', body: {}, expect: 400 },
  'POST /api/sign-out': { url: '/api/sign-out', body: {}, expect: 204 },
  // Needs a fresh assertion by one of the resident's own passkeys: a resident without one gets 400.
  'POST /api/passkeys/start': { url: '/api/passkeys/start', body: {}, expect: residentOnly(400) },
  'POST /api/passkeys/finish': { url: '/api/passkeys/finish', body: {}, expect: residentOnly(400) },
  'GET /api/account': { url: '/api/account', expect: residentOnly(200) },
  // Roll.
  'POST /api/roll/imports': { url: '/api/roll/imports', body: {}, expect: officerOrAdmin(400) },
  'GET /api/roll/imports/:id': { url: `/api/roll/imports/${missingId}`, expect: officerOrAdmin(404) },
  'POST /api/roll/imports/:id/apply': { url: `/api/roll/imports/${missingId}/apply`, body: {}, expect: officerOrAdmin(404) },
  'GET /api/roll/electors': { url: '/api/roll/electors', expect: officerOrAdmin(200) },
  'GET /api/roll/poll-cards/:district': { url: '/api/roll/poll-cards/CAS', expect: officerOrAdmin(200) },
  'POST /api/roll/poll-cards': { url: '/api/roll/poll-cards', body: { district: 'ZZZ' }, expect: officerOrAdmin(404) },
  'POST /api/roll/electors/:electorNumber/reissue-card': {
    url: '/api/roll/electors/NOPE-1/reissue-card',
    body: {}, expect: officerOrAdmin(404),
  },
  // Staff.
  'POST /api/staff/invitations': { url: '/api/staff/invitations', body: {}, expect: adminOnly(400) },
  'GET /api/staff/invitations/:token': { url: `/api/staff/invitations/${bogusToken}`, expect: 404 },
  'POST /api/staff/invitations/:token/start': { url: `/api/staff/invitations/${bogusToken}/start`, body: {}, expect: 404 },
  'POST /api/staff/invitations/:token/finish': { url: `/api/staff/invitations/${bogusToken}/finish`, body: {}, expect: 400 },
  'GET /api/staff': { url: '/api/staff', expect: adminOnly(200) },
  'GET /api/staff/actions': { url: '/api/staff/actions', expect: adminOnly(200) },
  // Officers run elections, so they see and invite an election's trustees (the rule: docs/decisions/0004-identity.md).
  'GET /api/staff/elections/:electionId/trustees': { url: `/api/staff/elections/${missingId}/trustees`, expect: officerOrAdmin(404) },
  'POST /api/staff/elections/:electionId/trustees/invitations': {
    url: `/api/staff/elections/${missingId}/trustees/invitations`,
    body: {}, expect: officerOrAdmin(400),
  },
  // Elections (src/elections): the authorization dimension only; their own tests own the statuses.
  'GET /api/elections': { url: '/api/elections', expect: THROUGH },
  'GET /api/elections/mine': { url: '/api/elections/mine', expect: residentOnly(THROUGH) },
  'GET /api/elections/:id': { url: `/api/elections/${missingId}`, expect: THROUGH },
  'GET /api/official/elections': { url: '/api/official/elections', expect: officerOrAdmin(THROUGH) },
  'POST /api/official/elections': { url: '/api/official/elections', body: {}, expect: officerOrAdmin(THROUGH) },
  'PUT /api/official/elections/:id': { url: `/api/official/elections/${missingId}`, body: {}, expect: officerOrAdmin(THROUGH) },
  'POST /api/official/elections/:id/ceremony': {
    url: `/api/official/elections/${missingId}/ceremony`,
    body: {}, expect: officerOrAdmin(THROUGH),
  },
  'POST /api/official/elections/:id/open': { url: `/api/official/elections/${missingId}/open`, body: {}, expect: officerOrAdmin(THROUGH) },
  'POST /api/official/elections/:id/close': {
    url: `/api/official/elections/${missingId}/close`,
    body: {}, expect: officerOrAdmin(THROUGH),
  },
  'POST /api/official/elections/:id/tally': {
    url: `/api/official/elections/${missingId}/tally`,
    body: {}, expect: officerOrAdmin(THROUGH),
  },
  'GET /api/official/elections/:id/dashboard': { url: `/api/official/elections/${missingId}/dashboard`, expect: officerOrAdmin(THROUGH) },
  'GET /api/elections/:id/ceremony': { url: `/api/elections/${missingId}/ceremony`, expect: THROUGH },
  'POST /api/trustee/elections/:id/commitment': { url: `/api/trustee/elections/${missingId}/commitment`, body: {}, expect: trusteeOnly },
  'POST /api/trustee/elections/:id/shares': { url: `/api/trustee/elections/${missingId}/shares`, body: {}, expect: trusteeOnly },
  'POST /api/trustee/elections/:id/verdict': { url: `/api/trustee/elections/${missingId}/verdict`, body: {}, expect: trusteeOnly },
  'POST /api/trustee/elections/:id/partial-decryption': {
    url: `/api/trustee/elections/${missingId}/partial-decryption`,
    body: {}, expect: trusteeOnly,
  },
  'POST /api/elections/:id/credential-challenge': {
    url: `/api/elections/${missingId}/credential-challenge`,
    body: {}, expect: residentOnly(THROUGH),
  },
  'POST /api/elections/:id/credentials': { url: `/api/elections/${missingId}/credentials`, body: {}, expect: residentOnly(THROUGH) },
  // The ballot-key vault: the signed-in resident's own record only (staff included are refused).
  'GET /api/elections/:id/ballot-key': { url: `/api/elections/${missingId}/ballot-key`, expect: residentOnly(404) },
  'PUT /api/elections/:id/ballot-key': { url: `/api/elections/${missingId}/ballot-key`, body: {}, expect: residentOnly(400) },
  'POST /api/elections/:id/ballots': { url: `/api/elections/${missingId}/ballots`, body: {}, expect: THROUGH },
  'GET /api/elections/:id/ballots': { url: `/api/elections/${missingId}/ballots?startsWith=abc`, expect: THROUGH },
  'GET /api/elections/:id/ballots/:trackingCode': { url: `/api/elections/${missingId}/ballots/abc`, expect: THROUGH },
  'POST /api/elections/:id/spoiled-ballots': { url: `/api/elections/${missingId}/spoiled-ballots`, body: {}, expect: THROUGH },
  'GET /api/elections/:id/spoiled-ballots/:trackingCode': { url: `/api/elections/${missingId}/spoiled-ballots/abc`, expect: THROUGH },
  'GET /api/elections/:id/tally': { url: `/api/elections/${missingId}/tally`, expect: THROUGH },
  'GET /api/elections/:id/record': { url: `/api/elections/${missingId}/record`, expect: 404 },
  // Townhall ID: the service register (administrators), a person's services, the interaction pages'
  // API (public: it acts on an interaction bound to the browser's provider cookie, which no caller here has).
  'GET /api/services': { url: '/api/services', expect: adminOnly(200) },
  'POST /api/services': { url: '/api/services', body: {}, expect: adminOnly(400) },
  'POST /api/services/:clientId/status': { url: '/api/services/svc_nobody/status', body: {}, expect: adminOnly(400) },
  'DELETE /api/services/:clientId': { url: '/api/services/svc_nobody', expect: adminOnly(404) },
  'GET /api/account/services': { url: '/api/account/services', expect: residentOnly(200) },
  'POST /api/account/services/:clientId/withdraw': {
    url: '/api/account/services/svc_nobody/withdraw',
    body: {}, expect: residentOnly(404),
  },
  'GET /oidc/interaction/:uid/details': { url: '/oidc/interaction/nobody/details', expect: 400 },
  'POST /oidc/interaction/:uid/login': { url: '/oidc/interaction/nobody/login', body: {}, expect: 400 },
  'POST /oidc/interaction/:uid/consent': { url: '/oidc/interaction/nobody/consent', body: {}, expect: 400 },
  'POST /oidc/interaction/:uid/abort': { url: '/oidc/interaction/nobody/abort', body: {}, expect: 400 },
  // Organisations and appointments (docs/organisations.md). The matrix's resident belongs to no
  // organisation, so the organisation administrators' routes refuse every caller here; the
  // organisations test shows them letting an organisation's administrators through.
  'GET /api/official/organisations': { url: '/api/official/organisations', expect: adminOnly(200) },
  'POST /api/official/organisations': { url: '/api/official/organisations', body: {}, expect: adminOnly(400) },
  'POST /api/official/organisations/:id/status': {
    url: `/api/official/organisations/${missingId}/status`,
    body: { status: 'suspended' }, expect: adminOnly(404),
  },
  'POST /api/official/organisations/:id/invitations': {
    url: `/api/official/organisations/${missingId}/invitations`,
    body: { displayName: 'A' }, expect: adminOnly(404),
  },
  'POST /api/official/appointments': { url: '/api/official/appointments', body: {}, expect: officerOrAdmin(400) },
  'GET /api/organisations/:id/public': { url: `/api/organisations/${missingId}/public`, expect: 404 },
  'POST /api/organisations/:id/public/check-member': {
    url: `/api/organisations/${missingId}/public/check-member`,
    body: { code: 'ABCDE-FGHJK' }, expect: 404,
  },
  'GET /api/organisations/:id/members': { url: `/api/organisations/${missingId}/members`, expect: noOrganisationMember },
  'POST /api/organisations/:id/invitations': {
    url: `/api/organisations/${missingId}/invitations`,
    body: {}, expect: noOrganisationMember,
  },
  'POST /api/organisations/:id/members/:memberId/roles': {
    url: `/api/organisations/${missingId}/members/${missingId}/roles`,
    body: {}, expect: noOrganisationMember,
  },
  'GET /api/organisations/:id/bank-account': { url: `/api/organisations/${missingId}/bank-account`, expect: noOrganisationMember },
  'PUT /api/organisations/:id/bank-account': { url: `/api/organisations/${missingId}/bank-account`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/signing-passkeys/start': { url: `/api/organisations/${missingId}/signing-passkeys/start`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/signing-passkeys/finish': { url: `/api/organisations/${missingId}/signing-passkeys/finish`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/members/:memberId/remove': {
    url: `/api/organisations/${missingId}/members/${missingId}/remove`,
    body: {}, expect: noOrganisationMember,
  },
  'GET /api/organisation-invitations/:token': { url: `/api/organisation-invitations/${bogusToken}`, expect: 404 },
  'POST /api/organisation-invitations/:token/start': { url: `/api/organisation-invitations/${bogusToken}/start`, body: {}, expect: 404 },
  'POST /api/organisation-invitations/:token/finish': { url: `/api/organisation-invitations/${bogusToken}/finish`, body: {}, expect: 400 },
  'POST /api/organisation-invitations/:token/link': {
    url: `/api/organisation-invitations/${bogusToken}/link`,
    body: {}, expect: residentOnly(404),
  },
  'GET /api/account/organisations': { url: '/api/account/organisations', expect: residentOnly(200) },
  'POST /api/account/organisations/:id/membership-code': {
    url: `/api/account/organisations/${missingId}/membership-code`,
    body: {}, expect: residentOnly(404),
  },
  'POST /api/account/appointment-code': { url: '/api/account/appointment-code', body: {}, expect: residentOnly(200) },
  'GET /api/account/appointments': { url: '/api/account/appointments', expect: residentOnly(200) },
  'POST /api/appointments': { url: '/api/appointments', body: {}, expect: residentOnly(400) },
  'POST /api/appointments/:id/accept': { url: `/api/appointments/${missingId}/accept`, body: {}, expect: residentOnly(404) },
  'POST /api/appointments/:id/end': { url: `/api/appointments/${missingId}/end`, body: {}, expect: residentOnly(404) },
  // Repairs contracts (docs/protocol/contracts.md §9): members of the parties only (none of the
  // matrix's callers is one; contracts.medium.test.ts shows each role let through), and a tenant's own repairs.
  'POST /api/organisations/:id/contracts': { url: `/api/organisations/${missingId}/contracts`, body: {}, expect: noOrganisationMember },
  'GET /api/organisations/:id/contracts': { url: `/api/organisations/${missingId}/contracts`, expect: noOrganisationMember },
  'GET /api/organisations/:id/contracts/:contractId': { url: `/api/organisations/${missingId}/contracts/c-1`, expect: noOrganisationMember },
  'GET /api/organisations/:id/contracts/:contractId/performance': { url: `/api/organisations/${missingId}/contracts/c-1/performance`, expect: noOrganisationMember },
  'POST /api/organisations/:id/contracts/:contractId/approve': { url: `/api/organisations/${missingId}/contracts/c-1/approve`, body: {}, expect: noOrganisationMember },
  'GET /api/organisations/:id/contracts/:contractId/approval-options': { url: `/api/organisations/${missingId}/contracts/c-1/approval-options?revision=1`, expect: noOrganisationMember },
  'POST /api/organisations/:id/contracts/:contractId/amendments': { url: `/api/organisations/${missingId}/contracts/c-1/amendments`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/repairs': { url: `/api/organisations/${missingId}/repairs`, body: {}, expect: noOrganisationMember },
  'GET /api/organisations/:id/repairs': { url: `/api/organisations/${missingId}/repairs`, expect: noOrganisationMember },
  'POST /api/organisations/:id/repairs/:orderId/triage': { url: `/api/organisations/${missingId}/repairs/${missingId}/triage`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/repairs/:orderId/hazard-investigated': { url: `/api/organisations/${missingId}/repairs/${missingId}/hazard-investigated`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/repairs/:orderId/hazard-summary-issued': { url: `/api/organisations/${missingId}/repairs/${missingId}/hazard-summary-issued`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/repairs/:orderId/confirm': { url: `/api/organisations/${missingId}/repairs/${missingId}/confirm`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/repairs/:orderId/reject': { url: `/api/organisations/${missingId}/repairs/${missingId}/reject`, body: {}, expect: noOrganisationMember },
  'GET /api/organisations/:id/work-orders': { url: `/api/organisations/${missingId}/work-orders`, expect: noOrganisationMember },
  'POST /api/organisations/:id/work-orders/:orderId/accept': { url: `/api/organisations/${missingId}/work-orders/${missingId}/accept`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/work-orders/:orderId/schedule': { url: `/api/organisations/${missingId}/work-orders/${missingId}/schedule`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/work-orders/:orderId/complete': { url: `/api/organisations/${missingId}/work-orders/${missingId}/complete`, body: {}, expect: noOrganisationMember },
  'POST /api/organisations/:id/payment-runs': { url: `/api/organisations/${missingId}/payment-runs`, body: {}, expect: noOrganisationMember },
  'GET /api/organisations/:id/payment-runs': { url: `/api/organisations/${missingId}/payment-runs`, expect: noOrganisationMember },
  'GET /api/organisations/:id/payment-runs/:runId/file': { url: `/api/organisations/${missingId}/payment-runs/${missingId}/file`, expect: noOrganisationMember },
  // A contractor's webhook (contracts.md §14): its administrators only.
  'GET /api/organisations/:id/webhook': { url: `/api/organisations/${missingId}/webhook`, expect: noOrganisationMember },
  'POST /api/organisations/:id/webhook': { url: `/api/organisations/${missingId}/webhook`, body: {}, expect: noOrganisationMember },
  'PATCH /api/organisations/:id/webhook': { url: `/api/organisations/${missingId}/webhook`, body: {}, expect: noOrganisationMember },
  'DELETE /api/organisations/:id/webhook': { url: `/api/organisations/${missingId}/webhook`, expect: noOrganisationMember },
  'POST /api/organisations/:id/webhook/secret': { url: `/api/organisations/${missingId}/webhook/secret`, body: {}, expect: noOrganisationMember },
  'GET /api/organisations/:id/webhook/deliveries': { url: `/api/organisations/${missingId}/webhook/deliveries`, expect: noOrganisationMember },
  'GET /api/organisations/:id/payment-runs/:runId/pain001': { url: `/api/organisations/${missingId}/payment-runs/${missingId}/pain001`, expect: noOrganisationMember },
  // The contract record (contracts.md §12): public, like the election record.
  'GET /api/contracts/:contractId/record': { url: '/api/contracts/no-such-contract/record', expect: 404 },
  'GET /api/contracts/:contractId/ocds': { url: '/api/contracts/no-such-contract/ocds', expect: 404 },
  'GET /api/account/repairs': { url: '/api/account/repairs', expect: residentOnly(200) },
  'GET /api/account/repairs/associations': { url: '/api/account/repairs/associations', expect: residentOnly(200) },
  'GET /api/account/repairs/:orderId': { url: `/api/account/repairs/${missingId}`, expect: residentOnly(404) },
};

function serverRoutes(app: RunningApp): string[] {
  const server = app.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return server.router.stack
    .filter((layer) => layer.route && (layer.route.path.startsWith('/api') || layer.route.path.startsWith('/oidc')))
    // Nest mounts its middleware on the paths excluded from the /api prefix for every method: not a route.
    .filter((layer) => layer.route!.path !== '/oidc/interaction/{*rest}')
    .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`));
}

describe('the authorization matrix', () => {
  let app: RunningApp;
  const callers = {} as Record<Who, ApiClient>;

  beforeAll(async () => {
    app = await startIdentityApp('pglite');
    callers.anonymous = (await newBrowser(app)).client;
    const resident = await newBrowser(app);
    await enrolOk(resident.client, resident.authenticator, { activationCode: await issueCard(app, 'CAS-0001'), postcode: 'DB1 1AA' });
    callers.resident = resident.client;
    callers.officer = (await staffMember(app, 'officer')).client;
    callers.trustee = (await staffMember(app, 'trustee')).client;
    callers.admin = (await staffMember(app, 'admin')).client;
    await app.app.get(LedgerService).checkpointNow(REGISTRY_LOG);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('names the audit action of every staff and trustee route from the one vocabulary the officials’ app shows', () => {
    const unnamed: string[] = [];
    for (const module of app.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          const access = Reflect.getMetadata(ACCESS_KEY, handler) as Access | undefined;
          if (access?.kind !== 'staff' && access?.kind !== 'trustee') continue;
          const action = Reflect.getMetadata(AUDIT_KEY, handler) as string | undefined;
          if (!action || !(action in STAFF_ACTION_LABELS)) unnamed.push(`${wrapper.name}.${name}: ${action ?? 'no @Audit'}`);
        }
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('has an expected entry for every route the server has, and no entry for a route it does not have', () => {
    const routes = serverRoutes(app);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((route) => !(route in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('answers every route × caller with the expected status', async () => {
    const actual: Record<string, Record<Who, number>> = {};
    const expected: Record<string, Record<Who, number>> = {};
    // Sign-out ends the callers' sessions, so it goes last.
    const order = Object.keys(MATRIX).sort((a, b) => Number(a === 'POST /api/sign-out') - Number(b === 'POST /api/sign-out'));
    for (const route of order) {
      const { url, body, expect: want } = MATRIX[route]!;
      const method = route.split(' ')[0]!;
      actual[route] = {} as Record<Who, number>;
      expected[route] = {} as Record<Who, number>;
      for (const who of WHO) {
        const response = await callers[who].request(method, url, body === undefined ? {} : { body });
        await response.arrayBuffer();
        const wanted = typeof want === 'number' ? want : want[who];
        const isThrough = response.status !== 401 && response.status !== 403;
        actual[route]![who] = wanted === THROUGH && isThrough ? THROUGH : response.status;
        expected[route]![who] = wanted;
      }
    }
    expect(actual).toEqual(expected);
  });
});

describe('authorize', () => {
  const staff = (roles: { role: 'admin' | 'officer' | 'trustee'; electionId: string | null }[]): Principal => ({ kind: 'staff', staffId: 's', sessionId: 'x', displayName: 'S', roles });
  const codeOf = (principal: Principal, access: Access | undefined, params: Record<string, string> = {}) => {
    try {
      authorize(principal, access, params);
      return 'allowed';
    } catch (error) {
      return (error as AppError).code;
    }
  };

  it('refuses a route with no declaration, whoever calls', () => {
    expect(codeOf(staff([{ role: 'admin', electionId: null }]), undefined)).toBe('FORBIDDEN');
  });

  it('lets a trustee act only for their election, and answers "no such election" for the others', () => {
    const trustee = staff([{ role: 'trustee', electionId: 'e1' }]);
    expect(codeOf(trustee, { kind: 'trustee' })).toBe('allowed');
    expect(codeOf(trustee, { kind: 'trustee', electionId: 'e1' })).toBe('allowed');
    expect(codeOf(trustee, { kind: 'trustee', electionId: 'e2' })).toBe('NOT_FOUND');
    expect(codeOf(staff([{ role: 'admin', electionId: null }]), { kind: 'trustee', electionId: 'e1' })).toBe('NOT_FOUND');
    expect(codeOf(staff([{ role: 'admin', electionId: null }]), { kind: 'trustee' })).toBe('FORBIDDEN');
    expect(codeOf({ kind: 'anonymous' }, { kind: 'trustee', electionId: 'e1' })).toBe('UNAUTHENTICATED');
  });

  it('keeps an election’s officials and its trustees apart (separation of duties)', () => {
    const officerAndTrustee = staff([{ role: 'officer', electionId: null }, { role: 'trustee', electionId: 'e1' }]);
    const runs = { kind: 'staff', roles: ['officer', 'admin'], electionParam: 'id' } as const;
    expect(codeOf(officerAndTrustee, runs, { id: 'e1' })).toBe('FORBIDDEN');
    expect(codeOf(officerAndTrustee, runs, { id: 'e2' })).toBe('allowed');
    const official = { ...staff([{ role: 'trustee', electionId: 'e1' }, { role: 'trustee', electionId: 'e2' }]), officialOf: ['e1'] } as Principal;
    expect(codeOf(official, { kind: 'trustee', electionParam: 'id' }, { id: 'e1' })).toBe('FORBIDDEN');
    expect(codeOf(official, { kind: 'trustee', electionParam: 'id' }, { id: 'e2' })).toBe('allowed');
    expect(codeOf(official, { kind: 'trustee', electionParam: 'id' }, { id: 'e3' })).toBe('NOT_FOUND');
  });

  it('lets only the trustees named in an election’s key ceremony post for it, and answers "no such election" to anyone else', () => {
    const seat = (isNamed: boolean) => ({ kind: 'ceremony-trustee', electionId: 'e1', isNamed }) as const;
    const trustee = staff([{ role: 'trustee', electionId: 'e1' }]);
    expect(codeOf(trustee, seat(true))).toBe('allowed');
    // Invited and accepted, but not named when the ceremony started.
    expect(codeOf(trustee, seat(false))).toBe('NOT_FOUND');
    // The seat decides, not the session's roles (the demo seed acts for its trustees without any).
    expect(codeOf(staff([]), seat(true))).toBe('allowed');
    expect(codeOf({ ...trustee, officialOf: ['e1'] } as Principal, seat(true))).toBe('FORBIDDEN');
    expect(codeOf({ kind: 'resident', electorId: 'r', sessionId: 'x', passkeyId: null }, seat(false))).toBe('NOT_FOUND');
    expect(codeOf({ kind: 'anonymous' }, seat(false))).toBe('UNAUTHENTICATED');
  });

  it('lets an organisation’s members act for it only with the role, and nobody once it is suspended', () => {
    const membership = (roles: string[], organisationStatus = 'active') => {
      return { organisationId: 'o1', memberId: 'm1', roles, organisationStatus };
    };
    const person = (memberships: ReturnType<typeof membership>[]): Principal => {
      return { kind: 'person', personId: 'p', sessionId: 'x', passkeyId: null, displayName: 'P', memberships };
    };
    const administrators = { kind: 'organisation', organisationParam: 'id', roles: ['administrator'] } as const;
    expect(codeOf(person([membership(['administrator'])]), administrators, { id: 'o1' })).toBe('allowed');
    expect(codeOf(person([membership(['member'])]), administrators, { id: 'o1' })).toBe('FORBIDDEN');
    expect(codeOf(person([membership(['administrator'])]), administrators, { id: 'o2' })).toBe('FORBIDDEN');
    expect(codeOf(person([membership(['administrator'], 'suspended')]), administrators, { id: 'o1' })).toBe('ORGANISATION_NOT_ACTIVE');
    expect(codeOf(staff([{ role: 'admin', electionId: null }]), administrators, { id: 'o1' })).toBe('FORBIDDEN');
    expect(codeOf({ kind: 'anonymous' }, administrators, { id: 'o1' })).toBe('UNAUTHENTICATED');
    expect(codeOf(person([]), { kind: 'resident' })).toBe('FORBIDDEN');
    expect(codeOf(person([]), { kind: 'resident-or-person' })).toBe('allowed');
  });

  it('does not treat an admin as an officer unless the route names both', () => {
    const admin = staff([{ role: 'admin', electionId: null }]);
    expect(codeOf(admin, { kind: 'staff', roles: ['officer'] })).toBe('FORBIDDEN');
    expect(codeOf(admin, { kind: 'staff', roles: ['officer', 'admin'] })).toBe('allowed');
  });
});
