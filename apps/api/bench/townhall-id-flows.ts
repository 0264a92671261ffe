/**
 * Townhall ID benchmark (section `townhall-id` of docs/benchmarks.md), against real Postgres, the API
 * in this process:
 *   1. complete authorization-code flows per second for signed-in residents who consented before
 *      (authorize → code → token → userinfo, each userinfo appending its ClaimsReleased entry), with
 *      16 and 64 flows in flight;
 *   2. latency at a steady 50 flows a second (p50, p99);
 *   3. the token endpoint alone: codes made first, then redeemed as fast as the server answers.
 * The service authenticates with client_secret_basic, so the bench's own CPU (on the same two cores)
 * is spent on HTTP, not on signing client assertions. Needs TEST_DATABASE_URL.
 */
import { loadavg } from 'node:os';
import { logger } from '../src/common/logger.ts';
import { ServiceRegistered } from '@townhall/protocol';
import { enrolOk } from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp } from '../test/identity-support/flows.ts';
import { OidcBrowser, registration } from '../test/identity-support/oidc-browser.ts';
import { benchService, closedLoop, quantile, type Authorized } from './oidc-bench-client.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const SECONDS = Number(process.env.BENCH_OIDC_SECONDS ?? 8);
const RESIDENTS = ['CAS-0001', 'CAS-0002', 'CAS-0003', 'CAS-0004', 'CAS-0005', 'CAS-0006', 'CAS-0007', 'CAS-0008'];
const POSTCODES: Record<string, string> = { 'CAS-0001': 'DB1 1AA', 'CAS-0002': 'DB1 1AA', 'CAS-0005': 'DB1 1AA', 'CAS-0006': 'DB1 1AA' };

logger.level = 'silent';
if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL (a scratch database is created and dropped)');
const app = await startIdentityApp('postgres', { TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000000', TOWNHALL_CHECKPOINT_INTERVAL_MS: '1000' });
const admin = (await staffMember(app, 'admin', 'Bench Admin')).client;
const { service, clientSecret } = ServiceRegistered.parse(
  await admin.json(admin.post('/api/services', registration({ authMethod: 'client_secret_basic', claims: ['name', 'townhall:roll'], requiredClaims: [] })), 201),
);
const client = benchService(app, { clientId: service.clientId, clientSecret: clientSecret!, scope: 'openid profile townhall:roll' });

/** Each resident: enrolled, signed in to the provider, consent given once; then only cookies are needed. */
const cookies: string[] = [];
for (const electorNumber of RESIDENTS) {
  const { client: api, authenticator } = await newBrowser(app);
  await enrolOk(api, authenticator, { activationCode: await issueCard(app, electorNumber), postcode: POSTCODES[electorNumber] ?? 'DB1 1AB' });
  cookies.push(await client.consentOnce(new OidcBrowser(app, authenticator), { claims: ['name', 'townhall:roll'] }));
}

/** One resident's visit: fails unless userinfo names them. */
async function flow(cookie: string): Promise<void> {
  const claims = await client.flow(cookie);
  if (!claims.name) throw new Error('userinfo without a name');
}

async function openLoop(perSecond: number): Promise<{ count: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const running: Promise<void>[] = [];
  const total = perSecond * SECONDS;
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(
      (async () => {
        const t0 = performance.now();
        await flow(cookies[n % cookies.length]!);
        latencies.push(performance.now() - t0);
      })(),
    );
  }
  await Promise.all(running);
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

async function tokenEndpointAlone(codes: number, inFlight: number): Promise<{ rate: number; count: number }> {
  const ready: Authorized[] = [];
  await Promise.all(
    Array.from({ length: 32 }, async (_, i) => {
      while (ready.length < codes) ready.push(await client.authorize(cookies[i % cookies.length]!));
    }),
  );
  const queue = ready.slice(0, codes);
  const started = performance.now();
  let count = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let next = queue.pop(); next; next = queue.pop()) {
        await client.redeem(next);
        count++;
      }
    }),
  );
  return { rate: count / ((performance.now() - started) / 1000), count };
}

const load = loadavg()[0]!.toFixed(2);
const visits = (i: number) => flow(cookies[i % cookies.length]!);
await closedLoop(8, SECONDS, visits); // warm-up: JIT, prepared statements, connection pool
const sixteen = await closedLoop(16, SECONDS, visits);
const sixtyFour = await closedLoop(64, SECONDS, visits);
const steady = await openLoop(50);
const tokens = await tokenEndpointAlone(3000, 32);
const fmt = (x: number) => x.toFixed(1);
const table = markdownTable(
  ['measure', 'result', 'target'],
  [
    ['complete flows/s, 16 in flight', `${fmt(sixteen.rate)} (${sixteen.count} flows; p50 ${fmt(sixteen.p50)} ms, p99 ${fmt(sixteen.p99)} ms)`, '≥ 200'],
    ['complete flows/s, 64 in flight', `${fmt(sixtyFour.rate)} (${sixtyFour.count} flows; p50 ${fmt(sixtyFour.p50)} ms, p99 ${fmt(sixtyFour.p99)} ms)`, '≥ 200'],
    ['latency at 50 flows/s', `p50 ${fmt(steady.p50)} ms, p99 ${fmt(steady.p99)} ms (${steady.count} flows)`, 'p99 ≤ 250 ms'],
    ['token endpoint alone, 32 in flight', `${fmt(tokens.rate)} redemptions/s (${tokens.count})`, '≥ 1,000/s'],
  ],
);
writeBenchSection(
  'townhall-id',
  'Townhall ID: sign-in flows (apps/api/bench/townhall-id-flows.ts)',
  `A flow is what a signed-in resident's visit to a service costs once consent was given: GET /oidc/auth (straight back with a code), ` +
    `POST /oidc/token (client_secret_basic, PKCE), GET /oidc/me (its ClaimsReleased entry appended to the registry log before the answer). ` +
    `${RESIDENTS.length} residents; the API, Postgres and the load generator share the machine. Load average at start: ${load}.\n\n${table}`,
);
process.stdout.write(`${table}\n`);
await app.destroy();
process.exit(0);
