/**
 * C2SP tlog-cosignature (cosignature/v1, Ed25519, signature type 0x04): a witness's timestamped
 * statement that a checkpoint is the largest consistent tree head it has seen for the origin.
 * The signature is u64 big-endian timestamp ‖ 64-byte Ed25519 signature over
 * "cosignature/v1\ntime <timestamp>\n" ‖ checkpoint note text. Keys are in keys.ts.
 */
import { LedgerError } from './errors.ts';
import { SIGNATURE_TYPE_COSIGNATURE_V1, type NoteSigner } from './keys.ts';
import { formatSignatureLine, parseNote, signText, type NoteSignature } from './note.ts';

/**
 * Cosigns a checkpoint: `checkpoint` may be the note text or a signed note (the signatures are
 * not part of what is cosigned). Returns the signature; formatSignatureLine gives the line.
 */
export function cosignCheckpoint(checkpoint: string, signer: NoteSigner, timestamp: bigint): NoteSignature {
  if (signer.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new LedgerError('INVALID_ARGUMENT', 'a cosigner key has signature type 0x04', { argument: 'signer' });
  }
  const text = checkpoint.includes('\n\n') ? parseNote(checkpoint).text : checkpoint;
  return signText(text, signer, { timestamp });
}

/** The signature lines a witness returns from add-checkpoint. */
export function formatCosignatureLines(signatures: readonly NoteSignature[]): string {
  return signatures.map(formatSignatureLine).join('');
}
