/**
 * The log's side of C2SP tlog-witness `add-checkpoint`: POST `<witness URL>/add-checkpoint` with
 * the witness's last known size, a consistency proof from it, and the signed checkpoint.
 */
import { formatAddCheckpointRequest, formatSignatureLine, parseNote, type NoteVerifier } from '@townhall/ledger';

export type AddCheckpointResult =
  | { readonly kind: 'cosigned'; readonly signatureLine: string }
  /** 409: the witness's latest cosigned size is another one; retry from it. */
  | { readonly kind: 'conflict'; readonly witnessSize: bigint }
  | { readonly kind: 'refused'; readonly status: number; readonly message: string };

export async function addCheckpoint(input: {
  readonly url: string;
  readonly witness: NoteVerifier;
  readonly oldSize: bigint;
  readonly proof: readonly Uint8Array[];
  readonly checkpointNote: string;
  readonly timeoutMs?: number;
}): Promise<AddCheckpointResult> {
  const response = await fetch(`${input.url}/add-checkpoint`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: formatAddCheckpointRequest({ oldSize: input.oldSize, proof: input.proof, checkpointNote: input.checkpointNote }),
    signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  if (response.status === 409) {
    const size = /^(0|[1-9][0-9]*)\n$/.exec(text);
    if (size) return { kind: 'conflict', witnessSize: BigInt(size[1]!) };
    return { kind: 'refused', status: 409, message: 'the witness answered 409 without a tree size' };
  }
  if (response.status !== 200) return { kind: 'refused', status: response.status, message: text.trim().slice(0, 500) };
  // The body is one or more signature lines; keep the one that verifies under this witness's key.
  const { text: checkpointText } = parseNote(input.checkpointNote);
  const { signatures } = parseNote(`${checkpointText}\n${text}`);
  const message = new TextEncoder().encode(checkpointText);
  const mine = signatures.find((s) => s.name === input.witness.name && s.keyId === input.witness.keyId && input.witness.verify(message, s.signature));
  if (!mine) return { kind: 'refused', status: 200, message: 'the witness returned no valid cosignature under its configured key' };
  return { kind: 'cosigned', signatureLine: formatSignatureLine(mine) };
}
