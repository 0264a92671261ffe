import { describe, expect, it } from 'vitest';
import type { Contest } from '@townhall/protocol';
import { contestError, optionFieldId, toggleSelection, validateBallot } from './ballot-form.ts';

const options = ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id.toUpperCase() }));
const single: Contest = { id: 'mayor', title: 'Mayor', options, minSelections: 1, maxSelections: 1 };
const upToTwo: Contest = { id: 'events', title: 'Events', options, minSelections: 0, maxSelections: 2 };
const twoOrThree: Contest = { id: 'council', title: 'Councillors', options, minSelections: 2, maxSelections: 3 };
const exactlyTwo: Contest = { id: 'pair', title: 'Pair', options, minSelections: 2, maxSelections: 2 };

describe('ballot form validation (min/max selections)', () => {
  it('asks for an answer to a single-choice contest', () => {
    expect(contestError(single, [])).toBe('Select an answer for “Mayor”');
    expect(contestError(single, ['b'])).toBeNull();
  });

  it('accepts anything from min to max and names the count otherwise', () => {
    expect(contestError(upToTwo, [])).toBeNull();
    expect(contestError(upToTwo, ['a', 'b'])).toBeNull();
    expect(contestError(upToTwo, ['a', 'b', 'c'])).toBe('Select no more than 2 answers for “Events”; you selected 3');
    expect(contestError(twoOrThree, ['a'])).toBe('Select at least 2 answers for “Councillors”; you selected 1');
    expect(contestError(twoOrThree, ['a', 'b', 'c', 'd'])).toBe('Select no more than 3 answers for “Councillors”; you selected 4');
    expect(contestError(exactlyTwo, ['a'])).toBe('Select 2 answers for “Pair”; you selected 1');
  });

  it('ignores option ids that are not on the ballot', () => {
    expect(contestError(twoOrThree, ['a', 'zzz'])).toBe('Select at least 2 answers for “Councillors”; you selected 1');
  });

  it('lists every problem in ballot order, each linked to its contest’s first option', () => {
    const errors = validateBallot([single, upToTwo, twoOrThree], { events: ['a', 'b', 'c'], council: ['a', 'b'] });
    expect(errors).toEqual([
      { fieldId: optionFieldId(single, 'a'), message: 'Select an answer for “Mayor”' },
      { fieldId: optionFieldId(upToTwo, 'a'), message: 'Select no more than 2 answers for “Events”; you selected 3' },
    ]);
    expect(validateBallot([single, upToTwo], { mayor: ['c'] })).toEqual([]);
  });

  it('replaces the answer of a radio contest and keeps ballot order for checkboxes', () => {
    let s = toggleSelection(single, {}, 'b', true);
    s = toggleSelection(single, s, 'c', true);
    expect(s.mayor).toEqual(['c']);
    let t = toggleSelection(upToTwo, {}, 'c', true);
    t = toggleSelection(upToTwo, t, 'a', true);
    expect(t.events).toEqual(['a', 'c']);
    expect(toggleSelection(upToTwo, t, 'c', false).events).toEqual(['a']);
  });
});
