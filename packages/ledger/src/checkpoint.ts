/**
 * C2SP tlog-checkpoint: the note text that commits to a tree head, and Townhall's origin names.
 *
 *   <origin>\n<tree size, decimal>\n<base64 root hash>\n[<extension line>\n]*
 */
import { LedgerError } from './errors.ts';
import { decodeBase64, encodeBase64, parseDecimalUint64, toUint64 } from './encoding.ts';
import { HASH_SIZE } from './merkle.ts';
import { openNote, openNoteAsync, signNote, type OpenedNote } from './note.ts';
import type { NoteSigner, NoteVerifier } from './keys.ts';

export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  /** Opaque extension lines (not recommended; Townhall does not use them). */
  readonly extensions: readonly string[];
}

function malformed(message: string, line?: number): LedgerError<'MALFORMED_CHECKPOINT'> {
  return new LedgerError('MALFORMED_CHECKPOINT', message, line === undefined ? {} : { line });
}

export function formatCheckpoint(checkpoint: { origin: string; size: bigint | number; rootHash: Uint8Array; extensions?: readonly string[] }): string {
  const { origin, rootHash } = checkpoint;
  const extensions = checkpoint.extensions ?? [];
  if (typeof origin !== 'string' || origin.length === 0 || /[\n\u0000-\u001f]/.test(origin)) throw malformed('origin must be a non-empty line');
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) throw malformed('root hash must be 32 bytes');
  for (const line of extensions) {
    if (typeof line !== 'string' || line.length === 0 || /[\n\u0000-\u001f]/.test(line)) throw malformed('extension lines must be non-empty lines');
  }
  const size = toUint64(checkpoint.size, 'size');
  return [origin, size.toString(), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses checkpoint note text (not a whole signed note). */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw malformed('checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('checkpoint needs an origin, a size and a root hash');
  const emptyAt = lines.findIndex((line) => line.length === 0);
  if (emptyAt >= 0) throw malformed('checkpoint lines must be non-empty', emptyAt + 1);
  if (/[\u0000-\u001f]/.test(text.replaceAll('\n', ''))) throw malformed('checkpoint contains a control character');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  const size = parseDecimalUint64(sizeText);
  if (size === undefined) throw malformed('tree size must be decimal with no leading zeroes', 2);
  const rootHash = decodeBase64(rootText);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) throw malformed('root hash must be base64 of 32 bytes', 3);
  return { origin, size, rootHash, extensions };
}

/** Signs a checkpoint with the log's key(s); the key name should equal the origin. */
export function signCheckpoint(checkpoint: Parameters<typeof formatCheckpoint>[0], signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

export interface OpenedCheckpoint extends OpenedNote {
  readonly checkpoint: Checkpoint;
}

/**
 * Verifies a signed checkpoint with the given keys (log keys, and witness keys if cosignatures
 * should be checked too) and parses it. With `origin`, a different origin line is ORIGIN_MISMATCH.
 */
export function openCheckpoint(note: string | Uint8Array, verifiers: readonly NoteVerifier[], options?: { origin?: string }): OpenedCheckpoint {
  return checkOrigin(openNote(note, verifiers), options?.origin);
}

/** openCheckpoint with signatures checked through WebCrypto where available. */
export async function openCheckpointAsync(note: string | Uint8Array, verifiers: readonly NoteVerifier[], options?: { origin?: string }): Promise<OpenedCheckpoint> {
  return checkOrigin(await openNoteAsync(note, verifiers), options?.origin);
}

function checkOrigin(opened: OpenedNote, origin: string | undefined): OpenedCheckpoint {
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new LedgerError('ORIGIN_MISMATCH', `checkpoint is for ${checkpoint.origin}, expected ${origin}`, {
      expected: origin,
      found: checkpoint.origin,
    });
  }
  return { ...opened, checkpoint };
}

const ORIGIN_PART = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;

function assertHost(host: string): void {
  if (typeof host !== 'string' || !HOST.test(host)) {
    throw new LedgerError('INVALID_ARGUMENT', 'deployment host must be a lower-case host name, optionally with a port, no scheme', { argument: 'host' });
  }
}

/** `<host>/townhall/registry` — the origin (and log key name) of a deployment's identity log. */
export function registryLogOrigin(host: string): string {
  assertHost(host);
  return `${host}/townhall/registry`;
}

/** `<host>/townhall/election/<id>` — the origin (and log key name) of one election's log. */
export function electionLogOrigin(host: string, electionId: string): string {
  assertHost(host);
  if (typeof electionId !== 'string' || !ORIGIN_PART.test(electionId)) {
    throw new LedgerError('INVALID_ARGUMENT', 'election id must be letters, digits, ".", "_", "~" or "-"', { argument: 'electionId' });
  }
  return `${host}/townhall/election/${electionId}`;
}

/** `<host>/townhall/contract/<id>` — the origin (and log key name) of one repairs contract's log. */
export function contractLogOrigin(host: string, contractId: string): string {
  assertHost(host);
  if (typeof contractId !== 'string' || !ORIGIN_PART.test(contractId)) {
    throw new LedgerError('INVALID_ARGUMENT', 'contract id must be letters, digits, ".", "_", "~" or "-"', { argument: 'contractId' });
  }
  return `${host}/townhall/contract/${contractId}`;
}
