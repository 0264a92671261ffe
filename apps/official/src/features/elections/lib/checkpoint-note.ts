import { encodeHex, parseCheckpoint, parseNote } from '@townhall/ledger';

export interface CheckpointSummary {
  size: string;
  rootHash: string;
  /** Key names in the order they signed: the log's own key first, then the witnesses. */
  signers: string[];
}

/**
 * Who signed a published checkpoint (a C2SP signed note). The dashboard only names the signers;
 * checking their signatures is the verifier's job.
 */
export function readCheckpointNote(note: string): CheckpointSummary | null {
  try {
    const parsed = parseNote(note);
    const checkpoint = parseCheckpoint(parsed.text);
    return { size: checkpoint.size.toString(), rootHash: encodeHex(checkpoint.rootHash), signers: parsed.signatures.map((s) => s.name) };
  } catch {
    return null;
  }
}
