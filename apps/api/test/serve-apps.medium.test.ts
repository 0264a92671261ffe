import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedApps } from '../src/web/serve-apps.ts';
import { startTestApp } from './support/test-app.ts';

// turbo builds the apps before the API's tests (`test` depends on `^build`); run `npm run build` first
// when running this file on its own.
describe('serving the built apps in production', () => {
  let running: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    const missing = servedApps.filter((app) => !existsSync(resolve(app.dist, 'index.html')));
    if (missing.length > 0) throw new Error(`build the apps first (npm run build): missing ${missing.map((a) => a.dist).join(', ')}`);
    running = await startTestApp('pglite', { env: { TOWNHALL_SERVE_APPS: 'true' } });
  });
  afterAll(async () => {
    await running?.destroy();
  });

  it.each([
    ['/', 'voter'],
    ['/enrol', 'voter'],
    ['/official/', 'official'],
    ['/official/roll/some/deep/route', 'official'],
    ['/official', 'official'],
    ['/verify/', 'verifier'],
    ['/verify/elections/123', 'verifier'],
  ])('GET %s serves the %s app with a strict CSP and no caching of the page', async (path, appName) => {
    const response = await fetch(`${running.baseUrl}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    const app = servedApps.find((a) => a.name === appName)!;
    const { readFileSync } = await import('node:fs');
    expect(html).toBe(readFileSync(resolve(app.dist, 'index.html'), 'utf8'));
  });

  it('answers a missing asset with 404, not with the page', async () => {
    expect((await fetch(`${running.baseUrl}/assets/missing-file.js`)).status).toBe(404);
    expect((await fetch(`${running.baseUrl}/official/assets/missing-file.css`)).status).toBe(404);
  });

  it('keeps unknown API routes as JSON 404s', async () => {
    const response = await fetch(`${running.baseUrl}/api/unknown`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });
});
