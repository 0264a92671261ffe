/**
 * "Garden waste subscription": a small council service that signs residents in through Townhall ID.
 * It is the reference relying party: everything it does with OpenID Connect is openid-client's
 * (discovery, PKCE S256, state and nonce, private_key_jwt, the code exchange, userinfo,
 * RP-initiated logout), and back-channel logout tokens are checked with jose. Its sessions live in
 * memory: it is a demonstration, not a template for storing people's data.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import * as client from 'openid-client';
import { createRemoteJWKSet, importJWK, jwtVerify, type JWK } from 'jose';
import { page, receivedTable, escapeHtml } from './pages.ts';

export interface DemoServiceOptions {
  /** Townhall ID's issuer, e.g. http://localhost:3000/oidc. */
  issuer: string;
  clientId: string;
  /** The service's private key (ES256 JWK) for private_key_jwt; its public half is registered. */
  privateKey: JWK;
  port: number;
  host?: string;
  /** Where the service is reached; defaults to http://localhost:<port>. */
  publicUrl?: string;
  /** The claims asked for (scopes); the resident may decline the optional ones. */
  scope?: string;
  name?: string;
}

export interface RunningDemoService {
  url: string;
  close(): Promise<void>;
}

interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

interface SignedIn {
  sub: string;
  sid: string | undefined;
  idToken: string;
  acr: string | undefined;
  claims: Record<string, unknown>;
}

const SESSION_COOKIE = 'garden_session';
export const DEMO_SCOPE = 'openid profile address age townhall:roll';

export async function startDemoService(options: DemoServiceOptions): Promise<RunningDemoService> {
  const app = express();
  app.disable('x-powered-by');
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port, options.host ?? '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const base = (options.publicUrl ?? `http://localhost:${port}`).replace(/\/$/, '');
  const name = options.name ?? 'Garden waste subscription';
  const scope = options.scope ?? DEMO_SCOPE;
  const privateKey = (await importJWK(options.privateKey, 'ES256')) as CryptoKey;

  let configuration: client.Configuration | undefined;
  /** Discovery happens on first use, so the service may start before Townhall ID answers. */
  async function oidc(): Promise<client.Configuration> {
    configuration ??= await client.discovery(new URL(options.issuer), options.clientId, undefined, client.PrivateKeyJwt({ key: privateKey, kid: options.privateKey.kid }), {
      execute: options.issuer.startsWith('http://') ? [client.allowInsecureRequests] : [],
    });
    return configuration;
  }

  const pending = new Map<string, PendingSignIn>();
  const sessions = new Map<string, SignedIn>();
  const sessionOf = (request: Request) => {
    const id = /(?:^|;\s*)garden_session=([A-Za-z0-9_-]{43})/.exec(request.headers.cookie ?? '')?.[1];
    return { id, signedIn: id ? sessions.get(id) : undefined, pending: id ? pending.get(id) : undefined };
  };
  const newSessionId = (response: Response) => {
    const id = randomBytes(32).toString('base64url');
    // SameSite=Lax: the browser must send it on the top-level redirect back from Townhall ID.
    response.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure: base.startsWith('https://'), path: '/' });
    return id;
  };

  app.use((_request, response, next) => {
    response.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self' " + new URL(options.issuer).origin + "; frame-ancestors 'none'");
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  const govukDist = dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json'));
  app.use('/assets/govuk', express.static(`${govukDist}/dist/govuk`, { index: false }));
  app.use('/assets/demo.css', express.static(new URL('../public/demo.css', import.meta.url).pathname));

  app.get('/', (request, response) => {
    const { signedIn } = sessionOf(request);
    if (!signedIn) {
      response.send(
        page(name, `<h1 class="govuk-heading-xl">${escapeHtml(name)}</h1>
<p class="govuk-body-l">Subscribe to the council's fortnightly garden waste collection.</p>
<p class="govuk-body">Sign in with Townhall ID, the account you use to vote in council elections. You will choose what this service may know about you.</p>
<a href="/sign-in" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">Sign in with Townhall ID</a>`),
      );
      return;
    }
    const given = typeof signedIn.claims.given_name === 'string' ? signedIn.claims.given_name : 'there';
    response.send(
      page(name, `<h1 class="govuk-heading-xl">Hello, ${escapeHtml(given)}</h1>
<p class="govuk-body">You are signed in with Townhall ID. This is everything ${escapeHtml(name)} received about you:</p>
${receivedTable(signedIn.claims, { sub: signedIn.sub, acr: signedIn.acr })}
<p class="govuk-body">Townhall records every release of your details in its public ledger. You can see it, and withdraw this service's access, on your Townhall account page.</p>
<form method="post" action="/sign-out"><button class="govuk-button govuk-button--secondary" data-module="govuk-button">Sign out</button></form>`),
    );
  });

  app.get('/sign-in', async (_request, response, next) => {
    try {
      const config = await oidc();
      const codeVerifier = client.randomPKCECodeVerifier();
      const signIn: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
      pending.set(newSessionId(response), signIn);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `${base}/callback`,
        scope,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: signIn.state,
        nonce: signIn.nonce,
      });
      response.redirect(303, url.toString());
    } catch (error) {
      next(error);
    }
  });

  app.get('/callback', async (request, response) => {
    const { id, pending: signIn } = sessionOf(request);
    if (!id || !signIn) {
      response.status(400).send(page(name, '<h1 class="govuk-heading-l">Your sign-in has expired</h1><p class="govuk-body"><a class="govuk-link" href="/">Start again</a></p>'));
      return;
    }
    pending.delete(id);
    const current = new URL(request.originalUrl, base);
    if (current.searchParams.has('error')) {
      const error = current.searchParams.get('error');
      const words = error === 'access_denied' ? 'You chose not to sign in.' : `Townhall ID could not sign you in (${escapeHtml(error ?? '')}).`;
      response.send(page(name, `<h1 class="govuk-heading-l">You are not signed in</h1><p class="govuk-body">${words}</p><p class="govuk-body"><a class="govuk-link" href="/">Start again</a></p>`));
      return;
    }
    try {
      const config = await oidc();
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: signIn.codeVerifier,
        expectedState: signIn.state,
        expectedNonce: signIn.nonce,
      });
      const idClaims = tokens.claims()!;
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      sessions.set(newSessionId(response), {
        sub: idClaims.sub,
        sid: typeof idClaims.sid === 'string' ? idClaims.sid : undefined,
        idToken: tokens.id_token!,
        acr: typeof idClaims.acr === 'string' ? idClaims.acr : undefined,
        claims: Object.fromEntries(Object.entries(userinfo).filter(([key]) => key !== 'sub')),
      });
      response.redirect(303, '/');
    } catch (error) {
      response.status(400).send(page(name, `<h1 class="govuk-heading-l">Sign-in failed</h1><p class="govuk-body">${escapeHtml((error as Error).message)}</p><p class="govuk-body"><a class="govuk-link" href="/">Start again</a></p>`));
    }
  });

  app.post('/sign-out', async (request, response, next) => {
    try {
      const { id, signedIn } = sessionOf(request);
      if (id) sessions.delete(id);
      if (!signedIn) {
        response.redirect(303, '/');
        return;
      }
      const url = client.buildEndSessionUrl(await oidc(), { id_token_hint: signedIn.idToken, post_logout_redirect_uri: `${base}/signed-out` });
      response.redirect(303, url.toString());
    } catch (error) {
      next(error);
    }
  });

  app.get('/signed-out', (_request, response) => {
    response.send(page(name, `<h1 class="govuk-heading-l">You have signed out</h1><p class="govuk-body"><a class="govuk-link" href="/">Sign in again</a></p>`));
  });

  // OpenID Connect Back-Channel Logout 1.0 §2.6: a signed logout token, checked before any session ends.
  app.post('/backchannel-logout', express.urlencoded({ extended: false, limit: '16kb' }), async (request, response) => {
    try {
      const token = String((request.body as Record<string, unknown>).logout_token ?? '');
      const jwks = createRemoteJWKSet(new URL((await oidc()).serverMetadata().jwks_uri!));
      const { payload } = await jwtVerify(token, jwks, { issuer: options.issuer, audience: options.clientId, typ: 'logout+jwt', maxTokenAge: '2m' });
      const events = payload.events as Record<string, unknown> | undefined;
      if (!events || !('http://schemas.openid.net/event/backchannel-logout' in events) || 'nonce' in payload) throw new Error('not a logout token');
      for (const [id, session] of sessions) {
        if ((payload.sid && session.sid === payload.sid) || (!payload.sid && session.sub === payload.sub)) sessions.delete(id);
      }
      response.status(200).end();
    } catch {
      response.status(400).json({ error: 'invalid_request' });
    }
  });

  app.use((error: unknown, _request: Request, response: Response, _next: unknown) => {
    response.status(502).send(page(name, `<h1 class="govuk-heading-l">Sorry, there is a problem</h1><p class="govuk-body">Townhall ID could not be reached: ${escapeHtml((error as Error).message)}</p>`));
  });

  return {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
