import { decodeEntry, decodeHex, parseVerifierKey, verifyReceiptAsync } from '@townhall/ledger';
import { z } from 'zod';
import type { LogKeys } from '@townhall/protocol';

export const RECEIPT_FORMAT = 'townhall/ballot-receipt';

/** The downloadable receipt: the tracking code, where the ballot sits in the election's log, and the C2SP proof. */
export const BallotReceiptFile = z.object({
  format: z.literal(RECEIPT_FORMAT),
  version: z.literal(1),
  electionId: z.uuid(),
  electionTitle: z.string(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  trackingCode: z.string().regex(/^[0-9a-f]{64}$/),
  shortCode: z.string(),
  ledgerIndex: z.string(),
  leafHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** C2SP tlog-proof text (inclusion proof + signed, cosigned checkpoint, the entry as extra data). */
  proof: z.string().nullable(),
  /** The election log's keys when the receipt was made, so the file verifies without asking the server. */
  ledger: z.object({ origin: z.string(), log: z.string(), witnesses: z.array(z.string()), quorum: z.number().int().min(0) }).nullable(),
});
export type BallotReceiptFile = z.infer<typeof BallotReceiptFile>;

export function receiptFileText(receipt: BallotReceiptFile): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

export function parseReceiptFile(text: string): BallotReceiptFile | null {
  try {
    const parsed = BallotReceiptFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * What checking a receipt needs of a log's keys: GET /ledger/:log/keys answers these (LogKeys) and
 * more (each witness's address), and a receipt file carries only these.
 */
export type ReceiptLogKeys = Pick<LogKeys, 'origin' | 'log'> & {
  witnessPolicy: Pick<LogKeys['witnessPolicy'], 'quorum' | 'isEnforced'> & { witnesses: Pick<LogKeys['witnessPolicy']['witnesses'][number], 'name' | 'verifierKey'>[] };
};

/** The receipt's copy of the log keys, as the verification options take them. */
export function keysOfReceipt(ledger: NonNullable<BallotReceiptFile['ledger']>): ReceiptLogKeys {
  return {
    origin: ledger.origin,
    log: ledger.log,
    witnessPolicy: { quorum: ledger.quorum, isEnforced: ledger.quorum > 0, witnesses: ledger.witnesses.map((verifierKey) => ({ name: verifierKey.split('+')[0] ?? '', verifierKey })) },
  };
}

export function receiptLedgerOf(keys: ReceiptLogKeys): NonNullable<BallotReceiptFile['ledger']> {
  return {
    origin: keys.origin,
    log: keys.log,
    witnesses: keys.witnessPolicy.witnesses.map((w) => w.verifierKey),
    quorum: keys.witnessPolicy.isEnforced ? keys.witnessPolicy.quorum : 0,
  };
}

export const sameLedgerKeys = (a: ReceiptLogKeys, b: ReceiptLogKeys) => JSON.stringify(receiptLedgerOf(a)) === JSON.stringify(receiptLedgerOf(b));

export type ReceiptCheck =
  | { status: 'verified'; index: string; treeSize: string; cosignatures: number }
  | { status: 'failed'; reason: string };

/**
 * Checks the proof in this browser: the election log signed the checkpoint, the witness quorum
 * cosigned it, the entry the receipt carries is in the tree at its index, and that entry is the
 * BallotCast of this tracking code. With `leafHash` (from a receipt file) the carried entry must
 * also hash to it.
 */
export async function checkReceipt(proof: string, keys: ReceiptLogKeys, expected: { trackingCode: string; leafHash?: string }): Promise<ReceiptCheck> {
  try {
    const witnesses = keys.witnessPolicy.witnesses.map((w) => parseVerifierKey(w.verifierKey));
    const options = {
      origin: keys.origin,
      logKeys: [parseVerifierKey(keys.log)],
      policy: { witnesses, threshold: keys.witnessPolicy.isEnforced ? keys.witnessPolicy.quorum : 0 },
    };
    const verified = await verifyReceiptAsync(proof, options);
    if (expected.leafHash !== undefined) {
      const leafHash = decodeHex(expected.leafHash);
      if (!leafHash || leafHash.length !== verified.leafHash.length || leafHash.some((b, i) => b !== verified.leafHash[i])) {
        return { status: 'failed', reason: 'the receipt’s proof is for another ledger entry' };
      }
    }
    if (!verified.extra) return { status: 'failed', reason: 'the receipt does not carry the ballot’s ledger entry' };
    const entry = decodeEntry(verified.extra);
    const body = entry.body as { trackingCode?: unknown };
    if (entry.type !== 'BallotCast' || body.trackingCode !== expected.trackingCode) {
      return { status: 'failed', reason: 'the proven ledger entry is not this ballot' };
    }
    return { status: 'verified', index: verified.index.toString(), treeSize: verified.checkpoint.size.toString(), cosignatures: verified.cosignatures.length };
  } catch (error) {
    return { status: 'failed', reason: error instanceof Error ? error.message : 'the receipt does not verify' };
  }
}
