import { describe, expect, it } from 'vitest';
import { claimsInWords, claimWords } from './claim-words.ts';

describe('claims in plain words', () => {
  it('uses the protocol’s words, and the name of a claim it does not know', () => {
    expect(claimWords('address')).toBe('Your postcode');
    expect(claimWords('townhall:pets')).toBe('townhall:pets');
    expect(claimWords('toString')).toBe('toString');
  });

  it('lists claims as a sentence', () => {
    expect(claimsInWords([])).toBe('');
    expect(claimsInWords(['name'])).toBe('your name');
    expect(claimsInWords(['name', 'address', 'birthdate'])).toBe('your name, your postcode and your date of birth');
  });
});
