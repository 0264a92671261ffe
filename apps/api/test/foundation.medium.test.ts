import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody, CouncilSummary, HealthResponse } from '@townhall/protocol';
import { seedDemo } from '../src/seed/seed.ts';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { dialects } from './support/test-database.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

describe.each(dialects)('the API on %s', (dialect) => {
  let running: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    running = await startTestApp(dialect);
  });
  afterAll(async () => {
    await running?.destroy();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${running.baseUrl}${path}`, init);

  it('reports health: database reachable, every migration applied', async () => {
    const response = await get('/api/health');
    expect(response.status).toBe(200);
    const health = HealthResponse.parse(await response.json());
    expect(health).toMatchObject({ status: 'ok', database: { reachable: true, dialect }, migrations: { pending: 0 } });
    expect(health.migrations.applied).toBeGreaterThan(0);
  });

  it('serves the seeded demo council with its wards and roll sizes', async () => {
    const council = CouncilSummary.parse(await (await get('/api/council')).json());
    expect(council.name).toBe('Demo Borough Council');
    expect(council.electorCount).toBe(demoElectors.length);
    expect(council.districts.map((d) => d.name)).toEqual(['Castle', 'Northgate', 'Riverside']);
  });

  it('seeding again changes nothing', async () => {
    const again = await seedDemo(running.database.prisma);
    expect(again).toEqual({ councilCreated: false, electorsCreated: 0 });
    expect(await running.database.prisma.elector.count()).toBe(demoElectors.length);
  });

  it('answers an unknown route with the JSON error body and a stable code', async () => {
    const response = await get('/api/no-such-thing', { headers: { 'X-Request-Id': 'trace-me-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('trace-me-1');
    const body = ApiErrorBody.parse(await response.json());
    expect(body.error).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'There is no such API route.', requestId: 'trace-me-1' });
  });

  it('rejects malformed JSON and oversized bodies with 4xx codes, never a 5xx', async () => {
    const malformed = await get('/api/council', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":' });
    expect(malformed.status).toBe(400);
    expect(ApiErrorBody.parse(await malformed.json()).error.code).toBe('MALFORMED_JSON');
    const huge = await get('/api/council', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(running.config.maxBodyBytes + 10) }),
    });
    expect(huge.status).toBe(413);
    expect(ApiErrorBody.parse(await huge.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sends a strict Content-Security-Policy and the other security headers', async () => {
    const response = await get('/api/council');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('grants no cross-origin access (no CORS)', async () => {
    const preflight = await get('/api/council', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await get('/api/council', { headers: { Origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('publishes an OpenAPI document that describes the routes', async () => {
    const document = (await (await get('/api/docs/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/council']));
  });
});

describe.each(dialects)('restarting on %s', (dialect) => {
  let first: TestApp & { testDatabase: Awaited<ReturnType<typeof startTestApp>>['testDatabase'] };

  afterAll(async () => {
    await first?.testDatabase.drop();
  });

  it('keeps the data and applies no migration twice', async () => {
    first = await startTestApp(dialect);
    await first.database.prisma.district.updateMany({ where: { code: 'CAS' }, data: { name: 'Castle Ward' } });
    await first.stop();
    const second = await startTestApp(dialect, { testDatabase: first.testDatabase });
    try {
      const council = CouncilSummary.parse(await (await fetch(`${second.baseUrl}/api/council`)).json());
      expect(council.districts.map((d) => d.name)).toContain('Castle Ward');
      expect(council.electorCount).toBe(demoElectors.length);
      const history = await second.database.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      const health = HealthResponse.parse(await (await fetch(`${second.baseUrl}/api/health`)).json());
      expect(history[0]!.n).toBe(health.migrations.applied);
    } finally {
      await second.stop();
    }
    // Two cold starts of the embedded database: generous, so a loaded CI machine is not a failure.
  }, 120_000);
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED once a client exceeds the per-minute ceiling', async () => {
    const running = await startTestApp('pglite', { env: { TOWNHALL_RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${running.baseUrl}/api/council`)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const limited = await fetch(`${running.baseUrl}/api/council`);
      expect(limited.status).toBe(429);
      expect(ApiErrorBody.parse(await limited.json()).error.code).toBe('RATE_LIMITED');
    } finally {
      await running.destroy();
    }
  });
});
