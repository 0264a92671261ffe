import { decodeEntry, leafHash } from '@townhall/verifier';
import { fromBase64 } from './bytes.ts';

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
  electionId: string | null;
  keys: { origin: string; verifierKey: string } | null;
  /** RFC 9162 leaf hash of every entry, in order (32 bytes each: enough to check any receipt). */
  leafHashes: Uint8Array[];
  /** BallotCast entries by tracking code. */
  ballots: Map<string, BallotIndexEntry>;
  /** Ledger index of the last ballot of each ballot key before close (the counted set). */
  lastBallotOfKey: Map<string, number>;
  spoiled: Map<string, number>;
  closedAt: number | null;
}

type Body = Record<string, unknown>;
interface Manifest {
  title?: string;
  contests?: RecordFacts['contests'];
  eligibleDistricts?: string[];
}

/**
 * Builds the index line by line as the record streams past (the verifier library reads the same
 * lines for its checks): only leaf hashes and ballot keys are kept, never the entries themselves.
 */
export class RecordIndexer {
  readonly #ballots = new Map<string, BallotIndexEntry>();
  readonly #lastBallotOfKey = new Map<string, number>();
  readonly #spoiled = new Map<string, number>();
  readonly #leafHashes: Uint8Array[] = [];
  #closedAt: number | null = null;
  #manifest: Manifest | null = null;
  #roll: Record<string, number> | null = null;
  #credentialsIssued = 0;
  #ballotsCast = 0;
  #isTallied = false;
  #electionId: string | null = null;
  #keys: RecordIndex['keys'] = null;

  /** One line of the record file (JSON); lines that do not parse are the report's business. */
  addLine(text: string): void {
    if (text.length === 0) return;
    let line: { kind?: unknown; bytes?: unknown; electionId?: unknown; electionLog?: RecordIndex['keys'] };
    try {
      line = JSON.parse(text) as typeof line;
    } catch {
      return;
    }
    if (line.kind === 'record' && typeof line.electionId === 'string') this.#electionId = line.electionId;
    else if (line.kind === 'keys' && line.electionLog) this.#keys = { origin: String(line.electionLog.origin), verifierKey: String(line.electionLog.verifierKey) };
    else if ((line.kind === 'entry' || line.kind === 'registry-entry') && typeof line.bytes === 'string') {
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(line.bytes);
      } catch {
        return;
      }
      if (line.kind === 'entry') this.addEntry(bytes);
      else this.addRegistryEntry(bytes);
    }
  }

  addEntry(bytes: Uint8Array): void {
    const index = this.#leafHashes.length;
    this.#leafHashes.push(leafHash(bytes));
    let entry: { type: string; body: Body };
    try {
      entry = decodeEntry(bytes);
    } catch {
      return;
    }
    const body = entry.body;
    switch (entry.type) {
      case 'ElectionDefined':
        this.#manifest ??= (body.manifest as Manifest | undefined) ?? null;
        break;
      case 'CredentialIssued':
        this.#credentialsIssued++;
        break;
      case 'BallotCast': {
        const trackingCode = body.trackingCode;
        const ballotPublicKey = (body.credential as Body | undefined)?.ballotPublicKey;
        if (typeof trackingCode !== 'string' || typeof ballotPublicKey !== 'string') break;
        this.#ballotsCast++;
        if (!this.#ballots.has(trackingCode)) this.#ballots.set(trackingCode, { index, ballotPublicKey });
        if (this.#closedAt === null) this.#lastBallotOfKey.set(ballotPublicKey, index);
        break;
      }
      case 'BallotSpoiled':
        if (typeof body.trackingCode === 'string') this.#spoiled.set(body.trackingCode, index);
        break;
      case 'ElectionClosed':
        this.#closedAt ??= index;
        break;
      case 'TallyComputed':
        this.#isTallied = true;
        break;
    }
  }

  addRegistryEntry(bytes: Uint8Array): void {
    try {
      const entry = decodeEntry(bytes);
      if (entry.type === 'RollCommitted') this.#roll = (entry.body as { districts?: Record<string, number> }).districts ?? null;
    } catch {
      // The report's registry.inclusion check names the entry.
    }
  }

  finish(): RecordIndex {
    const manifest = this.#manifest;
    const roll = this.#roll;
    const ballots = [...this.#ballots.values()];
    const facts: RecordFacts = {
      title: manifest?.title ?? null,
      contests: (manifest?.contests ?? []).map((c) => ({ id: c.id, title: c.title, options: c.options.map((o) => ({ id: o.id, label: o.label })) })),
      eligibleElectors: roll ? (manifest?.eligibleDistricts ?? []).reduce((sum, district) => sum + (roll[district] ?? 0), 0) : null,
      credentialsIssued: this.#credentialsIssued,
      ballotsCast: this.#ballotsCast,
      voters: new Set(ballots.map((b) => b.ballotPublicKey)).size,
      spoiledBallots: this.#spoiled.size,
      countedBallots: this.#closedAt === null ? null : this.#lastBallotOfKey.size,
      isClosed: this.#closedAt !== null,
      isTallied: this.#isTallied,
    };
    return {
      facts,
      electionId: this.#electionId,
      keys: this.#keys,
      leafHashes: this.#leafHashes,
      ballots: this.#ballots,
      lastBallotOfKey: this.#lastBallotOfKey,
      spoiled: this.#spoiled,
      closedAt: this.#closedAt,
    };
  }
}

/** The index of a whole record text (tests, small files). */
export function indexRecordText(text: string): RecordIndex {
  const indexer = new RecordIndexer();
  for (const line of text.split('\n')) indexer.addLine(line);
  return indexer.finish();
}
