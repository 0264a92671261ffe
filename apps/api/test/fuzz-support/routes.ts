import type { NestExpressApplication } from '@nestjs/platform-express';

export interface ServerRoute {
  method: string;
  /** Express path pattern, e.g. `/api/elections/:id/ballots/:trackingCode` or `/api/ledger/:log/tile/*path`. */
  path: string;
}

/**
 * Every route the running server has, read from Express's router (the authorization-matrix test
 * does the same), so a route added tomorrow is fuzzed without anyone editing this list.
 */
export function serverRoutes(app: NestExpressApplication): ServerRoute[] {
  const server = app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string | string[]; methods: Record<string, boolean> } }[] } };
  return server.router.stack
    // (The built apps' fallback routes, when served, have array paths outside /api.)
    .filter((layer): layer is { route: { path: string; methods: Record<string, boolean> } } => typeof layer.route?.path === 'string' && isFuzzed(layer.route.path))
    .flatMap((layer) => Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path: layer.route.path })));
}

/** The API, and the Townhall ID interaction pages' API (not Nest's middleware mount on that path). */
function isFuzzed(path: string): boolean {
  return path.startsWith('/api') || (path.startsWith('/oidc/interaction/') && path !== '/oidc/interaction/{*rest}');
}

export const routeKey = (route: ServerRoute) => `${route.method} ${route.path}`;

/** The names of a pattern's parameters (`:id`, and `*path` wildcards). */
export function routeParams(path: string): { name: string; wildcard: boolean }[] {
  return [...path.matchAll(/([:*])([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[2]!, wildcard: m[1] === '*' }));
}

/** Fills a pattern's parameters with already URL-encoded (or deliberately raw) values. */
export function fillRoute(path: string, values: Record<string, string>): string {
  return path.replace(/([:*])([A-Za-z0-9_]+)/g, (_, __, name: string) => values[name] ?? '');
}
