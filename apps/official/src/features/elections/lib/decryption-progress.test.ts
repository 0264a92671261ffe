import { describe, expect, it } from 'vitest';
import { ballotsCounted, trusteesDecrypted } from './decryption-progress.ts';

describe('the decryption progress in words', () => {
  it('agrees the verb with the number of trustees who have decrypted', () => {
    expect(trusteesDecrypted(0, 2)).toBe('0 of 2 trustees needed have decrypted');
    expect(trusteesDecrypted(1, 2)).toBe('1 of 2 trustees needed has decrypted');
    expect(trusteesDecrypted(2, 3)).toBe('2 of 3 trustees needed have decrypted');
    expect(trusteesDecrypted(1, 2, { withThe: true })).toBe('1 of the 2 trustees needed has decrypted');
  });

  it('says "1 ballot is counted" and "6 ballots are counted"', () => {
    expect(ballotsCounted(1)).toBe('1 ballot is counted');
    expect(ballotsCounted(6)).toBe('6 ballots are counted');
    expect(ballotsCounted(0)).toBe('0 ballots are counted');
  });
});
