import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * A strict Content-Security-Policy: only our own scripts, styles, images and connections. Workers may
 * be blob: so the verifier and the ballot encryptor can start Web Workers. The OpenAPI explorer at
 * /api/docs needs inline styles, so it gets the same policy with only that relaxed.
 */
const directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

const strict = helmet({
  contentSecurityPolicy: { useDefaults: false, directives },
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
});

const forApiExplorer = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * Townhall ID's own pages (the "sign out?" form) post to the provider, which then redirects to the
 * service's registered logout URI; browsers apply form-action to that redirect too, so the services'
 * origins (any https origin, and this machine's for development) are allowed there, and only there.
 */
const forOpenIdProvider = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { ...directives, formAction: ["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*'] },
  },
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
});

/** The security headers' policy of each part of the site: one table, longest prefix first. */
const POLICIES: readonly { prefix: string; policy: RequestHandler }[] = [
  { prefix: '/api/docs', policy: forApiExplorer },
  { prefix: '/oidc/interaction/', policy: strict },
  { prefix: '/oidc/', policy: forOpenIdProvider },
];

export const securityHeaders: RequestHandler = (request, response, next) => {
  response.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  const policy = POLICIES.find((p) => request.path.startsWith(p.prefix))?.policy ?? strict;
  return policy(request, response, next);
};
