import { describe, expect, it } from 'vitest';
import { parseAppConfig } from './app-config.ts';

describe('parseAppConfig', () => {
  it('accepts the default mount points', () => {
    const config = { serviceName: 'Townhall — Vote', apiBasePath: '/api', routerBasename: '/verify/' };
    expect(parseAppConfig(config)).toEqual(config);
  });

  it('refuses an API base path with a trailing slash or a relative one, and an empty service name', () => {
    expect(() => parseAppConfig({ serviceName: 'T', apiBasePath: '/api/', routerBasename: '/' })).toThrow(/trailing slash/);
    expect(() => parseAppConfig({ serviceName: 'T', apiBasePath: 'api', routerBasename: '/' })).toThrow();
    expect(() => parseAppConfig({ serviceName: '', apiBasePath: '/api', routerBasename: '/' })).toThrow();
  });
});
