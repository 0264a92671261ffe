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
import { createHash, randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { logger } from '../src/common/logger.ts';
import { ServiceRegistered } from '@townhall/protocol';
import { enrolOk, issueCard, newBrowser, staffMember, startIdentityApp, PUBLIC_URL } from '../test/identity-support/flows.ts';
import { OidcBrowser, SERVICE_REDIRECT, registration } from '../test/identity-support/oidc-browser.ts';
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
const basic = `Basic ${Buffer.from(`${encodeURIComponent(service.clientId)}:${encodeURIComponent(clientSecret!)}`).toString('base64')}`;
const scope = 'openid profile townhall:roll';

/** Each resident: enrolled, signed in to the provider, consent given once; then only cookies are needed. */
const cookies: string[] = [];
for (const electorNumber of RESIDENTS) {
  const { client, authenticator } = await newBrowser(app);
  await enrolOk(client, authenticator, { activationCode: await issueCard(app, electorNumber), postcode: POSTCODES[electorNumber] ?? 'DB1 1AB' });
  const browser = new OidcBrowser(app, authenticator);
  let { url } = await browser.navigate(authorizeUrl(randomBytes(32).toString('base64url')));
  for (let step = 0; step < 3 && url.includes('/oidc/interaction/'); step++) {
    const details = await browser.details(url);
    if (details.prompt === 'login') await browser.signIn();
    const next = await browser.redirectOf(await browser.post(url, details.prompt === 'login' ? 'login' : 'consent', { claims: ['name', 'townhall:roll'] }));
    url = (await browser.navigate(next)).url;
  }
  if (!url.startsWith(SERVICE_REDIRECT)) throw new Error(`setup did not reach the service: ${url}`);
  cookies.push(await browser.jar.getCookieString(`${PUBLIC_URL}/oidc/auth`));
}

interface Authorized {
  location: string;
  verifier: string;
}

function authorizeUrl(verifier: string): string {
  const params = new URLSearchParams({
    client_id: service.clientId,
    response_type: 'code',
    redirect_uri: SERVICE_REDIRECT,
    scope,
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  return `${PUBLIC_URL}/oidc/auth?${params}`;
}

async function authorize(cookie: string): Promise<Authorized> {
  const verifier = randomBytes(32).toString('base64url');
  const response = await fetch(`${app.baseUrl}${authorizeUrl(verifier).slice(PUBLIC_URL.length)}`, { headers: { cookie }, redirect: 'manual' });
  await response.arrayBuffer();
  return { location: new URL(response.headers.get('location') ?? '', PUBLIC_URL).toString(), verifier };
}

async function redeem(code: string, verifier: string): Promise<string> {
  const response = await fetch(`${app.baseUrl}/oidc/token`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: SERVICE_REDIRECT, code_verifier: verifier }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

async function flow(cookie: string): Promise<void> {
  const { location, verifier } = await authorize(cookie);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code: ${location}`);
  const accessToken = await redeem(code, verifier);
  const userinfo = await fetch(`${app.baseUrl}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  const claims = (await userinfo.json()) as { name?: string };
  if (!claims.name) throw new Error(`userinfo: ${userinfo.status}`);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function closedLoop(inFlight: number): Promise<{ rate: number; count: number; p50: number; p99: number }> {
  const deadline = performance.now() + SECONDS * 1000;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, i) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await flow(cookies[i % cookies.length]!);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / seconds, count: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
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
      while (ready.length < codes) ready.push(await authorize(cookies[i % cookies.length]!));
    }),
  );
  const queue = ready.slice(0, codes);
  const started = performance.now();
  let count = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let next = queue.pop(); next; next = queue.pop()) {
        await redeem(new URL(next.location).searchParams.get('code')!, next.verifier);
        count++;
      }
    }),
  );
  return { rate: count / ((performance.now() - started) / 1000), count };
}

const load = loadavg()[0]!.toFixed(2);
await closedLoop(8); // warm-up: JIT, prepared statements, connection pool
const sixteen = await closedLoop(16);
const sixtyFour = await closedLoop(64);
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
