import type { ElectionSummary } from '@townhall/protocol';
import { formatDateTime } from '@townhall/web-ui';

/**
 * An election's state as a resident meets it: not open yet, open, closed and being counted, result
 * published — or stopped (its key ceremony halted). The officials' phases (key ceremony, ready;
 * closed, tallied) are the same thing to a resident.
 */
export type ResidentPhase = 'upcoming' | 'open' | 'counting' | 'published' | 'stopped';

export function residentPhase(status: ElectionSummary['status']): ResidentPhase {
  switch (status) {
    case 'open':
      return 'open';
    case 'closed':
    case 'tallied':
      return 'counting';
    case 'published':
      return 'published';
    case 'halted':
      return 'stopped';
    default:
      return 'upcoming';
  }
}

export const PHASE_TAG: Record<ResidentPhase, { text: string; className: string }> = {
  upcoming: { text: 'Upcoming', className: 'govuk-tag--blue' },
  open: { text: 'Open', className: 'govuk-tag--green' },
  counting: { text: 'Closed — counting', className: 'govuk-tag--yellow' },
  published: { text: 'Result published', className: 'govuk-tag--turquoise' },
  stopped: { text: 'Stopped', className: 'govuk-tag--grey' },
};

type Timing = Pick<ElectionSummary, 'status' | 'opensAt' | 'closesAt' | 'closedAt'>;

/** When voting closed, in words: the actual close (an official may close early), else the scheduled one. */
export function closedWords(election: Timing): string {
  const at = election.closedAt ?? election.closesAt;
  const isEarly = election.closedAt !== null && Date.parse(election.closedAt) < Date.parse(election.closesAt);
  return `Voting closed${isEarly ? ' early,' : ''} on ${formatDateTime(at)}`;
}

/** The election's state in a sentence: "Open for voting until …", "Voting closed on …: the votes are being counted". */
export function describeElectionState(election: Timing): string {
  switch (residentPhase(election.status)) {
    case 'open':
      return `Open for voting until ${formatDateTime(election.closesAt)}`;
    case 'counting':
      return `${closedWords(election)}. The votes are being counted`;
    case 'published':
      return `${closedWords(election)}. The result is published`;
    case 'stopped':
      return 'This election was stopped before voting opened';
    default:
      return `Voting opens on ${formatDateTime(election.opensAt)} and closes on ${formatDateTime(election.closesAt)}`;
  }
}

/** Where a resident goes from a list: the ballot while the election is open, else the election's page (its state and result). */
export function electionHref(election: Pick<ElectionSummary, 'id' | 'status'>): string {
  return election.status === 'open' ? `/elections/${election.id}/vote` : `/elections/${election.id}`;
}
