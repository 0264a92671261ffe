/**
 * The service's side of the Townhall ID benchmarks (townhall-id-flows.ts, organisations.ts): an
 * authorization-code flow with PKCE against the provider in this process, driven with a signed-in
 * person's provider cookie, and the closed loop that measures it. A plain `fetch` client, so the
 * benchmark spends its CPU on HTTP, not on a relying-party library.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PUBLIC_URL, type RunningApp } from '../test/identity-support/flows.ts';
import { SERVICE_REDIRECT, type OidcBrowser } from '../test/identity-support/oidc-browser.ts';

export interface Authorized {
  /** Where the provider sent the browser: the service's redirect URI with a code. */
  location: string;
  verifier: string;
}

export function benchService(app: RunningApp, service: { clientId: string; clientSecret: string; scope: string }) {
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(service.clientId)}:${encodeURIComponent(service.clientSecret)}`).toString('base64')}`;

  function authorizeUrl(verifier: string): string {
    const params = new URLSearchParams({
      client_id: service.clientId,
      response_type: 'code',
      redirect_uri: SERVICE_REDIRECT,
      scope: service.scope,
      state: randomBytes(8).toString('base64url'),
      nonce: randomBytes(8).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    return `${PUBLIC_URL}/oidc/auth?${params}`;
  }

  /**
   * The person signs in to the provider with their passkey and consents once (with `consent`);
   * returns the provider's cookie, with which every later authorization goes straight back with a code.
   */
  async function consentOnce(browser: OidcBrowser, consent: Record<string, unknown>): Promise<string> {
    let { url } = await browser.navigate(authorizeUrl(randomBytes(32).toString('base64url')));
    for (let step = 0; step < 3 && url.includes('/oidc/interaction/'); step++) {
      const details = await browser.details(url);
      if (details.prompt === 'login') await browser.signIn();
      const isLogin = details.prompt === 'login';
      url = (await browser.navigate(await browser.redirectOf(await browser.post(url, isLogin ? 'login' : 'consent', isLogin ? {} : consent)))).url;
    }
    if (!url.startsWith(SERVICE_REDIRECT) || !new URL(url).searchParams.get('code')) throw new Error(`setup did not reach the service with a code: ${url}`);
    return browser.jar.getCookieString(`${PUBLIC_URL}/oidc/auth`);
  }

  async function authorize(cookie: string): Promise<Authorized> {
    const verifier = randomBytes(32).toString('base64url');
    const response = await fetch(`${app.baseUrl}${authorizeUrl(verifier).slice(PUBLIC_URL.length)}`, { headers: { cookie }, redirect: 'manual' });
    await response.arrayBuffer();
    return { location: new URL(response.headers.get('location') ?? '', PUBLIC_URL).toString(), verifier };
  }

  async function redeem(authorized: Authorized): Promise<string> {
    const code = new URL(authorized.location).searchParams.get('code');
    if (!code) throw new Error(`no code: ${authorized.location}`);
    const response = await fetch(`${app.baseUrl}/oidc/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: SERVICE_REDIRECT, code_verifier: authorized.verifier }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /** A whole visit: authorize (straight back with a code), redeem it, read userinfo; returns the claims. */
  async function flow(cookie: string): Promise<Record<string, unknown>> {
    const accessToken = await redeem(await authorize(cookie));
    const userinfo = await fetch(`${app.baseUrl}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (userinfo.status !== 200) throw new Error(`userinfo: ${userinfo.status}`);
    return (await userinfo.json()) as Record<string, unknown>;
  }

  return { authorizeUrl, consentOnce, authorize, redeem, flow };
}

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** `inFlight` loops, each doing `work(i)` again and again for `seconds`: the rate and the latencies. */
export async function closedLoop(inFlight: number, seconds: number, work: (i: number) => Promise<unknown>): Promise<{ rate: number; count: number; p50: number; p99: number }> {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, i) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await work(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / elapsed, count: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}
