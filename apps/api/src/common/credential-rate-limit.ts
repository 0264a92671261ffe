import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import type { ApiErrorBody } from '@townhall/protocol';
import type { AppConfig } from '../config/config.ts';
import { SharedRateLimitStore, rateLimitLogger, type RequestCounters } from '../web/rate-limit-store.ts';

/**
 * The credential-guessing surfaces (docs/threat-model.md, "Guessing"): every route where a caller
 * presents something secret that the server checks. Each gets its own per-client budget, a fifth of
 * the general per-route ceiling (120 a minute by default), on top of that ceiling and of the
 * activation-code lockouts kept in the database (identity/activation-throttle.ts), which are what
 * stop a distributed guesser. Tracking codes are not here: they are SHA-256 digests (not guessable)
 * and public in the election's ledger anyway.
 */
export const CREDENTIAL_SURFACES: readonly { name: string; method: string; path: RegExp }[] = [
  // Poll-card lookup: activation code + postcode or date of birth, and finishing that enrolment.
  { name: 'activation', method: 'POST', path: /^\/api\/enrolment\/(start|finish)$/ },
  // Passkey sign-in (assertions of residents and staff).
  { name: 'sign-in', method: 'POST', path: /^\/api\/sign-in\/(start|finish)$/ },
  // Another passkey for a signed-in resident.
  { name: 'passkeys', method: 'POST', path: /^\/api\/passkeys\/(start|finish)$/ },
  // Staff invitation links (one-time tokens), looked up and accepted.
  { name: 'invitation', method: 'GET', path: /^\/api\/staff\/invitations\/[^/]+$/ },
  { name: 'invitation', method: 'POST', path: /^\/api\/staff\/invitations\/[^/]+\/(start|finish)$/ },
];

export function credentialSurfaceOf(request: Pick<Request, 'method' | 'path'>): string | undefined {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return CREDENTIAL_SURFACES.find((s) => s.method === method && s.path.test(request.path))?.name;
}

export function credentialLimitPerMinute(config: Pick<AppConfig, 'rateLimitPerMinute'>): number {
  return Math.max(1, Math.ceil(config.rateLimitPerMinute / 5));
}

/**
 * Mounted at the root (not under /api), so `request.path` is the full path the surfaces name.
 * Counted in the database like the general ceiling, so a guesser's budget is the deployment's, not
 * one per API instance behind the load balancer.
 */
export function credentialRateLimit(config: Pick<AppConfig, 'rateLimitPerMinute'>, counters: RequestCounters): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: credentialLimitPerMinute(config),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new SharedRateLimitStore(counters, 'credential:'),
    passOnStoreError: true,
    logger: rateLimitLogger,
    skip: (request) => credentialSurfaceOf(request) === undefined,
    // One budget per surface and client, so signing in is not blocked by a burst of enrolments.
    keyGenerator: (request) => `${credentialSurfaceOf(request)}:${ipKeyGenerator(request.ip ?? 'unknown')}`,
    handler: (request, response) => {
      const body: ApiErrorBody = {
        error: { code: 'RATE_LIMITED', message: 'Too many attempts from your network. Wait a minute and try again.', requestId: String(request.id ?? '') },
      };
      response.status(429).json(body);
    },
  });
}
