import { ElectionDraft, type ElectionDetail, type ValidationIssue } from '@townhall/protocol';
import { type FieldError } from '@townhall/web-ui';

/** What the official types: one contest block per contest, options one per line. */
export interface ContestAnswers {
  title: string;
  options: string;
  minSelections: string;
  maxSelections: string;
}

export interface DraftAnswers {
  title: string;
  description: string;
  contests: ContestAnswers[];
  eligibleDistricts: string[];
  /** `datetime-local` values, in the browser's time zone. */
  opensAt: string;
  closesAt: string;
}

export const emptyContest = (): ContestAnswers => ({ title: '', options: '', minSelections: '1', maxSelections: '1' });

/** Field ids: the error summary links to them, and server issues are mapped onto them. */
export const fieldIds = {
  title: 'title',
  description: 'description',
  districts: 'districts',
  opensAt: 'opens-at',
  closesAt: 'closes-at',
  contestTitle: (i: number) => `contest-${i}-title`,
  contestOptions: (i: number) => `contest-${i}-options`,
  contestMin: (i: number) => `contest-${i}-min`,
  contestMax: (i: number) => `contest-${i}-max`,
};

/** Ids the ledger will carry: lower-case words joined by hyphens, made unique within their list. */
export function identifierFor(label: string, taken: Set<string>): string {
  const base = label.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'item';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

const splitLines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

function toIso(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function toCount(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

export function answersFromElection(election: ElectionDetail): DraftAnswers {
  return {
    title: election.title,
    description: election.description,
    contests: election.contests.map((contest) => ({
      title: contest.title,
      options: contest.options.map((option) => option.label).join('\n'),
      minSelections: String(contest.minSelections),
      maxSelections: String(contest.maxSelections),
    })),
    eligibleDistricts: [...election.eligibleDistricts],
    opensAt: toLocalInput(election.opensAt),
    closesAt: toLocalInput(election.closesAt),
  };
}

export function draftFromAnswers(answers: DraftAnswers): ElectionDraft {
  const contestIds = new Set<string>();
  return {
    title: answers.title,
    description: answers.description,
    contests: answers.contests.map((contest) => {
      const optionIds = new Set<string>();
      return {
        id: identifierFor(contest.title, contestIds),
        title: contest.title,
        options: splitLines(contest.options).map((label) => ({ id: identifierFor(label, optionIds), label })),
        minSelections: toCount(contest.minSelections),
        maxSelections: toCount(contest.maxSelections),
      };
    }),
    eligibleDistricts: answers.eligibleDistricts,
    schedule: { opensAt: toIso(answers.opensAt), closesAt: toIso(answers.closesAt) },
  };
}

/** Puts a protocol issue path (`contests.0.maxSelections`) on the field that answers it. */
export function fieldForPath(path: string): string | null {
  const [head, index, field] = path.split('.');
  if (head === 'title' || head === 'description') return fieldIds[head];
  if (head === 'eligibleDistricts') return fieldIds.districts;
  if (head === 'schedule') return index === 'opensAt' ? fieldIds.opensAt : fieldIds.closesAt;
  if (head === 'contests') {
    const i = Number(index);
    if (!Number.isInteger(i)) return fieldIds.contestTitle(0);
    if (field === 'options') return fieldIds.contestOptions(i);
    if (field === 'minSelections') return fieldIds.contestMin(i);
    if (field === 'maxSelections') return fieldIds.contestMax(i);
    return fieldIds.contestTitle(i);
  }
  return null;
}

const FRIENDLY: Record<string, string> = {
  'Invalid input: expected number, received NaN': 'Enter a whole number',
};

function describeIssue(issue: ValidationIssue): FieldError {
  const fieldId = fieldForPath(issue.path);
  let message = FRIENDLY[issue.message] ?? issue.message;
  if (issue.path.startsWith('schedule') && /datetime/i.test(message)) message = 'Enter a date and time';
  if (/^contests\.\d+\.(minSelections|maxSelections)$/.test(issue.path) && message === 'Enter a whole number') {
    message = `${issue.path.endsWith('minSelections') ? 'Minimum' : 'Maximum'} selections must be a whole number`;
  }
  return { fieldId, message };
}

/** One message per field (the first), in page order, for the summary and the fields. */
export function errorsFromIssues(issues: readonly ValidationIssue[]): FieldError[] {
  const seen = new Set<string | null>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const error = describeIssue(issue);
    if (error.fieldId !== null && seen.has(error.fieldId)) continue;
    seen.add(error.fieldId);
    errors.push(error);
  }
  return errors;
}

/** The same rules as the server (the protocol's schema), checked before sending. */
export function validateDraft(answers: DraftAnswers): { ok: true; draft: ElectionDraft } | { ok: false; errors: FieldError[] } {
  const draft = draftFromAnswers(answers);
  const parsed = ElectionDraft.safeParse(draft);
  if (parsed.success) return { ok: true, draft };
  return { ok: false, errors: errorsFromIssues(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))) };
}
