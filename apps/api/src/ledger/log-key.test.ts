import { describe, expect, it } from 'vitest';
import { SIGNATURE_TYPE_ED25519, formatSignerKey, parseVerifierKey } from '@townhall/ledger';
import { ConfigError, loadConfig } from '../config/config.ts';
import { LogKeyring, parseLogSigningKey, resolveLogSeed } from './log-key.ts';

const seed = new Uint8Array(32).map((_, i) => i);

describe('TOWNHALL_LOG_SIGNING_KEY', () => {
  it('accepts a C2SP signer-key string or the base64 seed, and nothing else', () => {
    expect(parseLogSigningKey(formatSignerKey('any-name', SIGNATURE_TYPE_ED25519, seed))).toEqual(seed);
    expect(parseLogSigningKey(Buffer.from(seed).toString('base64'))).toEqual(seed);
    expect(() => parseLogSigningKey(Buffer.from(seed.slice(1)).toString('base64'))).toThrow(ConfigError);
    const wrongId = formatSignerKey('any-name', SIGNATURE_TYPE_ED25519, seed).replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    expect(() => parseLogSigningKey(wrongId)).toThrow(/key ID/);
  });

  it('keeps a generated key: the second start reads the first one back', async () => {
    const store = new Map<string, Uint8Array>();
    const repository = {
      readSecret: async (name: string) => store.get(name),
      insertSecretIfAbsent: async (name: string, value: Uint8Array) => {
        if (!store.has(name)) store.set(name, value);
        return store.get(name)!;
      },
    };
    const first = await resolveLogSeed(undefined, repository);
    expect(await resolveLogSeed(undefined, repository)).toEqual(first);
  });

  it('signs each log under its origin as key name', () => {
    const keyring = new LogKeyring(seed);
    const a = parseVerifierKey(keyring.verifierKey('h.example/townhall/registry'));
    const b = parseVerifierKey(keyring.verifierKey('h.example/townhall/election/x'));
    expect(a.name).toBe('h.example/townhall/registry');
    expect(a.publicKey).toEqual(b.publicKey);
    expect(a.keyId).not.toBe(b.keyId);
  });
});

describe('witness configuration', () => {
  const vkey = 'w1+0c0c3ed2+BAz6wpfV7KK00cunIjnyG+qDgMwmXfBVqWvxDT/3yo80';
  it('parses <verifier key>@<url> lists and defaults local witnesses on only without any', () => {
    const config = loadConfig({ TOWNHALL_WITNESSES: `${vkey}@https://w1.example/, ${vkey}@http://127.0.0.1:9000`, TOWNHALL_WITNESS_QUORUM: '2' });
    expect(config.ledger.witnesses).toEqual([
      { verifierKey: vkey, url: 'https://w1.example' },
      { verifierKey: vkey, url: 'http://127.0.0.1:9000' },
    ]);
    expect(config.ledger.localWitnesses).toBe(false);
    expect(loadConfig({}).ledger.localWitnesses).toBe(true);
  });
  it('names a malformed entry', () => {
    expect(() => loadConfig({ TOWNHALL_WITNESSES: 'not-a-key@ftp://x' })).toThrow(/TOWNHALL_WITNESSES/);
  });
});
