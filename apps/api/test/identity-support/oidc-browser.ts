import { CookieJar } from 'tough-cookie';
import * as client from 'openid-client';
import { calculatePKCECodeChallenge, randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { AuthenticationOptionsResponse, InteractionDetails, InteractionRedirect, SessionResponse, type ServiceRegistrationRequest } from '@townhall/protocol';
import { SoftwareAuthenticator } from '@townhall/client-flows';
import { PUBLIC_URL, type RunningApp } from './flows.ts';

/**
 * A browser for Townhall ID's flows in medium tests: a real cookie jar (tough-cookie), every redirect
 * seen one by one, and the Townhall API's Origin and CSRF headers on its own requests. The app listens
 * on 127.0.0.1 but believes it is PUBLIC_URL (passkeys need a host name), so requests to PUBLIC_URL
 * go to the app's real address.
 */
export class OidcBrowser {
  readonly jar = new CookieJar();
  csrfToken: string | undefined;

  constructor(
    readonly app: RunningApp,
    readonly authenticator = new SoftwareAuthenticator(PUBLIC_URL),
  ) {}

  toNetwork(url: string): string {
    return url.startsWith(PUBLIC_URL) ? `${this.app.baseUrl}${url.slice(PUBLIC_URL.length)}` : url;
  }

  async fetch(url: string, init: { method?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const absolute = new URL(url, PUBLIC_URL).toString();
    const method = init.method ?? 'GET';
    const headers: Record<string, string> = { ...init.headers };
    const cookie = await this.jar.getCookieString(absolute);
    if (cookie) headers.cookie = cookie;
    if (method !== 'GET' && absolute.startsWith(PUBLIC_URL)) {
      headers.origin = PUBLIC_URL;
      if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    }
    let body: string | undefined;
    if (init.raw !== undefined) {
      body = init.raw;
      headers['content-type'] = init.contentType ?? 'text/plain';
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(this.toNetwork(absolute), { method, headers, body, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) await this.jar.setCookie(setCookie, absolute);
    return response;
  }

  /** Follows redirects while they stay on the provider; returns the first location outside it (the service's redirect URI). */
  async navigate(url: string): Promise<{ response: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < 10; hop++) {
      const response = await this.fetch(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      const next = new URL(location, new URL(current, PUBLIC_URL)).toString();
      if (!next.startsWith(PUBLIC_URL)) return { response, url: next };
      current = next;
    }
    throw new Error('too many redirects');
  }

  async session(): Promise<SessionResponse> {
    const session = SessionResponse.parse(await (await this.fetch('/api/session')).json());
    this.csrfToken = session.csrfToken;
    return session;
  }

  /** Signs in to Townhall with the passkey (a fresh session, as the interaction page does). */
  async signIn(): Promise<void> {
    await this.session();
    const { options } = AuthenticationOptionsResponse.parse(await (await this.fetch('/api/sign-in/start', { method: 'POST', body: {} })).json());
    const finished = await this.fetch('/api/sign-in/finish', { method: 'POST', body: { response: this.authenticator.get(options) } });
    if (finished.status !== 200) throw new Error(`sign-in answered ${finished.status}: ${await finished.text()}`);
    this.csrfToken = SessionResponse.parse(await finished.json()).csrfToken;
  }

  async details(interactionUrl: string): Promise<InteractionDetails> {
    const response = await this.fetch(`${new URL(interactionUrl).pathname}/details`);
    if (response.status !== 200) throw new Error(`details answered ${response.status}: ${await response.text()}`);
    return InteractionDetails.parse(await response.json());
  }

  async post(interactionUrl: string, action: 'login' | 'consent' | 'abort', body: unknown = {}): Promise<Response> {
    return this.fetch(`${new URL(interactionUrl).pathname}/${action}`, { method: 'POST', body });
  }

  async redirectOf(response: Response): Promise<string> {
    if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${await response.text()}`);
    return new URL(InteractionRedirect.parse(await response.json()).redirectTo, PUBLIC_URL).toString();
  }
}

/** A relying party as a council service would run one: openid-client, with its own key (private_key_jwt). */
export interface TestService {
  clientId: string;
  config: client.Configuration;
  redirectUri: string;
  privateKey: CryptoKey;
}

export const SERVICE_REDIRECT = 'https://bins.example.gov.uk/callback';

export async function serviceKeys(): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: 'service-key-1', alg: 'ES256', use: 'sig' } };
}

export function registration(overrides: Partial<ServiceRegistrationRequest> & { publicJwk?: JWK } = {}): ServiceRegistrationRequest {
  const { publicJwk, ...rest } = overrides;
  return {
    name: 'Garden waste subscription',
    redirectUris: [SERVICE_REDIRECT],
    postLogoutRedirectUris: ['https://bins.example.gov.uk/signed-out'],
    clientType: 'confidential',
    authMethod: 'private_key_jwt',
    jwks: publicJwk ? { keys: [publicJwk as never] } : undefined,
    claims: ['name', 'address', 'age_over_18', 'townhall:roll'],
    requiredClaims: ['townhall:roll'],
    ...rest,
  };
}

/** openid-client against the app: discovery at PUBLIC_URL/oidc, every request sent to the app's real address. */
export async function discover(app: RunningApp, clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
  const toNetwork = (url: string) => (url.startsWith(PUBLIC_URL) ? `${app.baseUrl}${url.slice(PUBLIC_URL.length)}` : url);
  const customFetch: client.CustomFetch = (url, options) => fetch(toNetwork(url), options as RequestInit);
  const config = await client.discovery(new URL(`${PUBLIC_URL}/oidc`), clientId, undefined, auth, {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: customFetch,
  });
  config[client.customFetch] = customFetch;
  return config;
}

export interface AuthorizationRequest {
  url: string;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export async function authorizationRequest(config: client.Configuration, scope: string, extra: Record<string, string> = {}): Promise<AuthorizationRequest> {
  const codeVerifier = randomPKCECodeVerifier();
  const state = randomState();
  const nonce = randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: SERVICE_REDIRECT,
    scope,
    code_challenge: await calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url: url.toString(), codeVerifier, state, nonce };
}
