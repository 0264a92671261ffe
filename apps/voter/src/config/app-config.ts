import { parseAppConfig, type AppConfig } from '@townhall/web-ui';

/** This app's name and Vite's build-time values, checked once at start-up (see parseAppConfig). */
export const appConfig: AppConfig = parseAppConfig({
  serviceName: 'Townhall — Vote',
  apiBasePath: import.meta.env.VITE_API_BASE_PATH ?? '/api',
  routerBasename: import.meta.env.BASE_URL,
});
