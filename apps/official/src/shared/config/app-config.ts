import { z } from 'zod';

/**
 * Build-time configuration, validated once at start-up so a bad value fails loudly rather than
 * as a confusing network error later. `VITE_API_BASE_PATH` lets a deployment mount the API
 * elsewhere; by default the API serves this app and answers under `/api` on the same origin.
 */
const AppConfig = z.object({
  serviceName: z.string().min(1),
  apiBasePath: z
    .string()
    .regex(/^\/[^?#]*[^/?#]$|^\/$/, 'must be an absolute path without a trailing slash'),
  routerBasename: z.string().startsWith('/'),
});
export type AppConfig = z.infer<typeof AppConfig>;

export const appConfig: AppConfig = AppConfig.parse({
  serviceName: 'Townhall — Election officials',
  apiBasePath: import.meta.env.VITE_API_BASE_PATH ?? '/api',
  routerBasename: import.meta.env.BASE_URL,
});
