/**
 * The pure part of a C2SP tlog-witness: the add-checkpoint request body, and the decision a
 * witness takes on it given what it stored for the origin. The HTTP service around it must run
 * "read state → decide → persist newState" atomically per origin (tlog-witness, add-checkpoint).
 *
 *   old <size>\n
 *   <base64 consistency proof hash>\n     (0 to 63 lines)
 *   \n
 *   <signed checkpoint note>
 */
import { LedgerError, isLedgerError } from './errors.ts';
import { decodeBase64, decodeUtf8, encodeBase64, encodeHex, parseDecimalUint64, toUint64 } from './encoding.ts';
import { EMPTY_ROOT, HASH_SIZE, verifyConsistency } from './merkle.ts';
import { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.ts';
import { cosignCheckpoint, formatCosignatureLines } from './cosignature.ts';
import { SIGNATURE_TYPE_ED25519, type NoteSigner, type NoteVerifier } from './keys.ts';
import { MAX_NOTE_SIZE, openNote, parseNote, type NoteSignature } from './note.ts';

export const MAX_CONSISTENCY_PROOF_LINES = 63;
export const MAX_ADD_CHECKPOINT_BODY_SIZE = MAX_NOTE_SIZE + 8 * 1024;
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  readonly oldSize: bigint;
  readonly proof: readonly Uint8Array[];
  readonly checkpointNote: string;
}

function malformed(message: string, line?: number): LedgerError<'MALFORMED_REQUEST'> {
  return new LedgerError('MALFORMED_REQUEST', message, line === undefined ? {} : { line });
}

export function formatAddCheckpointRequest(request: { oldSize: bigint | number; proof: readonly Uint8Array[]; checkpointNote: string }): string {
  const oldSize = toUint64(request.oldSize, 'oldSize');
  if (request.proof.length > MAX_CONSISTENCY_PROOF_LINES) throw malformed(`at most ${MAX_CONSISTENCY_PROOF_LINES} consistency proof lines`);
  const proofLines = request.proof.map((hash) => {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw malformed('proof hashes are 32 bytes');
    return `${encodeBase64(hash)}\n`;
  });
  parseNote(request.checkpointNote);
  return `old ${oldSize}\n${proofLines.join('')}\n${request.checkpointNote}`;
}

export function parseAddCheckpointRequest(body: string | Uint8Array): AddCheckpointRequest {
  let text: string;
  if (body instanceof Uint8Array) {
    if (body.length > MAX_ADD_CHECKPOINT_BODY_SIZE) throw malformed('request body is too large');
    const decoded = decodeUtf8(body);
    if (decoded === undefined) throw malformed('request body is not UTF-8');
    text = decoded;
  } else if (typeof body === 'string') {
    if (body.length > MAX_ADD_CHECKPOINT_BODY_SIZE) throw malformed('request body is too large');
    text = body;
  } else {
    throw new LedgerError('INVALID_ARGUMENT', 'body is a string or bytes', { argument: 'body' });
  }
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw malformed('request has no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  const oldLine = lines[0]!;
  if (!oldLine.startsWith('old ')) throw malformed('first line must be "old <size>"', 1);
  const oldSize = parseDecimalUint64(oldLine.slice(4));
  if (oldSize === undefined) throw malformed('old size must be decimal with no leading zeroes', 1);
  const proofLines = lines.slice(1);
  if (proofLines.length > MAX_CONSISTENCY_PROOF_LINES) throw malformed(`more than ${MAX_CONSISTENCY_PROOF_LINES} consistency proof lines`);
  const proof = proofLines.map((line, i) => {
    const hash = decodeBase64(line);
    if (hash === undefined || hash.length !== HASH_SIZE) throw malformed('proof line is not base64 of a 32-byte hash', i + 2);
    return hash;
  });
  const checkpointNote = text.slice(blank + 2);
  try {
    parseNote(checkpointNote);
  } catch (cause) {
    throw new LedgerError('MALFORMED_REQUEST', `checkpoint is not a signed note: ${(cause as Error).message}`, {}, { cause });
  }
  return { oldSize, proof, checkpointNote };
}

/** What a witness keeps per origin: the latest checkpoint it cosigned. */
export interface WitnessLogState {
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  /** The cosigned checkpoint text, kept as evidence should the log ever equivocate. */
  readonly checkpoint?: string;
}

export interface WitnessedLog {
  /** The log's checkpoint keys (Ed25519, type 0x01) that this witness trusts for the origin. */
  readonly logKeys: readonly NoteVerifier[];
  /** null when the witness never cosigned for this origin. */
  readonly state: WitnessLogState | null;
}

export type AddCheckpointDecision =
  | {
      readonly status: 200;
      readonly contentType: 'text/plain; charset=utf-8';
      readonly body: string;
      readonly cosignatures: readonly NoteSignature[];
      readonly origin: string;
      /** Persist this (atomically with the check) before answering. */
      readonly newState: WitnessLogState;
    }
  | { readonly status: 409; readonly contentType: typeof TLOG_SIZE_CONTENT_TYPE; readonly body: string; readonly error: LedgerError }
  | { readonly status: 400 | 403 | 404 | 422; readonly contentType: 'text/plain; charset=utf-8'; readonly body: string; readonly error: LedgerError };

function reject(status: 400 | 403 | 404 | 422, error: LedgerError): AddCheckpointDecision {
  return { status, contentType: 'text/plain; charset=utf-8', body: `${error.message}\n`, error };
}

/**
 * Decides the answer to one add-checkpoint request, in the order tlog-witness gives: malformed
 * (400), unknown origin (404), no valid log signature (403), old size above the checkpoint's
 * (400), old size not the stored size (409 with the stored size), same size but another root
 * (409), consistency proof does not verify (422), otherwise 200 with the cosignature lines.
 */
export function decideAddCheckpoint(input: {
  readonly body: string | Uint8Array | AddCheckpointRequest;
  readonly lookupLog: (origin: string) => WitnessedLog | undefined;
  readonly cosigners: readonly NoteSigner[];
  /** POSIX seconds to put in the cosignatures. */
  readonly timestamp: bigint;
}): AddCheckpointDecision {
  let request: AddCheckpointRequest;
  let checkpoint: Checkpoint;
  try {
    request = typeof input.body === 'string' || input.body instanceof Uint8Array ? parseAddCheckpointRequest(input.body) : input.body;
    checkpoint = parseCheckpoint(parseNote(request.checkpointNote).text);
  } catch (error) {
    if (isLedgerError(error) && error.code !== 'INVALID_ARGUMENT') return reject(400, error);
    throw error;
  }
  const log = input.lookupLog(checkpoint.origin);
  if (log === undefined) {
    return reject(404, new LedgerError('ORIGIN_MISMATCH', `unknown origin ${checkpoint.origin}`, { expected: '', found: checkpoint.origin }));
  }
  try {
    openNote(request.checkpointNote, log.logKeys.filter((k) => k.type === SIGNATURE_TYPE_ED25519));
  } catch (error) {
    if (isLedgerError(error) && (error.code === 'UNKNOWN_KEY' || error.code === 'BAD_SIGNATURE' || error.code === 'AMBIGUOUS_KEY')) return reject(403, error);
    throw error;
  }
  if (request.oldSize > checkpoint.size) {
    return reject(400, new LedgerError('INDEX_OUT_OF_RANGE', `old size ${request.oldSize} exceeds checkpoint size ${checkpoint.size}`, { index: request.oldSize, size: checkpoint.size }));
  }
  const storedSize = log.state?.size ?? 0n;
  const storedRoot = log.state?.rootHash ?? EMPTY_ROOT;
  const conflict = (error: LedgerError): AddCheckpointDecision => ({ status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${storedSize}\n`, error });
  if (request.oldSize !== storedSize) {
    return conflict(new LedgerError('INDEX_OUT_OF_RANGE', `old size ${request.oldSize} is not the latest cosigned size ${storedSize}`, { index: request.oldSize, size: storedSize }));
  }
  if (request.oldSize === checkpoint.size && request.oldSize !== 0n && !equalRoots(storedRoot, checkpoint.rootHash)) {
    const older = log.state?.checkpoint ?? formatCheckpoint({ origin: checkpoint.origin, size: storedSize, rootHash: storedRoot });
    return conflict(new LedgerError('INCONSISTENT_CHECKPOINTS', `two roots for size ${storedSize}: ${encodeHex(storedRoot)} and ${encodeHex(checkpoint.rootHash)}`, {
      older,
      newer: formatCheckpoint(checkpoint),
    }));
  }
  try {
    verifyConsistency(request.oldSize, checkpoint.size, request.proof, storedRoot, checkpoint.rootHash);
  } catch (error) {
    if (isLedgerError(error)) return reject(422, error);
    throw error;
  }
  const cosignatures = input.cosigners.map((signer) => cosignCheckpoint(request.checkpointNote, signer, input.timestamp));
  return {
    status: 200,
    contentType: 'text/plain; charset=utf-8',
    body: formatCosignatureLines(cosignatures),
    cosignatures,
    origin: checkpoint.origin,
    newState: { size: checkpoint.size, rootHash: checkpoint.rootHash.slice(), checkpoint: formatCheckpoint(checkpoint) },
  };
}

function equalRoots(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
