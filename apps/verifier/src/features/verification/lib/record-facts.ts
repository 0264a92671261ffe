import { decodeEntry, type ElectionRecord } from '@townhall/verifier';

/**
 * What the results page shows beside the report, read from the record's entries: the contests'
 * names, turnout figures and every ballot's tracking code. Nothing here is a verdict — entries
 * that do not decode are simply left out (the report says why they are wrong).
 */
export interface RecordFacts {
  title: string | null;
  contests: { id: string; title: string; options: { id: string; label: string }[] }[];
  /** Electors of the election's districts per the registry's RollCommitted; null without one. */
  eligibleElectors: number | null;
  credentialsIssued: number;
  ballotsCast: number;
  /** Distinct ballot keys that cast a ballot (each voter's last ballot is the one that counts). */
  voters: number;
  spoiledBallots: number;
  /** The counted set's size once the election closed (last ballot per key before close); null before. */
  countedBallots: number | null;
  isClosed: boolean;
  isTallied: boolean;
}

export interface BallotIndexEntry {
  index: number;
  ballotPublicKey: string;
}

export interface RecordIndex {
  facts: RecordFacts;
  /** BallotCast entries by tracking code. */
  ballots: Map<string, BallotIndexEntry>;
  /** Ledger index of the last ballot of each ballot key before close (the counted set). */
  lastBallotOfKey: Map<string, number>;
  spoiled: Map<string, number>;
  closedAt: number | null;
}

type Body = Record<string, unknown>;

export function indexRecord(record: ElectionRecord): RecordIndex {
  const ballots = new Map<string, BallotIndexEntry>();
  const lastBallotOfKey = new Map<string, number>();
  const spoiled = new Map<string, number>();
  let closedAt: number | null = null;
  let definition: Body | null = null;
  let credentialsIssued = 0;
  let ballotsCast = 0;
  let isTallied = false;
  record.entries.forEach(({ bytes }, index) => {
    let entry: { type: string; body: Body };
    try {
      entry = decodeEntry(bytes);
    } catch {
      return;
    }
    const body = entry.body;
    switch (entry.type) {
      case 'ElectionDefined':
        definition ??= body;
        break;
      case 'CredentialIssued':
        credentialsIssued++;
        break;
      case 'BallotCast': {
        const trackingCode = body.trackingCode;
        const ballotPublicKey = (body.credential as Body | undefined)?.ballotPublicKey;
        if (typeof trackingCode !== 'string' || typeof ballotPublicKey !== 'string') break;
        ballotsCast++;
        if (!ballots.has(trackingCode)) ballots.set(trackingCode, { index, ballotPublicKey });
        if (closedAt === null) lastBallotOfKey.set(ballotPublicKey, index);
        break;
      }
      case 'BallotSpoiled':
        if (typeof body.trackingCode === 'string') spoiled.set(body.trackingCode, index);
        break;
      case 'ElectionClosed':
        closedAt ??= index;
        break;
      case 'TallyComputed':
        isTallied = true;
        break;
    }
  });
  const manifest = (definition as Body | null)?.manifest as
    | { title?: string; contests?: RecordFacts['contests']; eligibleDistricts?: string[] }
    | undefined;
  const facts: RecordFacts = {
    title: manifest?.title ?? null,
    contests: (manifest?.contests ?? []).map((c) => ({ id: c.id, title: c.title, options: c.options.map((o) => ({ id: o.id, label: o.label })) })),
    eligibleElectors: eligibleElectors(record, manifest?.eligibleDistricts ?? []),
    credentialsIssued,
    ballotsCast,
    voters: new Set([...ballots.values()].map((b) => b.ballotPublicKey)).size,
    spoiledBallots: spoiled.size,
    countedBallots: closedAt === null ? null : lastBallotOfKey.size,
    isClosed: closedAt !== null,
    isTallied,
  };
  return { facts, ballots, lastBallotOfKey, spoiled, closedAt };
}

function eligibleElectors(record: ElectionRecord, districts: readonly string[]): number | null {
  let roll: Record<string, number> | null = null;
  for (const { bytes } of record.registryEntries) {
    try {
      const entry = decodeEntry(bytes);
      if (entry.type === 'RollCommitted') roll = (entry.body as { districts?: Record<string, number> }).districts ?? null;
    } catch {
      // The report's registry.inclusion check names the entry.
    }
  }
  if (!roll) return null;
  return districts.reduce((sum, district) => sum + (roll[district] ?? 0), 0);
}
