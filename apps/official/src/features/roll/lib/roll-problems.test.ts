import { describe, expect, it } from 'vitest';
import { columnLabel, readRollProblems, sentence } from './roll-problems.ts';

describe('readRollProblems', () => {
  it('splits the "<line>.<column>" path of each ROLL_INVALID issue', () => {
    expect(
      readRollProblems([
        { path: '3.date_of_birth', message: '"31/02/1980" is not a date' },
        { path: '1.(file)', message: 'missing column "district"' },
        { path: '12.(row)', message: 'has 6 fields, the header has 7' },
      ]),
    ).toEqual([
      { line: 3, column: 'date_of_birth', message: '"31/02/1980" is not a date' },
      { line: 1, column: '(file)', message: 'missing column "district"' },
      { line: 12, column: '(row)', message: 'has 6 fields, the header has 7' },
    ]);
  });

  it('keeps an issue without a line number rather than dropping it', () => {
    expect(readRollProblems([{ path: '', message: 'the file is empty' }])).toEqual([{ line: null, column: '(file)', message: 'the file is empty' }]);
  });

  it('labels file and row problems for people', () => {
    expect(columnLabel('(file)')).toBe('Whole file');
    expect(columnLabel('postcode')).toBe('postcode');
    expect(sentence('unknown district "XX"')).toBe('Unknown district "XX"');
  });
});
