import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import '../src/node-fast-paths.ts';
import { sha256 } from '../src/hash.ts';

describe('SHA-256 in Node (node:crypto, installed by the Node entries)', () => {
  it('gives @noble’s digests as plain 32-byte Uint8Arrays, whatever the input length', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 1000, 100_000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      const digest = sha256(data);
      expect(digest).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(digest)).toBe(false);
      expect(digest).toEqual(nobleSha256(data));
    }
  });

  it('hashes a view of a larger buffer, not the whole buffer', () => {
    const whole = globalThis.crypto.getRandomValues(new Uint8Array(96));
    expect(sha256(whole.subarray(16, 48))).toEqual(nobleSha256(whole.slice(16, 48)));
  });
});
