/**
 * Issue #20, item 16: a council runs several API processes behind a load balancer. Two real API
 * processes (production mode, as `npm start` runs them) share one Postgres database behind a
 * round-robin HTTP proxy written here, which sends each request to the other instance than the one
 * before; a whole election runs through it (enrolment, sign-in, credentials, casting, close, tally,
 * decryption), so every passkey ceremony starts on one instance and finishes on the other, and the
 * published result and the downloaded record are checked. Then the per-client ceilings and the
 * activation lockout are shown to be the deployment's, not each instance's: a budget spent across
 * both instances runs out at the same total as on one. A second part checks the shared request
 * counters themselves on both databases (exact counts under concurrency, windows, purging).
 */
import { createServer, request as httpRequest, Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry } from '@townhall/ledger';
import { pointFromHex } from '@townhall/crypto';
import {
  ApiErrorBody,
  CastBallotResponse,
  ElectionDetail,
  StaffInvitationCreated,
  TallyState,
  fromHexString,
} from '@townhall/protocol';
import { openDatabase, type Database } from '../src/database/database.ts';
import { openSqlClient, type SqlClient } from '../src/database/sql-client.ts';
import { RollService } from '../src/roll/roll.service.ts';
import { StaffService } from '../src/staff/staff.service.ts';
import { credentialLimitPerMinute } from '../src/common/credential-rate-limit.ts';
import { RequestCounters } from '../src/web/rate-limit-store.ts';
import { startTestApp } from './support/test-app.ts';
import { createTestDatabase, dialects, type TestDatabase } from './support/test-database.ts';
import {
  acceptInvitation,
  ApiClient,
  enrolOk,
  obtainCredential,
  prepareBallot,
  signInOk,
  SoftwareAuthenticator,
  SoftwareTrustee,
  tallyAndWait,
} from '@townhall/client-flows';
import { PUBLIC_URL } from './identity-support/flows.ts';
import { demoDraft } from './elections-support.ts';
import { LOG_VERIFIER_KEY, ORIGIN_PREFIX, deploymentEnv } from './faults/support/election.ts';
import { findFreePort } from './faults/support/free-port.ts';
import { downloadAndVerify, waitForPublishedHead, waitUntil } from './faults/support/observe.ts';
import { scratchDir, startApi, startWitness, type ApiProcess, type WitnessProcess } from './faults/support/processes.ts';
import { stepLogger } from './faults/support/random.ts';

/** The deployment's general ceiling in this test; each credential-guessing surface gets a fifth. */
const PER_MINUTE = 200;
const CREDENTIAL_BUDGET = credentialLimitPerMinute({ rateLimitPerMinute: PER_MINUTE });
/** Wrong activation codes from one client address before it is locked out (activation-throttle.ts). */
const ACTIVATION_LOCKOUT = 20;
const VOTERS = 4;
const OPTIONS = ['ada', 'grace', 'alan', 'barbara', 'edsger'] as const;

interface Served {
  readonly upstream: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/**
 * A load balancer in miniature: round robin over `upstreams`, one request at a time (request n goes
 * to upstream n mod k), appending the address it sees to X-Forwarded-For as nginx's
 * `$proxy_add_x_forwarded_for` does. Loopback only. Remembers which upstream served each request.
 */
async function startRoundRobinProxy(upstreams: readonly string[]): Promise<{ url: string; served: Served[]; close(): Promise<void> }> {
  const served: Served[] = [];
  const agent = new Agent({ keepAlive: true });
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const upstream = next++ % upstreams.length;
    const target = new URL(upstreams[upstream]!);
    const earlier = incoming.headers['x-forwarded-for'];
    const headers: IncomingHttpHeaders = { ...incoming.headers, 'x-forwarded-for': [earlier, incoming.socket.remoteAddress].flat().filter(Boolean).join(', ') };
    const forwarded = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers, agent }, (answer) => {
      served.push({ upstream, method: incoming.method!, path: incoming.url!, status: answer.statusCode! });
      outgoing.writeHead(answer.statusCode!, { ...answer.headers, 'x-served-by': String(upstream) });
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

/**
 * A browser on its own network: every request names `address` in X-Forwarded-For. The proxy and the
 * test both connect over loopback, which the instances trust (TOWNHALL_TRUSTED_PROXIES=loopback),
 * so that address is the client address the ceilings and the lockout count by.
 */
class ClientAt extends ApiClient {
  constructor(
    baseUrl: string,
    readonly address: string,
  ) {
    super(baseUrl, PUBLIC_URL);
  }

  override request(method: string, path: string, init: Parameters<ApiClient['request']>[2] = {}): Promise<Response> {
    return super.request(method, path, { ...init, headers: { 'x-forwarded-for': this.address, ...init.headers } });
  }
}

async function browserAt(baseUrl: string, address: string) {
  const client = new ClientAt(baseUrl, address);
  await client.session();
  return { client, authenticator: new SoftwareAuthenticator(PUBLIC_URL) };
}

/** Error-level lines (pino level ≥ 50) of an instance's JSON log. */
function errorLines(logPath: string): string[] {
  return readFileSync(logPath, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .filter((line) => (JSON.parse(line) as { level?: number }).level! >= 50);
}

describe('two API instances on one Postgres database behind a round-robin proxy', () => {
  const progress = stepLogger('several-instances');
  const dir = scratchDir('several-instances');
  let testDatabase: TestDatabase | undefined;
  let witness: WitnessProcess | undefined;
  const instances: ApiProcess[] = [];
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>> | undefined;
  const cards: string[] = [];
  /** A real poll card that nobody uses: the lockout refuses it too. */
  let spareCard = '';
  let officerToken = '';

  beforeAll(async () => {
    testDatabase = await createTestDatabase('postgres');
    const databaseUrl = (testDatabase.config as { url: string }).url;
    witness = await startWitness({ stateDir: `${dir}/witness`, name: 'several-instances-witness', originPrefix: ORIGIN_PREFIX, logVerifierKey: LOG_VERIFIER_KEY, logPath: `${dir}/witness.log` });
    progress('witness started');
    const env = {
      ...deploymentEnv([witness], 1),
      TOWNHALL_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      TOWNHALL_TRUSTED_PROXIES: 'loopback',
      // A real election's minimum (2 of 3 trustees) is what runs here.
      TOWNHALL_ALLOW_FEWER_TRUSTEES: 'false',
      // Credential entries in epochs of 2, so epochs are sequenced by either instance as well as at close.
      TOWNHALL_CREDENTIAL_EPOCH_MIN: '2',
    };
    // What no route offers a test: the council and its roll, the residents' poll-card codes (printed
    // on paper, as PDF) and the first officer's invitation (`npm run admin:invite` in real life),
    // made through the services of an in-process app on the same database while the two instances
    // start (all three apply the migrations at once, under the runner's lock); it is stopped before
    // the test's requests begin.
    const setUp = async () => {
      const setup = await startTestApp('postgres', { env: { ...env, TOWNHALL_LOG_LEVEL: 'silent' }, testDatabase: { config: testDatabase!.config, drop: async () => undefined } });
      try {
        const council = await setup.database.prisma.council.findFirstOrThrow({ include: { districts: true } });
        const district = council.districts.find((d) => d.code === 'CAS')!;
        const number = (v: number) => `MULTI-${String(v).padStart(4, '0')}`;
        await setup.database.prisma.elector.createMany({
          data: Array.from({ length: VOTERS + 1 }, (_, v) => ({
            councilId: council.id,
            districtId: district.id,
            electorNumber: number(v),
            givenName: 'Multi',
            familyName: `Voter ${v}`,
            addressLine: `${v} Balancer Road`,
            postcode: 'DB1 1AA',
            dateOfBirth: new Date('1980-01-01T00:00:00Z'),
          })),
        });
        await setup.app.get(RollService).commitSeededRoll();
        for (let v = 0; v < VOTERS; v++) cards.push((await setup.app.get(RollService).reissueCard(number(v))).card.activationCode);
        spareCard = (await setup.app.get(RollService).reissueCard(number(VOTERS))).card.activationCode;
        officerToken = (await setup.app.get(StaffService).invite({ role: 'officer', displayName: 'Returning Officer' }, null)).url.split('/').pop()!;
      } finally {
        await setup.stop();
      }
      progress('roll, poll cards and the officer\'s invitation made');
    };
    const ports = [await findFreePort(), await findFreePort()];
    const [, ...started] = await Promise.all([
      setUp(),
      ...ports.map((port, i) => startApi({ port, env: { ...env, DATABASE_URL: databaseUrl, TOWNHALL_DATA_DIR: `${dir}/instance-${i}` }, logPath: `${dir}/instance-${i}.log` })),
    ]);
    instances.push(...(started as ApiProcess[]));
    proxy = await startRoundRobinProxy(instances.map((api) => api.baseUrl));
    progress(`instances on ports ${ports.join(' and ')}, proxy at ${proxy.url}`);
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(instances.map((api) => api.stop()));
    await witness?.kill();
    await testDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs an election across both: enrolment, sign-in, credentials, casting, tally and the published result', async () => {
    const via = proxy!.url;
    const servedFrom = proxy!.served.length;

    // Staff: the officer joins, defines the election and invites three trustees, who join.
    const officer = await browserAt(via, '198.51.100.10');
    await acceptInvitation(officer.client, officer.authenticator, officerToken);
    const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
    const trustees: SoftwareTrustee[] = [];
    const staffIds: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const invitation = StaffInvitationCreated.parse(await officer.client.json(officer.client.post(`/api/staff/elections/${created.id}/trustees/invitations`, { displayName: `Trustee ${i}` }), 201));
      const trustee = await browserAt(via, `198.51.100.${20 + i}`);
      const session = await acceptInvitation(trustee.client, trustee.authenticator, invitation.url.split('/').pop()!);
      if (session.principal.kind !== 'staff') throw new Error('the trustee is not staff');
      staffIds.push(session.principal.staffId);
      trustees.push(new SoftwareTrustee(trustee.client, i));
    }

    // The key ceremony, 2 of 3: each step lands on whichever instance is next.
    await officer.client.json(officer.client.post(`/api/official/elections/${created.id}/ceremony`, { threshold: 2, trustees: staffIds }));
    for (const t of trustees) await t.client.json(t.commit(created.id));
    for (const t of trustees) await t.client.json(t.sendShares(created.id));
    for (const t of trustees) await t.client.json(t.judge(created.id));
    const log = `election-${created.id}`;
    const { entries } = (await officer.client.json(officer.client.get(`/api/ledger/${log}/entries?start=0&end=100`))) as { entries: { bytes: string }[] };
    const published = entries.map((e) => decodeEntry(new Uint8Array(Buffer.from(e.bytes, 'base64')))).find((e) => e.type === 'ElectionKeyPublished');
    const shares = (published!.body as { verificationShares: { share: string }[] }).verificationShares;
    for (const t of trustees) await t.keepSecretShare(created.id, pointFromHex(shares[t.index - 1]!.share));
    // Opened by the schedulers (its opening time has passed): one instance moves it, the other finds it moved.
    const election = await waitUntil(async () => {
      const detail = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${created.id}`)));
      return detail.status === 'open' && detail;
    }, 'the election to open');
    progress(`election ${created.id} open`);

    // Residents, each from their own address: enrol, sign out, sign in again, obtain a credential.
    const residents = [];
    for (let v = 0; v < VOTERS; v++) {
      const resident = await browserAt(via, `203.0.113.${10 + v}`);
      await enrolOk(resident.client, resident.authenticator, { activationCode: cards[v]!, postcode: 'DB1 1AA' });
      await resident.client.json(resident.client.post('/api/sign-out'), 204);
      await resident.client.session();
      await signInOk(resident.client, resident.authenticator);
      residents.push({ ...resident, credential: await obtainCredential(resident.client, resident.authenticator, created.id) });
    }
    progress(`${VOTERS} residents enrolled, signed in again and hold credentials`);

    // Casting: each resident casts twice, residents concurrently; the second ballot counts, so no
    // vote for edsger (everyone's first choice) may be left in the result.
    const chosen: string[] = [];
    const finalChoices = ['ada', 'ada', 'grace', 'alan'] as const;
    await Promise.all(
      residents.map(async (resident, v) => {
        for (const round of [0, 1]) {
          const choice = round === 0 ? 'edsger' : finalChoices[v % finalChoices.length]!;
          const ballot = prepareBallot(election, resident.credential, { mayor: [choice] });
          const answer = CastBallotResponse.parse(await resident.client.json(resident.client.post(`/api/elections/${created.id}/ballots`, ballot.request), 201));
          expect(answer.trackingCode).toBe(ballot.trackingCode);
          if (round === 1) chosen[v] = choice;
        }
      }),
    );
    progress(`${VOTERS * 2} ballots cast`);

    // Close, add up (in the background on one instance; the officer's page polls both), decrypt with trustees 1 and 3.
    await officer.client.json(officer.client.post(`/api/official/elections/${created.id}/close`));
    const tally = await tallyAndWait(officer.client, created.id, { timeoutMs: 60_000 });
    const fingerprint = fromHexString(election.fingerprint!);
    let state = tally;
    for (const t of [trustees[0]!, trustees[2]!]) state = TallyState.parse(await t.client.json(t.client.post(`/api/trustee/elections/${created.id}/partial-decryption`, t.partialDecryption(tally, fingerprint))));
    expect(state.status).toBe('published');
    const expected = Object.fromEntries(OPTIONS.map((o) => [o, chosen.filter((c) => c === o).length]));
    const counts = Object.fromEntries(state.result![0]!.counts.map((c) => [c.optionId, c.count]));
    expect(counts).toEqual(expected);
    // Both instances answer with the same published result.
    for (const api of instances) {
      const seen = TallyState.parse(await (await fetch(`${api.baseUrl}/api/elections/${created.id}/tally`)).json());
      expect(seen.result).toEqual(state.result);
    }

    // The record, cosigned by the witness, verifies with the observer's verifier and counts the same.
    await waitForPublishedHead(via, created.id);
    const { report, ballotCastEntries } = await downloadAndVerify(via, created.id);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.isValid).toBe(true);
    expect(ballotCastEntries).toBe(VOTERS * 2);
    expect(Object.fromEntries(report.result![0]!.counts.map((c) => [c.optionId, c.count]))).toEqual(expected);
    progress('result published, record verified');

    // Every two-step passkey ceremony and every credential issuance crossed from one instance to the other.
    const served = proxy!.served.slice(servedFrom);
    const crossed = (first: RegExp, second: RegExp) => {
      const pairs: [number, number][] = [];
      served.forEach((s, i) => {
        if (!first.test(s.path)) return;
        const finish = served.slice(i + 1).find((x) => second.test(x.path));
        if (finish) pairs.push([s.upstream, finish.upstream]);
      });
      return pairs;
    };
    for (const [first, second, count] of [
      [/^\/api\/enrolment\/start$/, /^\/api\/enrolment\/finish$/, VOTERS],
      [/^\/api\/sign-in\/start$/, /^\/api\/sign-in\/finish$/, VOTERS],
      [/\/credential-challenge$/, /\/credentials$/, VOTERS],
    ] as const) {
      const pairs = crossed(first, second);
      expect(pairs).toHaveLength(count);
      // Requests are sequential per resident here and alternate, so start and finish never share an instance.
      expect(pairs.filter(([a, b]) => a === b)).toEqual([]);
    }
    const casts = served.filter((s) => s.method === 'POST' && /\/ballots$/.test(s.path));
    expect(new Set(casts.map((s) => s.upstream))).toEqual(new Set([0, 1]));
    expect(casts.every((s) => s.status === 201)).toBe(true);
  }, 180_000);

  it(`shares a client's credential-guessing budget (${CREDENTIAL_BUDGET} a minute) between the instances: it runs out at the same total as on one`, async () => {
    const signInStart = (baseUrl: string, address: string) =>
      fetch(`${baseUrl}/api/sign-in/start`, { method: 'POST', headers: { 'content-type': 'application/json', origin: PUBLIC_URL, 'x-forwarded-for': address }, body: '{}' });
    const spend = async (baseUrl: string, address: string) => {
      const statuses: number[] = [];
      for (let i = 0; i <= CREDENTIAL_BUDGET; i++) {
        const response = await signInStart(baseUrl, address);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      return statuses;
    };
    // On one instance alone (straight to it, not through the proxy).
    const alone = await spend(instances[0]!.baseUrl, '192.0.2.1');
    expect(alone.slice(0, CREDENTIAL_BUDGET).filter((s) => s === 429)).toEqual([]);
    expect(alone[CREDENTIAL_BUDGET]).toBe(429);

    // Through the proxy: half the requests on each instance, and still 429 at the same request.
    const servedFrom = proxy!.served.length;
    const balanced = await spend(proxy!.url, '192.0.2.2');
    expect(balanced.slice(0, CREDENTIAL_BUDGET).filter((s) => s === 429)).toEqual([]);
    expect(balanced[CREDENTIAL_BUDGET]).toBe(429);
    const served = proxy!.served.slice(servedFrom);
    expect([0, 1].map((u) => served.filter((s) => s.upstream === u).length).sort()).toEqual([Math.floor((CREDENTIAL_BUDGET + 1) / 2), Math.ceil((CREDENTIAL_BUDGET + 1) / 2)]);
    // Either instance now refuses that client, with the usual answer and headers.
    for (const api of instances) {
      const refused = await signInStart(api.baseUrl, '192.0.2.2');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.headers.get('ratelimit-policy')).toMatch(new RegExp(`q=${CREDENTIAL_BUDGET}\\b`));
      expect(refused.headers.get('ratelimit')).toMatch(/r=0\b/);
      expect(ApiErrorBody.parse(await refused.json()).error.code).toBe('RATE_LIMITED');
    }
    // Another client behind the same proxy is not affected.
    expect((await signInStart(proxy!.url, '192.0.2.3')).status).not.toBe(429);
  });

  it(`shares the general ceiling (${PER_MINUTE} requests a minute per client) between the instances`, async () => {
    const client = new ClientAt(proxy!.url, '192.0.2.20');
    const statuses: number[] = [];
    for (let i = 0; i <= PER_MINUTE; i++) {
      const response = await client.get('/api/council');
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses.slice(0, PER_MINUTE).filter((s) => s !== 200)).toEqual([]);
    expect(statuses[PER_MINUTE]).toBe(429);
    for (const api of instances) expect((await new ClientAt(api.baseUrl, '192.0.2.20').get('/api/council')).status).toBe(429);
    // A load balancer's health checks are not counted: the same client, over its ceiling, still gets an answer.
    for (const api of instances) expect((await new ClientAt(api.baseUrl, '192.0.2.20').get('/api/health')).status).toBe(200);
  });

  it(`locks a client out of enrolment after ${ACTIVATION_LOCKOUT} wrong codes, whichever instances they went to`, async () => {
    const { client } = await browserAt(proxy!.url, '192.0.2.30');
    const servedFrom = proxy!.served.length;
    const attempt = (activationCode: string, on: ApiClient = client) => ApiClient.errorCode(on.post('/api/enrolment/start', { activationCode, postcode: 'DB1 1AA' }));
    const wrongCode = (i: number) => `AAAA-BBBB-CCCC-${String(1000 + i)}`;
    for (let i = 0; i < ACTIVATION_LOCKOUT; i++) expect((await attempt(wrongCode(i))).code).toBe('ACTIVATION_CODE_INVALID');
    const attempts = proxy!.served.slice(servedFrom).filter((s) => s.path === '/api/enrolment/start');
    expect([0, 1].map((u) => attempts.filter((s) => s.upstream === u).length)).toEqual([ACTIVATION_LOCKOUT / 2, ACTIVATION_LOCKOUT / 2]);
    // Locked on both instances, even for a real code that was never used.
    for (const api of instances) {
      const direct = await browserAt(api.baseUrl, '192.0.2.30');
      expect(await attempt(wrongCode(ACTIVATION_LOCKOUT), direct.client)).toMatchObject({ status: 423, code: 'ACCOUNT_LOCKED' });
      expect(await attempt(spareCard, direct.client)).toMatchObject({ status: 423, code: 'ACCOUNT_LOCKED' });
    }
    // Another client behind the same proxy is not locked out.
    const other = await browserAt(proxy!.url, '192.0.2.31');
    expect((await attempt(wrongCode(0), other.client)).code).toBe('ACTIVATION_CODE_INVALID');
  });

  it('logs no error on either instance', () => {
    for (const api of instances) expect(errorLines(api.logPath)).toEqual([]);
  });
});

describe.each(dialects)('request counters shared through the database on %s', (dialect) => {
  let testDatabase: TestDatabase;
  let database: Database;
  const others: SqlClient[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase(dialect);
    database = await openDatabase({ database: testDatabase.config });
  }, 120_000);
  afterAll(async () => {
    for (const other of others) await other.close();
    await database?.close();
    await testDatabase?.drop();
  });

  /** The SQL client with a count of the statements sent through it. */
  const counted = (sql: SqlClient) => {
    const wrapper: Pick<SqlClient, 'query'> & { statements: number } = {
      statements: 0,
      query: ((text: string, params?: unknown[]) => (wrapper.statements++, sql.query(text, params))) as SqlClient['query'],
    };
    return wrapper;
  };

  it('counts a burst of concurrent requests exactly, each at its own position, in far fewer statements', async () => {
    const sql = counted(database.sql);
    const counters = new RequestCounters(sql);
    const hits = await Promise.all(Array.from({ length: 200 }, (_, i) => counters.hit(i % 4 === 0 ? 'burst:b' : 'burst:a', 60_000)));
    const positions = (key: string) => hits.filter((_, i) => (i % 4 === 0 ? 'burst:b' : 'burst:a') === key).map((h) => h.totalHits);
    expect(positions('burst:a')).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(positions('burst:b')).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // One statement for the first request, one for all that queued behind it (and a purge).
    expect(sql.statements).toBeLessThanOrEqual(3);
    // One window per key, a minute from its first request.
    for (const key of ['burst:a', 'burst:b']) expect(new Set(hits.filter((_, i) => (i % 4 === 0 ? 'burst:b' : 'burst:a') === key).map((h) => h.resetTime!.getTime())).size).toBe(1);
    expect(hits[0]!.resetTime!.getTime() - Date.now()).toBeGreaterThan(50_000);
  });

  it('counts requests from several instances on the same keys without losing one, in any order', async () => {
    // Each "instance" has its own counters and, on Postgres, its own connection pool.
    const clients = dialect === 'postgres' ? [database.sql, ...(await Promise.all([1, 2].map(() => openSqlClient(testDatabase.config))))] : [database.sql, database.sql, database.sql];
    if (dialect === 'postgres') others.push(clients[1]!, clients[2]!);
    const keys = Array.from({ length: 8 }, (_, k) => `many:${k}`);
    const all = await Promise.all(
      clients.flatMap((sql, c) => {
        const counters = new RequestCounters(sql);
        // Opposite orders in alternate instances: rows are locked in key order, so they never deadlock.
        const order = c % 2 === 0 ? keys : [...keys].reverse();
        return Array.from({ length: 25 }, (_, round) => order.map((key) => counters.hit(key, 60_000).then((h) => ({ key, ...h, round })))).flat();
      }),
    );
    for (const key of keys) {
      const positions = all.filter((h) => h.key === key).map((h) => h.totalHits).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    }
  });

  it('starts a new window when the last one has ended, and purges only ended windows', async () => {
    const counters = new RequestCounters(database.sql);
    const first = await counters.hit('window:short', 300);
    const second = await counters.hit('window:short', 300);
    await counters.hit('window:long', 60_000);
    expect([first.totalHits, second.totalHits]).toEqual([1, 2]);
    expect(second.resetTime).toEqual(first.resetTime);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await counters.get('window:short')).toBeUndefined();
    await counters.purge();
    const rows = await database.sql.query<{ key: string }>(`SELECT "key" FROM "rate_limit_counter" WHERE "key" LIKE 'window:%' ORDER BY "key"`);
    expect(rows.map((r) => r.key)).toEqual(['window:long']);
    const again = await counters.hit('window:short', 300);
    expect(again.totalHits).toBe(1);
    expect(again.resetTime!.getTime()).toBeGreaterThan(first.resetTime!.getTime());
    expect(await counters.get('window:long')).toMatchObject({ totalHits: 1 });
  });
});
