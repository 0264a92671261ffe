/**
 * C2SP signed-note: parsing, formatting, signing and opening (verifying) notes.
 *
 *   <text, ending in a newline>
 *   <blank line>
 *   — <key name> <base64(4-byte key ID ‖ signature)>      (one or more lines)
 */
import { LedgerError } from './errors.ts';
import { concatBytes, decodeBase64, decodeUtf8, encodeBase64, encodeUtf8 } from './encoding.ts';
import { COSIGNATURE_SIZE, SIGNATURE_TYPE_COSIGNATURE_V1, formatKeyId, isValidKeyName, type NoteSigner, type NoteVerifier, type SignatureType } from './keys.ts';
import { readUint64BE } from './encoding.ts';

/** The spec requires accepting at least 16; golang.org/x/mod/sumdb/note stops at 100. */
export const MAX_NOTE_SIGNATURES = 100;
/** Upper bound on a whole note, so a hostile note cannot make a verifier do unbounded work. */
export const MAX_NOTE_SIZE = 1 << 20;

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the key ID. */
  readonly signature: Uint8Array;
}

export interface ParsedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface VerifiedSignature extends NoteSignature {
  readonly type: SignatureType;
  /** For cosignature/v1 signatures: the cosigner's POSIX timestamp. */
  readonly timestamp?: bigint;
}

export interface OpenedNote {
  readonly text: string;
  /** Signatures from known keys, all verified, one per key. */
  readonly verified: readonly VerifiedSignature[];
  /** Signatures from keys the caller did not supply (ignored, as the spec requires). */
  readonly unverified: readonly NoteSignature[];
}

function malformed(message: string, line?: number): LedgerError<'MALFORMED_NOTE'> {
  return new LedgerError('MALFORMED_NOTE', message, line === undefined ? {} : { line });
}

function toNoteString(note: string | Uint8Array): string {
  if (note instanceof Uint8Array) {
    if (note.length > MAX_NOTE_SIZE) throw malformed(`note is larger than ${MAX_NOTE_SIZE} bytes`);
    const text = decodeUtf8(note);
    if (text === undefined) throw malformed('note is not valid UTF-8');
    return text;
  }
  if (typeof note !== 'string') throw new LedgerError('INVALID_ARGUMENT', 'a note is a string or UTF-8 bytes', { argument: 'note' });
  if (/\p{Cs}/u.test(note)) throw malformed('note is not valid UTF-8 (lone surrogate)');
  if (note.length > MAX_NOTE_SIZE) throw malformed(`note is larger than ${MAX_NOTE_SIZE} bytes`);
  return note;
}

/** Checks the text part of a note: UTF-8, no control characters but newline, ends in a newline. */
export function assertNoteText(text: string): void {
  if (typeof text !== 'string' || text.length === 0 || !text.endsWith('\n')) throw malformed('note text must end with a newline');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('note text contains a control character');
  if (/\p{Cs}/u.test(text)) throw malformed('note text is not valid UTF-8 (lone surrogate)');
}

/** Syntax only: splits a note into its text and signature lines. Verifies nothing. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const message = toNoteString(note);
  if (/[\u0000-\u0009\u000b-\u001f]/.test(message)) throw malformed('note contains a control character');
  if (!message.endsWith('\n')) throw malformed('note must end with a newline');
  // The text is separated from the signatures by the last empty line.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('note has no blank line before its signatures');
  const text = message.slice(0, split + 1);
  const lines = message.slice(split + 2, -1).split('\n');
  const textLineCount = text.split('\n').length;
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line, i): NoteSignature => {
    const lineNumber = textLineCount + 1 + i;
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('signature line must start with an em dash and a space', lineNumber);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) throw malformed('signature line must be "— <name> <base64>"', lineNumber);
    const name = rest.slice(0, space);
    if (!isValidKeyName(name)) throw malformed('signature line has an invalid key name', lineNumber);
    const bytes = decodeBase64(rest.slice(space + 1));
    if (bytes === undefined || bytes.length < 5) throw malformed('signature is not base64 of a key ID and a signature', lineNumber);
    const keyId = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    return { name, keyId, signature: bytes.slice(4) };
  });
  return { text, signatures };
}

/** `— <name> <base64(key ID ‖ signature)>\n` */
export function formatSignatureLine(signature: NoteSignature): string {
  if (!isValidKeyName(signature.name)) throw malformed('invalid key name');
  const id = Uint8Array.of(signature.keyId >>> 24, (signature.keyId >>> 16) & 0xff, (signature.keyId >>> 8) & 0xff, signature.keyId & 0xff);
  return `${SIGNATURE_PREFIX}${signature.name} ${encodeBase64(concatBytes(id, signature.signature))}\n`;
}

export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  assertNoteText(text);
  if (signatures.length === 0) throw malformed('a signed note needs at least one signature');
  if (signatures.length > MAX_NOTE_SIGNATURES) throw malformed(`note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  return `${text}\n${signatures.map(formatSignatureLine).join('')}`;
}

/** One signature by `signer` over `text`. */
export function signText(text: string, signer: NoteSigner, options?: { timestamp?: bigint }): NoteSignature {
  assertNoteText(text);
  return { name: signer.name, keyId: signer.keyId, signature: signer.sign(encodeUtf8(text), options) };
}

/** Signs `text` with every signer and returns the note. */
export function signNote(text: string, signers: readonly NoteSigner[], options?: { timestamp?: bigint }): string {
  return formatNote(text, signers.map((signer) => signText(text, signer, options)));
}

/** Adds signature lines (e.g. a witness's add-checkpoint response) to a note, dropping exact duplicates. */
export function addSignatures(note: string, signatures: readonly NoteSignature[]): string {
  const parsed = parseNote(note);
  const lines = new Set(parsed.signatures.map(formatSignatureLine));
  for (const s of signatures) lines.add(formatSignatureLine(s));
  if (lines.size > MAX_NOTE_SIGNATURES) throw malformed(`note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  return `${parsed.text}\n${[...lines].join('')}`;
}

const keyOf = (name: string, keyId: number) => `${name}+${formatKeyId(keyId)}`;

interface OpenPlan {
  readonly parsed: ParsedNote;
  readonly textBytes: Uint8Array;
  readonly checks: readonly { readonly signature: NoteSignature; readonly verifier: NoteVerifier }[];
  readonly unverified: readonly NoteSignature[];
}

function planOpen(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenPlan {
  const parsed = parseNote(note);
  const known = new Map<string, NoteVerifier[]>();
  for (const v of verifiers) {
    const key = keyOf(v.name, v.keyId);
    known.set(key, [...(known.get(key) ?? []), v]);
  }
  const checks: { signature: NoteSignature; verifier: NoteVerifier }[] = [];
  const unverified: NoteSignature[] = [];
  const seenUnverified = new Set<string>();
  for (const sig of parsed.signatures) {
    const key = keyOf(sig.name, sig.keyId);
    const candidates = known.get(key);
    if (candidates === undefined) {
      const line = formatSignatureLine(sig);
      if (!seenUnverified.has(line)) {
        seenUnverified.add(line);
        unverified.push(sig);
      }
      continue;
    }
    if (candidates.length > 1) throw new LedgerError('AMBIGUOUS_KEY', `more than one known key is ${key}`, { name: sig.name, keyId: sig.keyId });
    checks.push({ signature: sig, verifier: candidates[0]! });
  }
  return { parsed, textBytes: encodeUtf8(parsed.text), checks, unverified };
}

function finishOpen(plan: OpenPlan, results: readonly boolean[]): OpenedNote {
  const verified: VerifiedSignature[] = [];
  const seenVerified = new Set<string>();
  plan.checks.forEach(({ signature: sig, verifier }, i) => {
    const key = keyOf(sig.name, sig.keyId);
    if (!results[i]) throw new LedgerError('BAD_SIGNATURE', `invalid signature for key ${key}`, { name: sig.name, keyId: sig.keyId });
    if (seenVerified.has(key)) return;
    seenVerified.add(key);
    const isCosignature = verifier.type === SIGNATURE_TYPE_COSIGNATURE_V1 && sig.signature.length === COSIGNATURE_SIZE;
    verified.push({ ...sig, type: verifier.type, ...(isCosignature ? { timestamp: readUint64BE(sig.signature, 0) } : {}) });
  });
  if (verified.length === 0) {
    throw new LedgerError('UNKNOWN_KEY', 'note has no signature from a known key', {
      signers: plan.parsed.signatures.map(({ name, keyId }) => ({ name, keyId })),
    });
  }
  return { text: plan.parsed.text, verified, unverified: plan.unverified };
}

/**
 * Verifies a note against known keys (C2SP signed-note "Signatures"): signatures from unknown
 * keys are ignored; a known key whose signature fails rejects the whole note (BAD_SIGNATURE);
 * two known keys with the same name and ID are AMBIGUOUS_KEY; no verified signature is UNKNOWN_KEY.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const plan = planOpen(note, verifiers);
  return finishOpen(plan, plan.checks.map(({ signature, verifier }) => verifier.verify(plan.textBytes, signature.signature)));
}

/** openNote with the signatures checked concurrently through WebCrypto where available. */
export async function openNoteAsync(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): Promise<OpenedNote> {
  const plan = planOpen(note, verifiers);
  return finishOpen(plan, await Promise.all(plan.checks.map(({ signature, verifier }) => verifier.verifyAsync(plan.textBytes, signature.signature))));
}
