import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../src/bytes.ts';

// record.md §2: entry bytes are standard base64 with padding, and exactly one text encodes given bytes.
describe('strict base64', () => {
  it('decodes canonical text and round-trips bytes of every length mod 3', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 64, 65, 66]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
    expect(Array.from(fromBase64('QUJD'))).toEqual([65, 66, 67]);
  });

  it.each([
    ['non-zero pad bits', 'AB=='],
    ['non-zero pad bits before one =', 'AAF='],
    ['missing padding', 'AA'],
    ['whitespace', 'A A='],
    ['a trailing newline', 'AA==\n'],
    ['characters outside the alphabet', '****'],
    ['the URL-safe alphabet', '-_8='],
    ['padding in the middle', 'AA==AA=='],
  ])('refuses %s', (_, text) => {
    expect(() => fromBase64(text)).toThrow(/not strict base64/);
  });
});
