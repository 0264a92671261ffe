import { ApiErrorBody, HealthResponse } from '@townhall/protocol';
import { expect, test } from '@playwright/test';

test('/api/health is green against the real Postgres', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const health = HealthResponse.parse(await response.json());
  expect(health).toMatchObject({
    status: 'ok',
    database: { reachable: true, dialect: 'postgres' },
    migrations: { pending: 0 },
  });
  expect(health.migrations.applied).toBeGreaterThan(0);
});

test('an unknown /api route answers 404 with the JSON error body', async ({ request }) => {
  const response = await request.get('/api/no-such-route');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-type']).toMatch(/^application\/json/);
  const body = ApiErrorBody.parse(await response.json());
  expect(body.error.code).toBe('ROUTE_NOT_FOUND');
  expect(body.error.requestId).not.toBe('');
});
