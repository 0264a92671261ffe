/**
 * Organisations benchmark (section `organisations` of docs/benchmarks.md; issue 17 "Tests and numbers"),
 * against real Postgres, the API in this process:
 *   1. organisation-member sign-ins per second through the provider: people who joined a contractor by
 *      its invitation links and consented once to a service asking for `townhall:org` sign in again
 *      (authorize → code → token → userinfo, the userinfo's ClaimsReleased entry appended before the
 *      answer), with 16 and 64 sign-ins in flight;
 *   1b. representatives' sign-ins for the residents who appointed them (`act`), a passkey each time;
 *   2. the public organisation page (GET /api/organisations/:id/public, what apps/voter's public page
 *      fetches) of an organisation whose registry-log history holds 10,000 members: each joined by its
 *      own invitation (a MembershipGranted entry), a quarter of them removed later (MembershipRevoked).
 * Needs TEST_DATABASE_URL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
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
import { demoElectors } from '../src/seed/demo-roll.ts';
import { enrolOk, joinOrganisationWithPasskey } from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp } from '../test/identity-support/flows.ts';
import { OidcBrowser, registration } from '../test/identity-support/oidc-browser.ts';
import { benchService, closedLoop, quantile } from './oidc-bench-client.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const SECONDS = Number(process.env.BENCH_OIDC_SECONDS ?? 8);
const SIGN_IN_MEMBERS = 8;
const REPRESENTATIVES = 8;
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

// ---- 1b. sign-ins of representatives, for the residents who appointed them

/**
 * Residents on the demo roll, in pairs: the first appoints the second to manage their council
 * services (a code from the representative, the appointment, the acceptance, through the API). A
 * representative is asked for their passkey at every sign-in for someone else (docs/identity.md), so
 * a sign-in is authorize → the interaction → a passkey sign-in to Townhall → "acting for" → code →
 * token → userinfo, whose `act` claim must name the representative.
 */
const representatives: { browser: OidcBrowser; appointmentId: string }[] = [];
const pairs = demoElectors.filter(([number]) => number.startsWith('CAS-') || number.startsWith('NGT-')).slice(0, 2 * REPRESENTATIVES);
async function enrolled(elector: (typeof demoElectors)[number]): Promise<OidcBrowser> {
  const { client: api, authenticator } = await newBrowser(app);
  await enrolOk(api, authenticator, { activationCode: await issueCard(app, elector[0]), dateOfBirth: elector[6] });
  const browser = new OidcBrowser(app, authenticator);
  await browser.signIn();
  return browser;
}
for (let n = 0; n + 1 < pairs.length; n += 2) {
  const [appointer, representative] = [await enrolled(pairs[n]!), await enrolled(pairs[n + 1]!)];
  const { code: representativeCode } = (await (await representative.fetch('/api/account/appointment-code', { method: 'POST', body: {} })).json()) as { code: string };
  const endsOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const made = await appointer.fetch('/api/appointments', { method: 'POST', body: { representativeCode, purposes: ['manage-council-services'], endsOn } });
  if (made.status !== 201) throw new Error(`appointment: ${made.status} ${await made.text()}`);
  const { id: appointmentId } = (await made.json()) as { id: string };
  const accepted = await representative.fetch(`/api/appointments/${appointmentId}/accept`, { method: 'POST', body: {} });
  if (accepted.status !== 200) throw new Error(`acceptance: ${accepted.status}`);
  representatives.push({ browser: representative, appointmentId });
}
const forResidents = ServiceRegistered.parse(
  await admin.json(
    admin.post('/api/services', registration({ name: 'Council tax', authMethod: 'client_secret_basic', claims: ['name'], requiredClaims: [], acceptsRepresentatives: true })),
    201,
  ),
);
const councilTax = benchService(app, { clientId: forResidents.service.clientId, clientSecret: forResidents.clientSecret!, scope: 'openid profile' });

/** One representative's sign-in for the resident who appointed them; fails unless userinfo has `act`. */
async function representativeSignIn({ browser, appointmentId }: (typeof representatives)[number]): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  let { url } = await browser.navigate(councilTax.authorizeUrl(verifier));
  for (let step = 0; step < 3 && url.includes('/oidc/interaction/'); step++) {
    const { prompt } = await browser.details(url);
    if (prompt === 'login') await browser.signIn();
    const response = await browser.post(url, prompt === 'login' ? 'login' : 'consent', prompt === 'login' ? { actingFor: appointmentId } : { claims: ['name'] });
    url = (await browser.navigate(await browser.redirectOf(response))).url;
  }
  const accessToken = await councilTax.redeem({ location: url, verifier });
  const userinfo = (await (await fetch(`${app.baseUrl}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { act?: { sub?: string } };
  if (!userinfo.act?.sub) throw new Error(`userinfo without act: ${JSON.stringify(userinfo)}`);
}

/** Each representative has one sign-in in flight at a time (one browser each). */
async function representativeLoop(seconds: number): Promise<{ rate: number; count: number; p50: number; p99: number }> {
  const times: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    representatives.map(async (representative) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await representativeSignIn(representative);
        times.push(performance.now() - t0);
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { rate: times.length / ((performance.now() - started) / 1000), count: times.length, p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}
await representativeLoop(2); // warm-up, and each representative's consent, given once
const acting = await representativeLoop(SECONDS);

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
      `representative sign-ins/s with act (passkey each time), ${REPRESENTATIVES} in flight`,
      `${fmt(acting.rate)} (${acting.count} sign-ins; p50 ${fmt(acting.p50)} ms, p99 ${fmt(acting.p99)} ms)`,
      'none set',
    ],
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
    `A representative sign-in is a resident's representative signing in to a service that accepts representatives, for them: ` +
    `asked for their passkey every time (authorize, the interaction's details, a passkey sign-in to Townhall, "acting for" the appointment, ` +
    `code, token, userinfo with the \`act\` claim); ${REPRESENTATIVES} representatives of ${REPRESENTATIVES} residents, one sign-in each at a time. ` +
    `The public page is GET /api/organisations/:id/public, the request the residents' app makes for an organisation's page, for a housing ` +
    `association whose ${ledgerEntries.toLocaleString('en-GB')} members each joined by their own invitation (a MembershipGranted entry), one in ` +
    `${REMOVED_EVERY} removed again (MembershipRevoked); the page shows the current member count and the status history, not members. ` +
    `Issue 17 sets no numeric targets. The API, Postgres and the load generator share the machine. Load average at start: ${load}.\n\n${table}`,
);
process.stdout.write(`${table}\n`);
await app.destroy();
process.exit(0);
