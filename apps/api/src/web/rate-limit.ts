import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { ApiErrorBody } from '@townhall/protocol';
import type { AppConfig } from '../config/config.ts';
import { SharedRateLimitStore, rateLimitLogger, type RequestCounters } from './rate-limit-store.ts';

/**
 * A per-client ceiling on every API route. Credential-guessing surfaces (activation codes, sign-in)
 * add their own, much lower limits and lockouts on top of this one. Counted in the database, so the
 * ceiling is the deployment's, however many API instances share the clients (rate-limit-store.ts).
 */
export function apiRateLimit(config: Pick<AppConfig, 'rateLimitPerMinute'>, counters: RequestCounters): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: config.rateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new SharedRateLimitStore(counters, 'api:'),
    passOnStoreError: true,
    // A load balancer's health checks come from its own address to every instance: counted together
    // they would soon exceed one client's ceiling and take the whole deployment out of rotation.
    skip: (request) => request.method === 'GET' && `${request.baseUrl}${request.path}` === '/api/health',
    logger: rateLimitLogger,
    handler: (request, response) => {
      const body: ApiErrorBody = {
        error: { code: 'RATE_LIMITED', message: 'Too many requests. Wait a minute and try again.', requestId: String(request.id ?? '') },
      };
      response.status(429).json(body);
    },
  });
}

/**
 * Townhall ID's endpoints (authorization, token, userinfo, the interaction pages' API) get the same
 * per-client ceiling, counted apart from the API's. Refusals are in OAuth's shape (RFC 6749 §5.2 has
 * no code for it; `temporarily_unavailable` is the nearest, with Retry-After).
 */
export function oidcRateLimit(config: Pick<AppConfig, 'rateLimitPerMinute'>, counters: RequestCounters): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: config.rateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new SharedRateLimitStore(counters, 'oidc:'),
    passOnStoreError: true,
    logger: rateLimitLogger,
    handler: (_request, response) => {
      response.status(429).json({ error: 'temporarily_unavailable', error_description: 'too many requests; wait a minute and try again' });
    },
  });
}
