import type { ElectionEntryBodies, ElectionStatus } from './elections.ts';

type ElectionEntryType = keyof typeof ElectionEntryBodies;

/**
 * The one table of the election lifecycle (docs/protocol/elections.md §3): every change of an
 * election's status, the status it starts from, the one it reaches, and the entries appended to the
 * election's log in the same transaction, in log order. The server writes a new status only through
 * it (apps/api/src/elections/elections.repository.ts, `transition`); the independent verifier keeps
 * its own order of entries, which a test checks against this table and ELECTION_PHASE_ENTRIES.
 *
 * A halt appends nothing: trustees' verdicts and complaints are kept in Postgres only
 * (docs/decisions/0005-elections.md, known gaps).
 */
export const ELECTION_TRANSITIONS = {
  'start-ceremony': { from: 'draft', to: 'key-ceremony', entries: ['ElectionDefined'] },
  halt: { from: 'key-ceremony', to: 'halted', entries: [] },
  'publish-keys': { from: 'key-ceremony', to: 'ready', entries: ['ElectionKeyPublished', 'IssuerKeyPublished'] },
  open: { from: 'ready', to: 'open', entries: ['ElectionOpened'] },
  close: { from: 'open', to: 'closed', entries: ['ElectionClosed'] },
  tally: { from: 'closed', to: 'tallied', entries: ['TallyComputed'] },
  publish: { from: 'tallied', to: 'published', entries: ['ResultPublished'] },
} as const satisfies Record<string, { from: ElectionStatus; to: ElectionStatus; entries: readonly ElectionEntryType[] }>;
export type ElectionTransition = keyof typeof ELECTION_TRANSITIONS;

/**
 * The entries appended while an election stays in a status (elections.md §1), in log order; the
 * statuses not named append none. An election log is LogCreated, then along the transitions from
 * `draft`: each status's entries here, then the entries of the transition that leaves it.
 */
export const ELECTION_PHASE_ENTRIES = {
  'key-ceremony': ['TrusteeCommitted', 'TrusteeShareSent'],
  open: ['CredentialIssued', 'BallotCast', 'BallotSpoiled'],
  tallied: ['PartialDecryption'],
} as const satisfies Partial<Record<ElectionStatus, readonly ElectionEntryType[]>>;
