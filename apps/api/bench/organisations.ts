/**
 * Organisations benchmark (section `organisations` of docs/benchmarks.md; issue 17 "Tests and numbers"),
 * against real Postgres, the API in this process:
 *   1. organisation-member sign-ins per second through the provider: people who joined a contractor by
 *      its invitation links and consented once to a service asking for `townhall:org` sign in again
 *      (authorize → code → token → userinfo, the userinfo's ClaimsReleased entry appended before the
 *      answer), with 16 and 64 sign-ins in flight;
 *   2. the public organisation page (GET /api/organisations/:id/public, what apps/voter's public page
 *      fetches) of an organisation whose registry-log history holds 10,000 members: each joined by its
 *      own invitation (a MembershipGranted entry), a quarter of them removed later (MembershipRevoked).
 * Needs TEST_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import {
  OrganisationInvitationCreated,
  OrganisationPublicPage,
  OrganisationSummary,
  ServiceRegistered,
} from '@townhall/protocol';
import type { Principal } from '../src/common/access.ts';
import { logger } from '../src/common/logger.ts';
import { OrganisationsRepository } from '../src/organisations/organisations.repository.ts';
import { OrganisationsService } from '../src/organisations/organisations.service.ts';
import { newBrowser, staffMember, startIdentityApp } from '../test/identity-support/flows.ts';
import { joinOrganisationWithPasskey } from '../test/identity-support/organisation-flows.ts';
import { OidcBrowser, registration } from '../test/identity-support/oidc-browser.ts';
import { benchService, closedLoop, quantile } from './oidc-bench-client.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const SECONDS = Number(process.env.BENCH_OIDC_SECONDS ?? 8);
const SIGN_IN_MEMBERS = 8;
const HISTORY_MEMBERS = Number(process.env.BENCH_ORG_MEMBERS ?? 10_000);
const REMOVED_EVERY = 4; // one member in four is removed again
const SETUP_WRITERS = 32;
const PAGE_REQUESTS = 50;

logger.level = 'silent';
if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL (a scratch database is created and dropped)');
const app = await startIdentityApp('postgres', { TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000000', TOWNHALL_CHECKPOINT_INTERVAL_MS: '1000' });
const admin = (await staffMember(app, 'admin', 'Bench Admin')).client;

async function registerOrganisation(legalName: string, companyNumber: string): Promise<OrganisationSummary> {
  return OrganisationSummary.parse(
    await admin.json(admin.post('/api/official/organisations', { kind: 'contractor', legalName, companyNumber, address: '1 Yard Lane' }), 201),
  );
}

/** A new person joins by the invitation link with a new passkey (signed in afterwards). */
async function joinAsNewPerson(invitation: OrganisationInvitationCreated) {
  const browser = await newBrowser(app);
  await joinOrganisationWithPasskey(browser.client, browser.authenticator, invitation.url.split('/').pop()!);
  return browser;
}

// ---- 1. sign-ins of an organisation's members

const contractor = await registerOrganisation('Castle Roofing Ltd', '01234567');
const administrator = await joinAsNewPerson(
  OrganisationInvitationCreated.parse(
    await admin.json(admin.post(`/api/official/organisations/${contractor.id}/invitations`, { displayName: 'Rosa Roofer' }), 201),
  ),
);
const members = [administrator];
for (let n = 1; n < SIGN_IN_MEMBERS; n++) {
  const invitation = OrganisationInvitationCreated.parse(
    await administrator.client.json(
      administrator.client.post(`/api/organisations/${contractor.id}/invitations`, { displayName: `Fitter ${n}`, roles: ['member'] }),
      201,
    ),
  );
  members.push(await joinAsNewPerson(invitation));
}

const { service, clientSecret } = ServiceRegistered.parse(
  await admin.json(
    admin.post(
      '/api/services',
      // A service for contractors' people admits the assurance an organisation's invitation gives.
      registration({
        name: 'Trade waste',
        authMethod: 'client_secret_basic',
        claims: ['name', 'townhall:org'],
        requiredClaims: ['townhall:org'],
        minimumAcr: 'urn:townhall:acr:organisation-invitation',
      }),
    ),
    201,
  ),
);
const client = benchService(app, { clientId: service.clientId, clientSecret: clientSecret!, scope: 'openid profile townhall:org' });

/** Each member signs in to the provider with their passkey and consents once, choosing the contractor; then only cookies are needed. */
const cookies: string[] = [];
for (const member of members) {
  cookies.push(await client.consentOnce(new OidcBrowser(app, member.authenticator), { claims: ['name', 'townhall:org'], organisationId: contractor.id }));
}

/** One member's sign-in to the service; fails unless userinfo names the contractor in `townhall:org`. */
async function signIn(cookie: string): Promise<void> {
  const claims = (await client.flow(cookie)) as { 'townhall:org'?: { id?: string } };
  if (claims['townhall:org']?.id !== contractor.id) throw new Error(`userinfo without townhall:org: ${JSON.stringify(claims)}`);
}

const load = loadavg()[0]!.toFixed(2);
const signIns = (i: number) => signIn(cookies[i % cookies.length]!);
await closedLoop(8, 3, signIns); // warm-up: JIT, prepared statements, connection pool
const sixteen = await closedLoop(16, SECONDS, signIns);
const sixtyFour = await closedLoop(64, SECONDS, signIns);

// ---- 2. the public page of an organisation with 10,000 members' history

/**
 * The history is made through OrganisationsService as the routes make it: an invitation per member,
 * joined (MembershipGranted, appended through LedgerService with the member row), a quarter removed
 * (MembershipRevoked). Only the person rows are written directly, standing for the passkey ceremony
 * that makes them (which writes no ledger entry, docs/organisations.md §4) and which the page never reads.
 */
const organisations = app.app.get(OrganisationsService);
const repository = app.app.get(OrganisationsRepository);
const housing = await registerOrganisation('Keep Lane Housing Association', '07654321');
const { id: staffId } = await app.database.prisma.staffMember.findFirstOrThrow({ where: { displayName: 'Bench Admin' } });
const historyStarted = performance.now();
const memberIds: string[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: SETUP_WRITERS }, async () => {
    for (let n = next++; n < HISTORY_MEMBERS; n = next++) {
      const personId = randomUUID();
      const displayName = `Tenant liaison ${n}`;
      await repository.insertPerson(app.database.prisma, { id: personId, displayName });
      const invitation = await organisations.invite(housing.id, { displayName, roles: [n === 0 ? 'administrator' : 'member'] }, { staffId });
      const principal: Principal = { kind: 'person', personId, sessionId: 'bench', passkeyId: null, displayName, memberships: [] };
      const joined = await organisations.link(invitation.url.split('/').pop()!, principal);
      if (n % REMOVED_EVERY === 1) memberIds.push(joined.memberId);
    }
  }),
);
await Promise.all(
  Array.from({ length: SETUP_WRITERS }, async () => {
    for (let memberId = memberIds.pop(); memberId; memberId = memberIds.pop()) await organisations.remove(housing.id, memberId);
  }),
);
// A suspension and a reinstatement, so the page's own history is not only the registration.
for (const status of ['suspended', 'active']) await admin.json(admin.post(`/api/official/organisations/${housing.id}/status`, { status }));
const historySeconds = (performance.now() - historyStarted) / 1000;
const ledgerEntries = await app.database.prisma.organisationMember.count({ where: { organisationId: housing.id } });
const revokedEntries = await app.database.prisma.organisationMember.count({ where: { organisationId: housing.id, revokedAt: { not: null } } });

async function publicPage(): Promise<{ ms: number; bytes: number; page: OrganisationPublicPage }> {
  const t0 = performance.now();
  const response = await fetch(`${app.baseUrl}/api/organisations/${housing.id}/public`);
  const body = await response.arrayBuffer();
  const ms = performance.now() - t0;
  if (response.status !== 200) throw new Error(`public page: ${response.status}`);
  return { ms, bytes: body.byteLength, page: OrganisationPublicPage.parse(JSON.parse(Buffer.from(body).toString('utf8'))) };
}

for (let n = 0; n < 5; n++) await publicPage(); // warm-up
const pages: Awaited<ReturnType<typeof publicPage>>[] = [];
for (let n = 0; n < PAGE_REQUESTS; n++) pages.push(await publicPage());
const times = pages.map((p) => p.ms).sort((a, b) => a - b);
const { page, bytes } = pages[0]!;
if (page.currentMembers !== ledgerEntries - revokedEntries) throw new Error(`page says ${page.currentMembers} current members`);

const fmt = (x: number) => x.toFixed(1);
const table = markdownTable(
  ['measure', 'result', 'target'],
  [
    ['member sign-ins/s with townhall:org, 16 in flight', `${fmt(sixteen.rate)} (${sixteen.count} sign-ins; p50 ${fmt(sixteen.p50)} ms, p99 ${fmt(sixteen.p99)} ms)`, 'none set'],
    ['member sign-ins/s with townhall:org, 64 in flight', `${fmt(sixtyFour.rate)} (${sixtyFour.count} sign-ins; p50 ${fmt(sixtyFour.p50)} ms, p99 ${fmt(sixtyFour.p99)} ms)`, 'none set'],
    [
      `public page, ${ledgerEntries.toLocaleString('en-GB')} members' history`,
      `p50 ${fmt(quantile(times, 0.5))} ms, max ${fmt(times.at(-1)!)} ms (${PAGE_REQUESTS} requests one after another); ${bytes} bytes, ${page.history.length} history rows`,
      'none set',
    ],
    [
      'setting up that history through OrganisationsService',
      `${fmt(historySeconds)} s for ${ledgerEntries + revokedEntries + 2} registry-log entries (${ledgerEntries} granted, ${revokedEntries} revoked, 2 status changes; ${SETUP_WRITERS} writers)`,
      '—',
    ],
  ],
);
writeBenchSection(
  'organisations',
  'Organisations: member sign-ins and the public page (apps/api/bench/organisations.ts)',
  `A member sign-in is what a signed-in organisation member's visit to a service asking for \`townhall:org\` costs once they consented ` +
    `and chose the organisation: GET /oidc/auth (straight back with a code), POST /oidc/token (client_secret_basic, PKCE), ` +
    `GET /oidc/me (\`townhall:org\` read from the chosen, current membership; its ClaimsReleased entry appended before the answer). ` +
    `${SIGN_IN_MEMBERS} members of one contractor, each joined by invitation with a passkey. ` +
    `The public page is GET /api/organisations/:id/public, the request the residents' app makes for an organisation's page, for a housing ` +
    `association whose ${ledgerEntries.toLocaleString('en-GB')} members each joined by their own invitation (a MembershipGranted entry), one in ` +
    `${REMOVED_EVERY} removed again (MembershipRevoked); the page shows the current member count and the status history, not members. ` +
    `Issue 17 sets no numeric targets. The API, Postgres and the load generator share the machine. Load average at start: ${load}.\n\n${table}`,
);
process.stdout.write(`${table}\n`);
await app.destroy();
process.exit(0);
