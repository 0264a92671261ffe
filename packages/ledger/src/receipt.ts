/**
 * Receipts in the C2SP tlog-proof@v1 text format, verifiable offline with the log's key and a
 * witness policy:
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <decimal>
 *   <base64 inclusion proof hash>        (zero or more, leaf's sibling first)
 *   <blank line>
 *   <signed, cosigned checkpoint note>
 */
import { LedgerError } from './errors.ts';
import { decodeBase64, encodeBase64, parseDecimalUint64, toUint64 } from './encoding.ts';
import { HASH_SIZE, verifyInclusion } from './merkle.ts';
import { generateInclusionProof, type NodeHashSource } from './proofs.ts';
import { openCheckpoint, openCheckpointAsync, type Checkpoint, type OpenedCheckpoint } from './checkpoint.ts';
import { SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519, formatKeyId, type NoteVerifier } from './keys.ts';
import { entryLeafHash } from './entry.ts';
import { parseNote, type VerifiedSignature } from './note.ts';

export const RECEIPT_HEADER = 'c2sp.org/tlog-proof@v1';

export interface Receipt {
  readonly index: bigint;
  readonly proof: readonly Uint8Array[];
  /** The checkpoint note, verbatim (text, blank line, signature lines). */
  readonly checkpointNote: string;
  /** Opaque, unauthenticated extra data; Townhall puts the entry bytes here when asked to. */
  readonly extra?: Uint8Array;
}

function malformed(message: string, line?: number): LedgerError<'MALFORMED_PROOF'> {
  return new LedgerError('MALFORMED_PROOF', message, line === undefined ? {} : { line });
}

export function formatReceipt(receipt: Receipt): string {
  const index = toUint64(receipt.index, 'index');
  const lines = [RECEIPT_HEADER];
  if (receipt.extra !== undefined) lines.push(`extra ${encodeBase64(receipt.extra)}`);
  lines.push(`index ${index}`);
  for (const hash of receipt.proof) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw malformed('proof hashes are 32 bytes');
    lines.push(encodeBase64(hash));
  }
  parseNote(receipt.checkpointNote); // the checkpoint must itself be a well-formed note
  return `${lines.join('\n')}\n\n${receipt.checkpointNote}`;
}

export function parseReceipt(text: string): Receipt {
  if (typeof text !== 'string') throw new LedgerError('INVALID_ARGUMENT', 'a receipt is a string', { argument: 'text' });
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw malformed('receipt has no blank line before its checkpoint');
  const lines = text.slice(0, blank).split('\n');
  const checkpointNote = text.slice(blank + 2);
  if (lines[0] !== RECEIPT_HEADER) throw malformed(`first line must be ${RECEIPT_HEADER}`, 1);
  let cursor = 1;
  let extra: Uint8Array | undefined;
  if (lines[cursor]?.startsWith('extra ')) {
    extra = decodeBase64(lines[cursor]!.slice('extra '.length));
    if (extra === undefined) throw malformed('extra data is not base64', cursor + 1);
    cursor++;
  }
  const indexLine = lines[cursor];
  if (indexLine === undefined || !indexLine.startsWith('index ')) throw malformed('missing "index <n>" line', cursor + 1);
  const index = parseDecimalUint64(indexLine.slice('index '.length));
  if (index === undefined) throw malformed('index must be decimal with no leading zeroes', cursor + 1);
  cursor++;
  if (lines.length - cursor > 64) throw malformed('an inclusion proof has at most 64 hashes');
  const proof = lines.slice(cursor).map((line, i) => {
    const hash = decodeBase64(line);
    if (hash === undefined || hash.length !== HASH_SIZE) throw malformed('proof line is not base64 of a 32-byte hash', cursor + i + 1);
    return hash;
  });
  parseNote(checkpointNote);
  return { index, proof, checkpointNote, ...(extra === undefined ? {} : { extra }) };
}

/**
 * Makes a receipt for leaf `index` against a published (signed and cosigned) checkpoint note,
 * with the inclusion proof read from `source`.
 */
export async function createReceipt(
  source: NodeHashSource,
  index: bigint | number,
  checkpointNote: string,
  options?: { extra?: Uint8Array },
): Promise<string> {
  const { text } = parseNote(checkpointNote);
  const lines = text.split('\n');
  const size = parseDecimalUint64(lines[1] ?? '');
  if (size === undefined) throw new LedgerError('MALFORMED_CHECKPOINT', 'checkpoint size line is not a decimal size', { line: 2 });
  const proof = await generateInclusionProof(source, index, size);
  return formatReceipt({ index: toUint64(index, 'index'), proof, checkpointNote, ...(options?.extra === undefined ? {} : { extra: options.extra }) });
}

export interface WitnessPolicy {
  /** Cosigner verifiers (signature type 0x04). */
  readonly witnesses: readonly NoteVerifier[];
  /** How many distinct witnesses must have cosigned. 0 accepts an uncosigned checkpoint. */
  readonly threshold: number;
}

export interface VerifiedReceipt {
  readonly index: bigint;
  readonly leafHash: Uint8Array;
  readonly checkpoint: Checkpoint;
  readonly logSignatures: readonly VerifiedSignature[];
  readonly cosignatures: readonly VerifiedSignature[];
  readonly extra?: Uint8Array;
}

export interface VerifyReceiptOptions {
  readonly origin: string;
  readonly logKeys: readonly NoteVerifier[];
  readonly policy: WitnessPolicy;
  readonly entry?: Uint8Array;
  readonly leafHash?: Uint8Array;
}

function prepareReceipt(receiptText: string, options: VerifyReceiptOptions): Receipt {
  const { logKeys, policy } = options;
  if (logKeys.length === 0 || logKeys.some((k) => k.type !== SIGNATURE_TYPE_ED25519)) {
    throw new LedgerError('INVALID_ARGUMENT', 'log keys are one or more Ed25519 (type 0x01) verifiers', { argument: 'logKeys' });
  }
  if (policy.witnesses.some((w) => w.type !== SIGNATURE_TYPE_COSIGNATURE_V1) || !Number.isInteger(policy.threshold) || policy.threshold < 0 || policy.threshold > policy.witnesses.length) {
    throw new LedgerError('INVALID_ARGUMENT', 'policy is cosignature (type 0x04) keys and a threshold between 0 and their number', { argument: 'policy' });
  }
  return parseReceipt(receiptText);
}

function finishReceipt(receipt: Receipt, opened: OpenedCheckpoint, options: VerifyReceiptOptions): VerifiedReceipt {
  const { policy } = options;
  const logSignatures = opened.verified.filter((s) => s.type === SIGNATURE_TYPE_ED25519);
  const cosignatures = opened.verified.filter((s) => s.type === SIGNATURE_TYPE_COSIGNATURE_V1);
  if (logSignatures.length === 0) {
    throw new LedgerError('UNKNOWN_KEY', 'checkpoint is not signed by the log', {
      signers: opened.verified.map(({ name, keyId }) => ({ name, keyId })),
    });
  }
  if (cosignatures.length < policy.threshold) {
    throw new LedgerError('WITNESS_POLICY_UNMET', `${cosignatures.length} of the required ${policy.threshold} witnesses cosigned`, {
      required: policy.threshold,
      verified: cosignatures.map((s) => `${s.name}+${formatKeyId(s.keyId)}`),
    });
  }
  let leafHash: Uint8Array;
  if (options.leafHash !== undefined) leafHash = options.leafHash;
  else if (options.entry !== undefined) leafHash = entryLeafHash(options.entry);
  else if (receipt.extra !== undefined) leafHash = entryLeafHash(receipt.extra);
  else throw new LedgerError('INVALID_ARGUMENT', 'give the entry or its leaf hash, or a receipt carrying the entry as extra data', { argument: 'entry' });
  verifyInclusion(leafHash, receipt.index, opened.checkpoint.size, receipt.proof, opened.checkpoint.rootHash);
  return {
    index: receipt.index,
    leafHash,
    checkpoint: opened.checkpoint,
    logSignatures,
    cosignatures,
    ...(receipt.extra === undefined ? {} : { extra: receipt.extra }),
  };
}

/**
 * Offline verification: the log signed the checkpoint, at least `threshold` of the given
 * witnesses cosigned it, its origin is the expected one, and the entry (or leaf hash) is included
 * at `index`. Without `entry` and `leafHash`, the extra data is taken as the entry bytes.
 */
export function verifyReceipt(receiptText: string, options: VerifyReceiptOptions): VerifiedReceipt {
  const receipt = prepareReceipt(receiptText, options);
  const opened = openCheckpoint(receipt.checkpointNote, [...options.logKeys, ...options.policy.witnesses], { origin: options.origin });
  return finishReceipt(receipt, opened, options);
}

/** verifyReceipt with the signatures checked concurrently through WebCrypto where available. */
export async function verifyReceiptAsync(receiptText: string, options: VerifyReceiptOptions): Promise<VerifiedReceipt> {
  const receipt = prepareReceipt(receiptText, options);
  const opened = await openCheckpointAsync(receipt.checkpointNote, [...options.logKeys, ...options.policy.witnesses], { origin: options.origin });
  return finishReceipt(receipt, opened, options);
}
