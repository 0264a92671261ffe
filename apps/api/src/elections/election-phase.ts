import type { ElectionStatus } from '@townhall/protocol';
import { AppError } from '../common/app-error.ts';

/**
 * How ELECTION_WRONG_PHASE names a status a step needs: as the step needs it, why (said when a
 * request is first checked; not on the re-check inside the append's transaction, which fails only
 * when another request moved the election meanwhile), and once an election has left it.
 */
const PHASE_WORDS: Record<ElectionStatus, { needed: string; why?: string; left: string }> = {
  draft: { needed: 'a draft', left: 'no longer a draft' },
  'key-ceremony': { needed: 'in the key ceremony', left: 'past the key ceremony' },
  halted: { needed: 'halted', left: 'no longer halted' },
  ready: { needed: 'ready', why: 'key ceremony complete', left: 'no longer ready' },
  open: { needed: 'open', left: 'no longer open' },
  closed: { needed: 'closed', left: 'no longer closed' },
  tallied: { needed: 'tallied', why: 'the aggregate computed', left: 'no longer tallied' },
  published: { needed: 'published', left: 'no longer published' },
};

/** `status` is the election's, or what became of it ("no longer open"); `needed` what the step needs. */
export function wrongPhase(status: string, needed: string): AppError {
  return new AppError('ELECTION_WRONG_PHASE', `This election is ${status.replace('-', ' ')}; that needs it to be ${needed}.`);
}

/** An election row as read (missing: deleted meanwhile, "gone"). */
type Phased = { status: string } | null | undefined;

function check(election: Phased, allowed: readonly ElectionStatus[], withWhy: boolean): void {
  const status = election?.status ?? 'gone';
  if ((allowed as readonly string[]).includes(status)) return;
  const needed = allowed.map((s) => {
    const words = PHASE_WORDS[s];
    return withWhy && words.why ? `${words.needed} (${words.why})` : words.needed;
  });
  throw wrongPhase(status, needed.join(' or '));
}

/** Before the work of a step: the election must be in one of the `allowed` statuses (elections.md §3). */
export function requirePhase(election: Phased, ...allowed: ElectionStatus[]): void {
  check(election, allowed, true);
}

/** The same check again, on the row read inside the append's transaction (the status may have moved since). */
export function recheckPhase(election: Phased, ...allowed: ElectionStatus[]): void {
  check(election, allowed, false);
}

/** A transition's `UPDATE … WHERE status = from` found the election moved on: another request took it first. */
export function noLonger(status: ElectionStatus): AppError {
  return wrongPhase(PHASE_WORDS[status].left, PHASE_WORDS[status].needed);
}
