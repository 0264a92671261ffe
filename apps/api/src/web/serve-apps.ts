import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { repoRoot } from '../config/config.ts';
import { logger } from '../common/logger.ts';

/** Where each single-page app is served in production; the longest prefix is matched first. */
export const servedApps = [
  { name: 'official', prefix: '/official', dist: resolve(repoRoot, 'apps/official/dist') },
  { name: 'verifier', prefix: '/verify', dist: resolve(repoRoot, 'apps/verifier/dist') },
  { name: 'voter', prefix: '', dist: resolve(repoRoot, 'apps/voter/dist') },
];

/**
 * Serves the built apps: hashed assets are cached for a year, index.html never, and any other path
 * under an app's prefix falls back to its index.html so client-side routes survive a reload.
 */
export function mountApps(server: Express): void {
  for (const app of servedApps) {
    if (!existsSync(resolve(app.dist, 'index.html'))) {
      logger.warn({ app: app.name, dist: app.dist }, 'app is not built; run `npm run build` (npm start does this)');
      continue;
    }
    server.use(
      app.prefix || '/',
      express.static(app.dist, {
        index: false,
        fallthrough: true,
        setHeaders(response, filePath) {
          response.setHeader('Cache-Control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
    const indexFile = resolve(app.dist, 'index.html');
    server.get(app.prefix ? [app.prefix, `${app.prefix}/{*splat}`] : '/{*splat}', (request: Request, response: Response, next: NextFunction) => {
      if (request.path.startsWith('/api/') || request.path === '/api') return next();
      // The interaction pages' API below a Townhall ID sign-in page (/oidc/interaction/:uid/details, …).
      if (/^\/oidc\/interaction\/[^/]+\/./.test(request.path)) return next();
      // A missing asset is a 404, not the app's page.
      if (/\.[a-z0-9]+$/i.test(request.path)) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(indexFile);
    });
  }
}
