import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  ContractDetail,
  ContractorWebhookState,
  ContractorWebhookWithSecret,
  MAX_WEBHOOK_ATTEMPTS,
  Repair,
  WebhookDeliveryList,
  WebhookEvent,
  orderReference,
  type OrganisationSummary,
  type WebhookDelivery,
} from '@townhall/protocol';
import { ContractWebhookDeliveryService } from '../src/contracts/contract-webhook-delivery.service.ts';
import { ContractWebhooksRepository } from '../src/contracts/contract-webhooks.repository.ts';
import { ApiClient } from '@townhall/client-flows';
import { newBrowser, PUBLIC_URL, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { approve, organisationFlows, termsFor, type Member } from './identity-support/organisation-flows.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

const code = ApiClient.errorCode;
/** Attempts time out quickly here; the loop is off, so each test sweeps when it chooses (with its own clock). */
const ENV = { TOWNHALL_WEBHOOK_SWEEP_INTERVAL_MS: '0', TOWNHALL_WEBHOOK_TIMEOUT_MS: '500' };

type Answer = 'ok' | 'fail' | 'hang' | 'unavailable';
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A contractor's endpoint on 127.0.0.1 (node:http): answers each request with the next scripted answer, `ok` when none is left. */
async function startReceiver() {
  const received: Received[] = [];
  const script: Answer[] = [];
  let okDelayMs = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      const answer = script.shift() ?? 'ok';
      if (answer === 'ok') setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks'), okDelayMs);
      if (answer === 'fail') response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error: the queue is down');
      if (answer === 'unavailable') response.writeHead(503).end('Service Unavailable');
      // 'hang': no answer; the attempt times out.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/townhall/hooks`,
    received,
    script,
    setOkDelay: (ms: number) => (okDelayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The body as the receiver got it, checked as any Standard Webhooks receiver would. */
function verified(secret: string, request: Received): WebhookEvent {
  const headers = { 'webhook-id': String(request.headers['webhook-id']), 'webhook-timestamp': String(request.headers['webhook-timestamp']), 'webhook-signature': String(request.headers['webhook-signature']) };
  return WebhookEvent.parse(new Webhook(secret).verify(request.body, headers));
}

describe('a contractor’s webhook for its work orders, on postgres', () => {
  let app: RunningApp;
  let contractor: OrganisationSummary;
  let otherContractor: OrganisationSummary;
  let host: OrganisationSummary;
  let contractorAdmin: Member;
  let contractorEngineer: ApiClient;
  let otherContractorAdmin: ApiClient;
  let hostAdmin: Member;
  let tenant: ApiClient;
  let anonymous: ApiClient;
  let councilAdmin: ApiClient;
  let contract: ContractDetail;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;

  const webhookOf = (organisationId: string) => `/api/organisations/${organisationId}/webhook`;
  const deliveries = async () => WebhookDeliveryList.parse(await contractorAdmin.json(contractorAdmin.get(`${webhookOf(contractor.id)}/deliveries`))).deliveries;
  const deliveryOf = async (orderId: string, type = 'order.triaged'): Promise<WebhookDelivery> => (await deliveries()).find((d) => d.orderId === orderId && d.type === type)!;
  const sweep = (now?: Date, on: TestApp = app) => on.app.get(ContractWebhookDeliveryService).sweep(now);
  const repairs = () => `/api/organisations/${host.id}/repairs`;
  const work = () => `/api/organisations/${contractor.id}/work-orders`;

  async function reported(description: string): Promise<Repair> {
    const body = { contractId: contract.contractId, description, location: 'Kitchen', priority: 'urgent', hazards: { dampOrMould: false, immediateRisk: false } };
    return Repair.parse(await tenant.json(tenant.post(repairs(), body), 201));
  }
  async function triaged(description: string): Promise<Repair> {
    const order = await reported(description);
    return Repair.parse(await hostAdmin.json(hostAdmin.post(`${repairs()}/${order.orderId}/triage`, { itemCode: 'TAP-01', quantity: 2, priority: 'urgent', hazard: 'none' })));
  }
  async function completed(orderId: string): Promise<void> {
    const start = new Date(Date.now() + 86_400_000);
    await contractorAdmin.json(contractorAdmin.post(`${work()}/${orderId}/accept`));
    await contractorAdmin.json(contractorAdmin.post(`${work()}/${orderId}/schedule`, { appointmentStart: start.toISOString(), appointmentEnd: new Date(start.getTime() + 3_600_000).toISOString() }));
    await contractorAdmin.json(contractorAdmin.post(`${work()}/${orderId}/complete`, { notes: 'Fitted a new mixer' }));
  }

  beforeAll(async () => {
    app = await startIdentityApp('postgres', ENV);
    const admin = (councilAdmin = (await staffMember(app, 'admin', 'Ada Admin')).client);
    const flows = organisationFlows(app, admin, 50_000_000);
    contractor = await flows.register({ kind: 'contractor', legalName: 'Castle Plumbing Ltd' });
    otherContractor = await flows.register({ kind: 'contractor', legalName: 'Moat Roofing Ltd' });
    host = await flows.register({ kind: 'housing-association', legalName: 'Castle Homes' });
    const other = await flows.register({ kind: 'housing-association', legalName: 'Moat Housing' });
    contractorAdmin = await flows.administratorOf(contractor, 'Carl Contractor');
    otherContractorAdmin = await flows.administratorOf(otherContractor, 'Mo Roofer');
    hostAdmin = await flows.administratorOf(host, 'Hana Host');
    const otherAdmin = await flows.administratorOf(other, 'Otto Other');
    contractorEngineer = await flows.joinAsNewPerson(await flows.invite(contractorAdmin, contractor.id, 'Erin Engineer', ['repairs']));
    tenant = await flows.tenantOf(hostAdmin, host.id, 'CAS-0001');
    anonymous = (await newBrowser(app)).client;
    contract = ContractDetail.parse(
      await hostAdmin.json(hostAdmin.post(`/api/organisations/${host.id}/contracts`, { terms: termsFor({ contractor: contractor.id, host: host.id, other: other.id }) }), 201),
    );
    for (const [client, id] of [[hostAdmin, host.id], [contractorAdmin, contractor.id], [otherAdmin, other.id]] as const) {
      await client.json(approve(client, id, contract.contractId));
    }
    receiver = await startReceiver();
  }, 180_000);
  afterAll(async () => {
    await receiver?.close();
    await app?.destroy();
  });

  it('lets only the contractor’s administrators register it; the secret is shown once, never by a later read', async () => {
    const body = { url: receiver.url };
    expect(await code(anonymous.post(webhookOf(contractor.id), body))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await code(tenant.post(webhookOf(contractor.id), body))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await code(hostAdmin.post(webhookOf(contractor.id), body))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await code(otherContractorAdmin.post(webhookOf(contractor.id), body))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await code(contractorEngineer.post(webhookOf(contractor.id), body))).toMatchObject({ status: 403, code: 'FORBIDDEN', message: expect.stringContaining('administrator') });
    // An association's own administrators: the route is for contractors.
    expect(await code(hostAdmin.post(webhookOf(host.id), body))).toMatchObject({ status: 403, code: 'FORBIDDEN', message: 'Only a contractor has a webhook for its work orders.' });
    // Reads and the other actions are refused alike.
    for (const client of [anonymous, tenant, hostAdmin, otherContractorAdmin, contractorEngineer]) {
      expect((await client.get(webhookOf(contractor.id))).status).toBe(client === anonymous ? 401 : 403);
      expect((await client.get(`${webhookOf(contractor.id)}/deliveries`)).status).toBe(client === anonymous ? 401 : 403);
      expect((await client.request('DELETE', webhookOf(contractor.id))).status).toBe(client === anonymous ? 401 : 403);
    }
    expect(ContractorWebhookState.parse(await contractorAdmin.json(contractorAdmin.get(webhookOf(contractor.id))))).toEqual({ webhook: null });

    const created = ContractorWebhookWithSecret.parse(await contractorAdmin.json(contractorAdmin.post(webhookOf(contractor.id), body), 201));
    secret = created.secret;
    expect(created.webhook).toMatchObject({ url: receiver.url, isPaused: false });
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(await code(contractorAdmin.post(webhookOf(contractor.id), { url: 'https://hooks.example.com/other' }))).toMatchObject({ status: 409, code: 'CONFLICT' });
    // Another contractor has its own.
    const theirs = ContractorWebhookWithSecret.parse(await otherContractorAdmin.json(otherContractorAdmin.post(webhookOf(otherContractor.id), { url: 'https://hooks.moat-roofing.example/townhall' }), 201));
    expect(theirs.secret).not.toBe(secret);

    const read = await (await contractorAdmin.get(webhookOf(contractor.id))).text();
    expect(ContractorWebhookState.parse(JSON.parse(read)).webhook).toEqual(created.webhook);
    expect(read).not.toContain(secret.slice('whsec_'.length, 20));
    expect(await (await contractorAdmin.get(`${webhookOf(contractor.id)}/deliveries`)).text()).not.toContain(secret.slice('whsec_'.length, 20));
  });

  it('refuses an address that is not https, holds credentials, is too long, or is private, loopback or metadata (no request is made)', async () => {
    const refused = async (url: string) => code(contractorAdmin.request('PATCH', webhookOf(contractor.id), { body: { url } }));
    for (const [url, problem] of [
      ['http://hooks.example.com/in', /must start with https/],
      ['https://carl:hunter2@hooks.example.com/in', /user name or password/],
      ['https://10.0.0.1/in', /private address/],
      ['https://169.254.169.254/latest/meta-data/', /link-local address/],
      ['https://[::ffff:a9fe:a9fe]/', /link-local address/],
      ['not a url', /not a web address/],
    ] as const) {
      expect(await refused(url), url).toMatchObject({ status: 422, code: 'WEBHOOK_URL_INVALID', issues: [{ path: 'url', message: expect.stringMatching(problem) }] });
    }
    expect(await refused(`https://hooks.example.com/${'a'.repeat(2000)}`)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', issues: [{ path: 'url' }] });
    expect(await code(contractorAdmin.request('PATCH', webhookOf(contractor.id), { body: {} }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    // Nothing changed.
    expect(ContractorWebhookState.parse(await contractorAdmin.json(contractorAdmin.get(webhookOf(contractor.id)))).webhook?.url).toBe(receiver.url);
  });

  it('sends a triaged order at once, signed so that a Standard Webhooks library verifies it, naming the order and its deadline', async () => {
    const order = await triaged('The kitchen tap drips all night');
    // Recorded with the step: pending before any sweep; a refused step records nothing.
    expect(await deliveryOf(order.orderId)).toMatchObject({ status: 'pending', attempts: 0, contractId: contract.contractId });
    expect((await code(hostAdmin.post(`${repairs()}/${order.orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }))).code).toBe('ORDER_WRONG_STATE');
    expect((await deliveries()).filter((d) => d.orderId === order.orderId)).toHaveLength(1);

    expect(await sweep()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0]!;
    expect(request.headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': expect.any(String), 'webhook-signature': expect.stringMatching(/^v1,/) });
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    const event = verified(secret, request);
    expect(event).toEqual({
      id: request.headers['webhook-id'],
      type: 'order.triaged',
      timestamp: order.history.at(-1)!.at,
      data: {
        contractId: contract.contractId,
        orderId: order.orderId,
        reference: orderReference(order.orderId),
        associationId: host.id,
        state: 'triaged',
        description: 'The kitchen tap drips all night',
        location: 'Kitchen',
        address: order.address,
        reportedPriority: 'urgent',
        hazards: { dampOrMould: false, immediateRisk: false },
        itemCode: 'TAP-01',
        quantity: 2,
        priority: 'urgent',
        hazard: 'none',
        dueAt: order.dueAt,
        appointment: null,
        rejection: null,
        payment: null,
        log: contract.log,
        ledgerIndex: order.history.at(-1)!.ledgerIndex,
      },
    });
    expect(Date.parse(event.data.dueAt!)).toBeGreaterThan(Date.now());
    // A body changed in transit, or signed with another secret, does not verify.
    expect(() => verified(secret, { ...request, body: request.body.replace('TAP-01', 'TAP-02') })).toThrow(WebhookVerificationError);
    expect(() => verified(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, request)).toThrow(WebhookVerificationError);

    const delivery = await deliveryOf(order.orderId);
    expect(delivery).toMatchObject({ id: event.id, status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    // Once it is delivered, the copy of the order's details is gone; only the outcome stays.
    expect((await app.database.prisma.contractorWebhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).payload).toBeNull();

    // The contractor's own steps are not sent back to it; the association's rejection and confirmation are.
    await completed(order.orderId);
    await hostAdmin.json(hostAdmin.post(`${repairs()}/${order.orderId}/reject`, { reason: 'not-fixed', detail: 'Still drips' }));
    await contractorAdmin.json(contractorAdmin.post(`${work()}/${order.orderId}/complete`, { notes: 'New cartridge' }));
    await hostAdmin.json(hostAdmin.post(`${repairs()}/${order.orderId}/confirm`));
    expect(await sweep()).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    const [rejected, confirmed] = receiver.received.slice(1).map((r) => verified(secret, r));
    expect(rejected).toMatchObject({ type: 'order.rejected', data: { state: 'rejected', rejection: { reason: 'not-fixed', detail: 'Still drips' }, payment: null } });
    expect(confirmed).toMatchObject({ type: 'order.confirmed', data: { state: 'confirmed', payment: { termsRevision: 1, basePence: 17_034, contractorPaymentPence: 17_034 } } });
    // The contractor's side of the price only: not what the association pays, nor the host's fee.
    expect(Object.keys(confirmed!.data.payment!).sort()).toEqual(['basePence', 'bulkDiscountPence', 'contractorPaymentPence', 'lateReductionPence', 'termsRevision']);
    expect((await deliveries()).filter((d) => d.orderId === order.orderId).map((d) => d.type).sort()).toEqual(['order.confirmed', 'order.rejected', 'order.triaged']);
  });

  it('retries a failing endpoint (an error, then no answer) with growing delays until it answers; every attempt is listed', async () => {
    const order = await triaged('The bathroom tap is loose');
    receiver.script.push('fail', 'hang', 'ok');
    const before = receiver.received.length;
    expect(await sweep()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const first = await deliveryOf(order.orderId);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'not a 2xx answer: Internal Server Error: the queue is down' });
    const firstWait = Date.parse(first.nextAttemptAt!) - Date.parse(first.lastAttemptAt!);
    expect(firstWait).toBeGreaterThanOrEqual(13_500);
    expect(firstWait).toBeLessThanOrEqual(16_500);
    // Not due yet: nothing is sent.
    expect(await sweep()).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    expect(await sweep(new Date(first.nextAttemptAt!))).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const second = await deliveryOf(order.orderId);
    expect(second).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: null, lastError: 'no answer within 0.5 s' });
    const secondWait = Date.parse(second.nextAttemptAt!) - Date.parse(second.lastAttemptAt!);
    expect(secondWait).toBeGreaterThanOrEqual(54_000);
    expect(secondWait).toBeLessThanOrEqual(66_000);

    expect(await sweep(new Date(second.nextAttemptAt!))).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await deliveryOf(order.orderId)).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    // Three attempts of one event: the same id each time, each signed afresh.
    const attempts = receiver.received.slice(before);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(new Set([first.id]));
    expect(attempts.map((a) => verified(secret, a).data.orderId)).toEqual([order.orderId, order.orderId, order.orderId]);
  });

  it(`gives up after ${MAX_WEBHOOK_ATTEMPTS} attempts over about a day, each wait about 4 times the one before`, async () => {
    const order = await triaged('The hot tap will not turn off');
    receiver.script.push(...Array<Answer>(MAX_WEBHOOK_ATTEMPTS).fill('unavailable'));
    const before = receiver.received.length;
    let due: Date | undefined;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_WEBHOOK_ATTEMPTS; attempt++) {
      const result = await sweep(due);
      expect(result).toEqual(attempt < MAX_WEBHOOK_ATTEMPTS ? { delivered: 0, retrying: 1, failed: 0 } : { delivered: 0, retrying: 0, failed: 1 });
      const delivery = await deliveryOf(order.orderId);
      expect(delivery).toMatchObject({ attempts: attempt, lastStatusCode: 503, lastError: 'not a 2xx answer: Service Unavailable' });
      if (delivery.nextAttemptAt) {
        waits.push(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.lastAttemptAt!));
        due = new Date(delivery.nextAttemptAt);
      }
    }
    expect(await deliveryOf(order.orderId)).toMatchObject({ status: 'failed', attempts: MAX_WEBHOOK_ATTEMPTS, nextAttemptAt: null });
    expect(waits).toHaveLength(MAX_WEBHOOK_ATTEMPTS - 1);
    for (let i = 1; i < waits.length; i++) {
      expect(waits[i]! / waits[i - 1]!).toBeGreaterThan(3.2);
      expect(waits[i]! / waits[i - 1]!).toBeLessThan(4.9);
    }
    const hours = waits.reduce((sum, wait) => sum + wait, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(26);
    // Given up: never sent again, and its body is gone.
    expect(await sweep(new Date(Date.now() + 2 * 86_400_000))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received.length - before).toBe(MAX_WEBHOOK_ATTEMPTS);
    expect((await app.database.prisma.contractorWebhookDelivery.findUniqueOrThrow({ where: { id: (await deliveryOf(order.orderId)).id } })).payload).toBeNull();
  });

  it('holds deliveries while paused; once resumed, two instances claiming and sweeping at once send each exactly once', async () => {
    const paused = ContractorWebhookState.parse(await contractorAdmin.json(contractorAdmin.request('PATCH', webhookOf(contractor.id), { body: { isPaused: true } })));
    expect(paused.webhook?.isPaused).toBe(true);
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await triaged(`Leaking pipe number ${i + 1}`));
    const before = receiver.received.length;
    expect(await sweep()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    for (const order of orders) expect(await deliveryOf(order.orderId)).toMatchObject({ status: 'pending', attempts: 0 });

    await contractorAdmin.json(contractorAdmin.request('PATCH', webhookOf(contractor.id), { body: { isPaused: false } }));
    const second = await startTestApp('postgres', { testDatabase: app.testDatabase, env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_SEED_DEMO: 'false', ...ENV } });
    try {
      const now = new Date();
      const lease = new Date(now.getTime() + 60_000);
      // Rows another claimer holds are skipped at once, not waited for (SKIP LOCKED).
      const holder = new pg.Client({ connectionString: (app.testDatabase.config as { url: string }).url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT id FROM contractor_webhook_delivery WHERE status = 'pending' FOR UPDATE`);
        const waited = new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 3000));
        expect(await Promise.race([app.app.get(ContractWebhooksRepository).claimDue(now, lease, 20), waited])).toEqual([]);
        await holder.query('ROLLBACK');
      } finally {
        await holder.end();
      }
      // Eight claimers of one delivery each, on both instances at once: each gets a different row, none twice.
      const claimers = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? app : second).app.get(ContractWebhooksRepository));
      const claimed = (await Promise.all(claimers.map((repository) => repository.claimDue(now, lease, 1)))).flat();
      expect(claimed.map((c) => c.id).sort()).toEqual((await Promise.all(orders.map((o) => deliveryOf(o.orderId)))).map((d) => d.id).sort());
      // As if both instances died mid-attempt: nothing is due again until the lease is over.
      expect(await sweep()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(receiver.received.length).toBe(before);

      // Then both sweep at once, with slow answers so that the sweeps overlap.
      const afterLease = new Date(lease.getTime() + 1000);
      receiver.setOkDelay(150);
      const results = await Promise.all([sweep(afterLease), sweep(afterLease, second), sweep(afterLease), sweep(afterLease, second)]);
      receiver.setOkDelay(0);
      expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(6);
      expect(results.every((r) => r.retrying === 0 && r.failed === 0)).toBe(true);
      const ids = receiver.received.slice(before).map((r) => verified(secret, r).data.orderId);
      expect(ids).toHaveLength(6);
      expect(new Set(ids)).toEqual(new Set(orders.map((o) => o.orderId)));
      for (const order of orders) expect(await deliveryOf(order.orderId)).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      receiver.setOkDelay(0);
      await second.stop();
    }
  });

  it('holds deliveries while the council has suspended the contractor, and sends them once it is reinstated (never counted as attempts)', async () => {
    let status: 'active' | 'suspended' = 'active';
    const setStatus = async (to: 'active' | 'suspended') => {
      await councilAdmin.json(councilAdmin.post(`/api/official/organisations/${contractor.id}/status`, { status: to }));
      status = to;
    };
    await setStatus('suspended');
    try {
      const before = receiver.received.length;
      const order = await triaged('Cracked cistern lid');
      expect(await sweep()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(await sweep(new Date(Date.now() + 2 * 86_400_000))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(receiver.received.length).toBe(before);
      await setStatus('active');
      expect(await deliveryOf(order.orderId)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await sweep()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
      expect(receiver.received.slice(before).map((r) => verified(secret, r).data.orderId)).toEqual([order.orderId]);
    } finally {
      if (status !== 'active') await setStatus('active');
    }
  });

  it('is swept by the loop of an instance that runs it, which stops with its app', async () => {
    const looping = await startTestApp('postgres', {
      testDatabase: app.testDatabase,
      env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_SEED_DEMO: 'false', ...ENV, TOWNHALL_WEBHOOK_SWEEP_INTERVAL_MS: '100' },
    });
    const before = receiver.received.length;
    const order = await triaged('Dripping shower head');
    for (let waited = 0; receiver.received.length === before && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received.slice(before).map((r) => verified(secret, r).data.orderId)).toEqual([order.orderId]);
    expect(await deliveryOf(order.orderId)).toMatchObject({ status: 'delivered', attempts: 1 });
    await looping.stop();

    // Stopped: nothing sweeps any more (this instance's loop is off).
    const later = await triaged('Dripping bath tap');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.length).toBe(before + 1);
    expect(await deliveryOf(later.orderId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await sweep()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
  });

  it('signs with a new secret as soon as it is rotated; deleting the webhook stops its deliveries', async () => {
    const rotated = ContractorWebhookWithSecret.parse(await contractorAdmin.json(contractorAdmin.post(`${webhookOf(contractor.id)}/secret`)));
    expect(rotated.secret).not.toBe(secret);
    expect(Date.parse(rotated.webhook.secretCreatedAt)).toBeGreaterThan(Date.parse(rotated.webhook.createdAt));
    const order = await triaged('Kitchen sink blocked');
    expect(await sweep()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    const request = receiver.received.at(-1)!;
    expect(verified(rotated.secret, request).data.orderId).toBe(order.orderId);
    expect(() => verified(secret, request)).toThrow(WebhookVerificationError);
    expect(await (await contractorAdmin.get(webhookOf(contractor.id))).text()).not.toContain(rotated.secret.slice('whsec_'.length, 20));

    expect((await contractorAdmin.request('DELETE', webhookOf(contractor.id))).status).toBe(204);
    expect(ContractorWebhookState.parse(await contractorAdmin.json(contractorAdmin.get(webhookOf(contractor.id))))).toEqual({ webhook: null });
    expect(await deliveries()).toEqual([]);
    const before = receiver.received.length;
    await triaged('Toilet cistern running');
    expect(await sweep()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received.length).toBe(before);
    expect(await code(contractorAdmin.request('DELETE', webhookOf(contractor.id)))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await code(contractorAdmin.post(`${webhookOf(contractor.id)}/secret`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
