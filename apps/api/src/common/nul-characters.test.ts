import { describe, expect, it } from 'vitest';
import { findNulCharacter } from './nul-characters.ts';

describe('findNulCharacter', () => {
  it('names the path of the first NUL in a string, a key or a nested value', () => {
    expect(findNulCharacter('a\u0000b')).toBe('(root)');
    expect(findNulCharacter({ title: 'ok', contests: [{ id: 'x', options: [{ label: 'A\u0000' }] }] })).toBe('contests.0.options.0.label');
    expect(findNulCharacter({ ['k\u0000']: 1 })).toBe('k\u0000');
  });

  it('passes everything else, however deep', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(findNulCharacter(deep)).toBeNull();
    expect(findNulCharacter({ a: 1, b: null, c: true, d: ['\u0001', '🗳️', '\ud800'] })).toBeNull();
    expect(findNulCharacter(undefined)).toBeNull();
  });
});
