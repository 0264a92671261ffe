// Known-answer tests against RFC 9496 Appendix A (ristretto255).
import { describe, expect, it } from 'vitest';
import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { CryptoError, G, IDENTITY, decodePoint, encodePoint, fromHex, multiplyBase, pointFromHex, toHex } from '../src/index.ts';
import multiples from './vectors/rfc9496/multiples-of-generator.json' with { type: 'json' };
import invalid from './vectors/rfc9496/invalid-encodings.json' with { type: 'json' };
import derivation from './vectors/rfc9496/element-derivation.json' with { type: 'json' };

describe('RFC 9496 A.1 multiples of the generator', () => {
  it('encodes [k]B for k = 0..15 exactly as the RFC lists', () => {
    let point = IDENTITY;
    multiples.encodings.forEach((expected, k) => {
      expect(toHex(encodePoint(point)), `[${k}]B by repeated addition`).toBe(expected);
      expect(toHex(encodePoint(k === 0 ? IDENTITY : multiplyBase(BigInt(k)))), `[${k}]B by scalar multiplication`).toBe(expected);
      point = point.add(G);
    });
  });

  it('decodes each encoding back to the same element and re-encodes it byte for byte', () => {
    multiples.encodings.forEach((hex, k) => {
      const decoded = decodePoint(fromHex(hex), 'vector', { allowIdentity: true });
      expect(decoded.equals(k === 0 ? IDENTITY : multiplyBase(BigInt(k)))).toBe(true);
      expect(toHex(encodePoint(decoded))).toBe(hex);
    });
  });

  it('rejects the identity encoding unless the caller allows it', () => {
    expect(() => pointFromHex(multiples.encodings[0]!)).toThrowError(expect.objectContaining({ code: 'IDENTITY_POINT' }));
  });
});

describe('RFC 9496 A.2 invalid encodings', () => {
  for (const [group, encodings] of Object.entries(invalid.groups)) {
    it(`rejects every ${group} encoding with NON_CANONICAL_POINT`, () => {
      for (const hex of encodings) {
        let caught: unknown;
        try {
          decodePoint(fromHex(hex), 'vector', { allowIdentity: true });
        } catch (error) {
          caught = error;
        }
        expect(caught, hex).toBeInstanceOf(CryptoError);
        expect((caught as CryptoError).code, hex).toBe('NON_CANONICAL_POINT');
        expect((caught as CryptoError).field).toBe('vector');
      }
    });
  }
});

describe('RFC 9496 A.3 element derivation (the group library we build on)', () => {
  it('maps each 64-byte input to the listed element', () => {
    for (const { input, output } of derivation.pairs) {
      expect(toHex(encodePoint(ristretto255_hasher.deriveToCurve!(fromHex(input))))).toBe(output);
    }
  });
});
