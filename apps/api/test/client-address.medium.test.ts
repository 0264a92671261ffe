import { afterAll, describe, expect, it } from 'vitest';
import { dialects } from './support/test-database.ts';
import { ApiClient } from '@townhall/client-flows';
import { newBrowser, startIdentityApp, type RunningApp } from './identity-support/flows.ts';

/**
 * The client address that rate limits and the activation lockout count by (issue #15): taken from
 * X-Forwarded-For only when the connection comes from a proxy named in TOWNHALL_TRUSTED_PROXIES.
 * The medium tests connect over loopback, like a tunnel or an L4 proxy on the API's machine would.
 */
describe.each(dialects)('the client address on %s', (dialect) => {
  const apps: RunningApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.destroy();
  });
  const start = async (env: Record<string, string> = {}) => {
    const app = await startIdentityApp(dialect, env);
    apps.push(app);
    return app;
  };
  const wrongCode = (client: ApiClient, i: number, forwardedFor: string) =>
    ApiClient.errorCode(
      client.request('POST', '/api/enrolment/start', {
        body: { activationCode: `AAAA-BBBB-CCCC-${String(1000 + i)}`, postcode: 'DB1 1AA' },
        headers: { 'x-forwarded-for': forwardedFor },
      }),
    );
  const throttledAddresses = async (app: RunningApp) =>
    (await app.database.prisma.authThrottle.findMany({ where: { key: { startsWith: 'ip:' } } })).map((row) => row.key).sort();

  it('ignores X-Forwarded-For by default: a client cannot choose its address to escape the activation lockout', async () => {
    const app = await start();
    const { client } = await newBrowser(app);
    const codes: string[] = [];
    // A new made-up address on every attempt: all of them count against the connection's address.
    for (let i = 0; i < 21; i++) codes.push((await wrongCode(client, i, `203.0.113.${i + 1}`)).code);
    expect(codes.slice(0, 20).every((c) => c === 'ACTIVATION_CODE_INVALID')).toBe(true);
    expect(codes[20]).toBe('ACCOUNT_LOCKED');
    expect(await throttledAddresses(app)).toEqual(['ip:127.0.0.1']);
  });

  it('takes the client address from X-Forwarded-For when the connection is from a proxy in TOWNHALL_TRUSTED_PROXIES', async () => {
    const app = await start({ TOWNHALL_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
    const { client } = await newBrowser(app);
    for (let i = 0; i < 20; i++) expect((await wrongCode(client, i, '203.0.113.7')).code).toBe('ACTIVATION_CODE_INVALID');
    // That client is locked out; another client behind the same proxy is not.
    expect((await wrongCode(client, 20, '203.0.113.7')).code).toBe('ACCOUNT_LOCKED');
    expect((await wrongCode(client, 21, '203.0.113.8')).code).toBe('ACTIVATION_CODE_INVALID');
    // Only trusted hops are skipped: the address a trusted proxy saw (the last untrusted one) counts,
    // not one the client put in front of it.
    expect((await wrongCode(client, 22, '198.51.100.1, 203.0.113.9, 10.1.2.3')).code).toBe('ACTIVATION_CODE_INVALID');
    expect(await throttledAddresses(app)).toEqual(['ip:203.0.113.7', 'ip:203.0.113.8', 'ip:203.0.113.9']);
  });
});
