import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { ApiErrorBody } from '@townhall/protocol';
import type { AppConfig } from '../config/config.ts';

/**
 * A per-client ceiling on every API route. Credential-guessing surfaces (activation codes, sign-in)
 * add their own, much lower limits and lockouts on top of this one.
 */
export function apiRateLimit(config: Pick<AppConfig, 'rateLimitPerMinute'>): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: config.rateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (request, response) => {
      const body: ApiErrorBody = {
        error: { code: 'RATE_LIMITED', message: 'Too many requests. Wait a minute and try again.', requestId: String(request.id ?? '') },
      };
      response.status(429).json(body);
    },
  });
}
