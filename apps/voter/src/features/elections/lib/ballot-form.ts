import type { Contest } from '@townhall/protocol';
import { type FieldError } from '@townhall/web-ui';

/** What the voter has ticked: contest id → option ids, in the ballot's option order. */
export type Selections = Record<string, string[]>;

export const contestFieldId = (contest: Pick<Contest, 'id'>) => `contest-${contest.id}`;
/** The first input of a contest: where the error summary's link takes the voter. */
export const optionFieldId = (contest: Pick<Contest, 'id'>, optionId: string) => `contest-${contest.id}-${optionId}`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The message for one contest, or null when its selection is within [min, max]. */
export function contestError(contest: Contest, selected: readonly string[]): string | null {
  const count = selected.filter((id) => contest.options.some((o) => o.id === id)).length;
  const { minSelections: min, maxSelections: max } = contest;
  if (count < min) {
    if (max === 1) return `Select an answer for “${contest.title}”`;
    return min === max
      ? `Select ${plural(min, 'answer')} for “${contest.title}”; you selected ${count}`
      : `Select at least ${plural(min, 'answer')} for “${contest.title}”; you selected ${count}`;
  }
  if (count > max) return `Select no more than ${plural(max, 'answer')} for “${contest.title}”; you selected ${count}`;
  return null;
}

/** Every contest's problem, in ballot order, linked to the contest's first option. */
export function validateBallot(contests: readonly Contest[], selections: Selections): FieldError[] {
  return contests.flatMap((contest) => {
    const message = contestError(contest, selections[contest.id] ?? []);
    return message ? [{ fieldId: optionFieldId(contest, contest.options[0]!.id), message }] : [];
  });
}

/** Toggles one option; a single-choice contest (max 1) replaces its answer, as radios do. */
export function toggleSelection(contest: Contest, selections: Selections, optionId: string, checked: boolean): Selections {
  const current = selections[contest.id] ?? [];
  let next: string[];
  if (contest.maxSelections === 1) next = checked ? [optionId] : current.filter((id) => id !== optionId);
  else next = checked ? [...new Set([...current, optionId])] : current.filter((id) => id !== optionId);
  // Keep the ballot's option order, so the summary and the encryption see the same list.
  next = contest.options.map((o) => o.id).filter((id) => next.includes(id));
  return { ...selections, [contest.id]: next };
}

/** The labels the voter chose in a contest, for "check your answers" and the opened ballot. */
export function describeChoices(contest: Contest, selected: readonly string[]): string[] {
  return contest.options.filter((o) => selected.includes(o.id)).map((o) => o.label);
}
