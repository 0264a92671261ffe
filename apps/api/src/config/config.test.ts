import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, repoRoot } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./.data at the repository root, port 3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: `${repoRoot}/.data/pglite` });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.serveApps).toBe(false);
  });

  it('switches to real Postgres with DATABASE_URL and nothing else', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db.example:5432/townhall' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db.example:5432/townhall' });
  });

  it('serves the built apps in production unless told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).serveApps).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', TOWNHALL_SERVE_APPS: 'false' }).serveApps).toBe(false);
  });

  it('stops with a message naming every wrong variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TOWNHALL_SEED_DEMO: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    expect(message).toMatch(/TOWNHALL_SEED_DEMO:/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('trusts no proxy unless TOWNHALL_TRUSTED_PROXIES names them, and refuses a malformed one by name', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TOWNHALL_TRUSTED_PROXIES: ' 10.0.0.5, 192.168.0.0/16 fd00::/8\n::1,loopback ' }).trustedProxies).toEqual(['10.0.0.5', '192.168.0.0/16', 'fd00::/8', '::1', 'loopback']);
    for (const wrong of ['10.0.0.300', '10.0.0.0/33', 'fd00::/129', 'proxy.example', '10.0.0.0/8/1', 'all', '*']) {
      expect(() => loadConfig({ TOWNHALL_TRUSTED_PROXIES: wrong }), wrong).toThrow(/TOWNHALL_TRUSTED_PROXIES: .* is not an IP address, a CIDR range/);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });
});
