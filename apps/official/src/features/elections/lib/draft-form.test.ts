import { describe, expect, it } from 'vitest';
import { draftFromAnswers, emptyContest, errorsFromIssues, fieldForPath, validateDraft, type DraftAnswers } from './draft-form.ts';

const answers = (overrides: Partial<DraftAnswers> = {}): DraftAnswers => ({
  title: 'Parish poll',
  description: '',
  contests: [{ title: 'Mayor', options: 'Ada Lovelace\nGrace Hopper\n\n', minSelections: '1', maxSelections: '1' }],
  eligibleDistricts: ['CAS'],
  opensAt: '2030-01-01T09:00:00',
  closesAt: '2030-01-01T21:00:00',
  ...overrides,
});

describe('draft form', () => {
  it('turns answers into a valid draft with ids derived from labels', () => {
    const result = validateDraft(answers());
    expect(result.ok).toBe(true);
    const draft = draftFromAnswers(answers());
    expect(draft.contests[0]!.id).toBe('mayor');
    expect(draft.contests[0]!.options).toEqual([
      { id: 'ada-lovelace', label: 'Ada Lovelace' },
      { id: 'grace-hopper', label: 'Grace Hopper' },
    ]);
  });

  it('keeps option ids unique when two labels slug alike', () => {
    const draft = draftFromAnswers(answers({ contests: [{ ...emptyContest(), title: 'X', options: 'Yes!\nyes' }] }));
    expect(draft.contests[0]!.options.map((o) => o.id)).toEqual(['yes', 'yes-2']);
  });

  it('puts each problem on its field', () => {
    const result = validateDraft(
      answers({ title: ' ', eligibleDistricts: [], closesAt: '2029-01-01T09:00:00', contests: [{ title: 'Mayor', options: 'A', minSelections: '1', maxSelections: '2' }] }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { fieldId: 'title', message: 'give the election a title' },
        { fieldId: 'districts', message: 'choose at least one district' },
        { fieldId: 'closes-at', message: 'the election must close after it opens' },
        { fieldId: 'contest-0-max', message: 'maxSelections (2) must not exceed the number of options (1)' },
      ]),
    );
  });

  it('says a non-number count must be a whole number', () => {
    const result = validateDraft(answers({ contests: [{ title: 'Mayor', options: 'A\nB', minSelections: 'one', maxSelections: '1' }] }));
    expect(result.ok || result.errors).toContainEqual({ fieldId: 'contest-0-min', message: 'Minimum selections must be a whole number' });
  });

  it('maps server issue paths onto fields', () => {
    expect(fieldForPath('contests.2.options.1.id')).toBe('contest-2-options');
    expect(fieldForPath('schedule.opensAt')).toBe('opens-at');
    expect(fieldForPath('eligibleDistricts')).toBe('districts');
    expect(errorsFromIssues([{ path: 'eligibleDistricts', message: 'unknown district "ZZZ"' }])).toEqual([{ fieldId: 'districts', message: 'unknown district "ZZZ"' }]);
  });
});
