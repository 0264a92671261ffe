import { decodeEntry, leafHash, parseCheckpoint, parseNote, parseVerifierKey, rootFromInclusionPath, treeRoot, verifyLogSignature } from '@townhall/verifier';
import { z } from 'zod';
import { fromBase64, toHex } from './bytes.ts';
import type { RecordIndex } from './record-facts.ts';

/**
 * "Check a tracking code or receipt" against a loaded record, with no server: is the ballot in the
 * record, and after close, is it in the counted set (each ballot key's last ballot before close)?
 * A receipt is also checked offline: its entry is the record's entry at its index, its checkpoint
 * is signed by the record's log key and is the Merkle root of the record's first `size` entries,
 * and its inclusion proof runs to that root (ledger.md §6, record.md §4).
 */

export const RECEIPT_FORMAT = 'townhall/ballot-receipt';

/** The receipt file apps/voter offers after a cast (its `BallotReceiptFile`). */
export const BallotReceiptFile = z.object({
  format: z.literal(RECEIPT_FORMAT),
  version: z.literal(1),
  electionId: z.string(),
  electionTitle: z.string(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  trackingCode: z.string().regex(/^[0-9a-f]{64}$/),
  shortCode: z.string(),
  ledgerIndex: z.string().regex(/^(0|[1-9][0-9]*)$/),
  leafHash: z.string().regex(/^[0-9a-f]{64}$/),
  proof: z.string().nullable(),
  ledger: z.object({ origin: z.string(), log: z.string(), witnesses: z.array(z.string()), quorum: z.number().int().min(0) }).nullable(),
});
export type BallotReceiptFile = z.infer<typeof BallotReceiptFile>;

export type CountedStatus = 'counted' | 'superseded' | 'after-close' | 'not-closed';

export type BallotLookup =
  | { found: false; reason: 'not-in-record' | 'spoiled'; trackingCode: string; spoiledAt?: number }
  /** The start of a code (the short code a voter is shown) that several ballots' codes share: more digits are needed. */
  | { found: false; reason: 'ambiguous'; trackingCode: string; matches: number }
  | {
      found: true;
      trackingCode: string;
      index: number;
      counted: CountedStatus;
      /** Present when a receipt was checked: what held and what did not. */
      receipt?: { isValid: boolean; problems: string[]; checkpointSize: string | null };
    };

/**
 * `trackingCode` is the whole code (64 hex digits) or its start: the short code a voter is shown
 * (`bdd48321d517`, from `BDD4-8321-D517`) or more. A start names the one ballot (cast or audited)
 * whose code begins so; when several do, the answer says so, and the page asks for more digits.
 */
export function findBallot(index: RecordIndex, trackingCode: string): BallotLookup {
  if (trackingCode.length < 64) {
    const matches = new Set([...index.ballots.keys(), ...index.spoiled.keys()].filter((code) => code.startsWith(trackingCode)));
    if (matches.size === 0) return { found: false, reason: 'not-in-record', trackingCode };
    if (matches.size > 1) return { found: false, reason: 'ambiguous', trackingCode, matches: matches.size };
    trackingCode = [...matches][0]!;
  }
  const ballot = index.ballots.get(trackingCode);
  if (!ballot) {
    const spoiledAt = index.spoiled.get(trackingCode);
    return spoiledAt === undefined ? { found: false, reason: 'not-in-record', trackingCode } : { found: false, reason: 'spoiled', trackingCode, spoiledAt };
  }
  let counted: CountedStatus;
  if (index.closedAt === null) counted = 'not-closed';
  else if (ballot.index > index.closedAt) counted = 'after-close';
  else counted = index.lastBallotOfKey.get(ballot.ballotPublicKey) === ballot.index ? 'counted' : 'superseded';
  return { found: true, trackingCode, index: ballot.index, counted };
}

export function parseReceiptText(text: string): BallotReceiptFile | null {
  try {
    const parsed = BallotReceiptFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function checkReceipt(index: RecordIndex, receipt: BallotReceiptFile): BallotLookup {
  const lookup = findBallot(index, receipt.trackingCode);
  if (!lookup.found) return lookup;
  const problems: string[] = [];
  let checkpointSize: string | null = null;
  if (index.electionId !== null && receipt.electionId !== index.electionId) problems.push('The receipt is for another election than this record.');
  if (receipt.ledgerIndex !== String(lookup.index)) problems.push(`The receipt puts the ballot at ledger entry ${receipt.ledgerIndex}, the record at entry ${lookup.index}.`);
  const leaf = index.leafHashes[lookup.index]!;
  if (toHex(leaf) !== receipt.leafHash) problems.push('The receipt’s leaf hash is not the hash of the record’s entry for this ballot.');
  const keys = index.keys;
  if (receipt.ledger && keys && (receipt.ledger.origin !== keys.origin || receipt.ledger.log !== keys.verifierKey)) {
    problems.push('The receipt names other ledger keys than the record.');
  }
  if (receipt.proof === null) {
    problems.push('The receipt has no inclusion proof yet (no checkpoint covered the ballot when it was saved).');
  } else if (keys) {
    try {
      const proof = parseTlogProof(receipt.proof);
      const note = parseNote(proof.note);
      const checkpoint = parseCheckpoint(note.text);
      checkpointSize = checkpoint.size.toString();
      if (checkpoint.origin !== keys.origin) problems.push('The receipt’s checkpoint is for another log.');
      if (verifyLogSignature(note, parseVerifierKey(keys.verifierKey)) !== true) problems.push('The receipt’s checkpoint is not signed by the record’s log key.');
      if (proof.extra && toHex(leafHash(proof.extra)) !== receipt.leafHash) problems.push('The entry carried in the receipt’s proof is not this ballot’s entry.');
      if (proof.extra) {
        const carried = decodeEntry(proof.extra);
        if (carried.type !== 'BallotCast' || carried.body.trackingCode !== receipt.trackingCode) problems.push('The entry carried in the receipt is not this ballot.');
      }
      if (proof.index !== BigInt(lookup.index)) problems.push('The receipt’s proof is for another ledger position.');
      const root = rootFromInclusionPath(leaf, proof.index, checkpoint.size, proof.path);
      if (!root || toHex(root) !== toHex(checkpoint.root)) problems.push('The receipt’s inclusion proof does not lead to its checkpoint’s root.');
      if (checkpoint.size > BigInt(index.leafHashes.length)) {
        problems.push(`The receipt’s checkpoint covers ${checkpoint.size} entries, more than the record holds.`);
      } else {
        // The checkpoint must describe the record's own history: its root is the root of the record's first `size` entries.
        const recomputed = treeRoot(index.leafHashes.slice(0, Number(checkpoint.size)));
        if (toHex(recomputed) !== toHex(checkpoint.root)) problems.push('The receipt’s checkpoint does not match the record’s entries: the log shown to you and the record differ.');
      }
    } catch (error) {
      problems.push(`The receipt’s proof cannot be read: ${(error as Error).message}`);
    }
  }
  return { ...lookup, receipt: { isValid: problems.length === 0, problems, checkpointSize } };
}

/** C2SP tlog-proof (ledger.md §6): header, optional extra, index, hashes, blank line, the checkpoint note. */
function parseTlogProof(text: string): { extra: Uint8Array | null; index: bigint; path: Uint8Array[]; note: string } {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('no checkpoint after the proof');
  const lines = text.slice(0, split).split('\n');
  if (lines.shift() !== 'c2sp.org/tlog-proof@v1') throw new Error('not a c2sp.org/tlog-proof@v1 proof');
  let extra: Uint8Array | null = null;
  if (lines[0]?.startsWith('extra ')) extra = fromBase64(lines.shift()!.slice('extra '.length));
  const indexLine = lines.shift() ?? '';
  if (!/^index (0|[1-9][0-9]*)$/.test(indexLine)) throw new Error('no index line');
  return { extra, index: BigInt(indexLine.slice('index '.length)), path: lines.map(fromBase64), note: text.slice(split + 2) };
}
