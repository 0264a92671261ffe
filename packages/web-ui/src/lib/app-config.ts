import { z } from 'zod';

/**
 * An app's build-time configuration, validated once at start-up so a bad value fails loudly rather
 * than as a confusing network error later. Each app passes its service name and Vite's values:
 * `VITE_API_BASE_PATH` lets a deployment mount the API elsewhere; by default the API serves the app
 * and answers under `/api` on the same origin.
 */
const AppConfig = z.object({
  serviceName: z.string().min(1),
  apiBasePath: z
    .string()
    .regex(/^\/[^?#]*[^/?#]$|^\/$/, 'must be an absolute path without a trailing slash'),
  routerBasename: z.string().startsWith('/'),
});
export type AppConfig = z.infer<typeof AppConfig>;

export function parseAppConfig(config: AppConfig): AppConfig {
  return AppConfig.parse(config);
}
