import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { startDemoService, type RunningDemoService } from '../src/demo-service.ts';
import { receivedTable } from '../src/pages.ts';

/**
 * The demo service on its own (no Townhall ID behind it: discovery happens on first sign-in). The
 * whole sign-in through Townhall ID is e2e/tests/townhall-id.spec.ts.
 */
describe('the demo council service', () => {
  let service: RunningDemoService;

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    service = await startDemoService({
      issuer: 'http://127.0.0.1:9/oidc',
      clientId: 'demo-garden-waste',
      privateKey: { ...(await exportJWK(privateKey)), kid: 'k1' },
      port: 0,
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('offers to sign in with Townhall ID, under a strict Content-Security-Policy and no-store', async () => {
    const response = await fetch(`${service.url.replace('localhost', '127.0.0.1')}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Sign in with Townhall ID');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a callback it did not start, and a logout token it cannot verify', async () => {
    const base = service.url.replace('localhost', '127.0.0.1');
    expect((await fetch(`${base}/callback?code=x&state=y`)).status).toBe(400);
    const logout = await fetch(`${base}/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'logout_token=not.a.token',
    });
    expect(logout.status).toBe(400);
  });

  it('shows what it received in words, escaped', () => {
    const html = receivedTable(
      { name: '<script>x</script>', address: { postal_code: 'DB1 1AA' }, age_over_18: true, 'townhall:roll': { registered: true, districtName: 'Castle' } },
      { sub: 'abc', acr: 'urn:townhall:acr:roll-poll-card' },
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('DB1 1AA');
    expect(html).toContain('Yes, Castle');
    expect(html).toMatch(/18 or over<\/th><td[^>]*>Yes</);
  });
});
