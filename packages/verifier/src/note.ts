import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from './hash.ts';
import { concatBytes, equalBytes, fromBase64, utf8 } from './bytes.ts';
import { verifyEd25519 } from './signatures.ts';

// C2SP signed-note, tlog-checkpoint and tlog-cosignature as fixed by ledger.md §4.

export const KEY_TYPE_ED25519 = 0x01;
export const KEY_TYPE_COSIGNATURE = 0x04;

export interface VerifierKey {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly type: number;
  readonly publicKey: Uint8Array;
  readonly text: string;
}

/** `<name>+<8 hex key ID>+<base64(type ‖ key)>`; the key ID is recomputed (ledger.md §4.1). */
export function parseVerifierKey(text: string): VerifierKey {
  // Names contain no '+' (ledger.md §4.2), so the first two '+' delimit the fields; base64 may contain more.
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/u.exec(text);
  if (!match) throw new TypeError('verifier key: expected <name>+<8 hex key ID>+<base64>');
  const [, name, hexId, encoded] = match as unknown as [string, string, string, string];
  const raw = fromBase64(encoded);
  if (raw.length !== 33) throw new TypeError('verifier key: expected type byte and 32-byte key');
  const type = raw[0]!;
  if (type !== KEY_TYPE_ED25519 && type !== KEY_TYPE_COSIGNATURE) throw new TypeError(`verifier key: unsupported type ${type}`);
  const publicKey = raw.slice(1);
  const point = ed25519.Point.fromBytes(publicKey);
  if (point.isSmallOrder()) throw new TypeError('verifier key: small-order public key');
  const keyId = keyIdOf(name, type, publicKey);
  if (Array.from(keyId, (b) => b.toString(16).padStart(2, '0')).join('') !== hexId) throw new TypeError('verifier key: key ID does not match the key');
  return { name, keyId, type, publicKey, text };
}

export const keyIdOf = (name: string, type: number, publicKey: Uint8Array): Uint8Array => sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey)).slice(0, 4);

export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

export interface Note {
  readonly text: string;
  readonly signatures: NoteSignature[];
}

export function parseNote(note: string): Note {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new TypeError('note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const signatures = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
      if (!match) throw new TypeError(`note: bad signature line "${line.slice(0, 60)}"`);
      const raw = fromBase64(match[2]!);
      if (raw.length < 5) throw new TypeError('note: signature too short');
      return { name: match[1]!, keyId: raw.slice(0, 4), signature: raw.slice(4) };
    });
  if (signatures.length === 0 || signatures.length > 100) throw new TypeError('note: 1–100 signatures expected');
  return { text, signatures };
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  readonly root: Uint8Array;
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines.at(-1) !== '') throw new TypeError('checkpoint: expected origin, size, root');
  const [origin, size, root] = lines as [string, string, string];
  if (!/^(0|[1-9][0-9]{0,19})$/.test(size) || BigInt(size) >= 2n ** 64n) throw new TypeError('checkpoint: bad size');
  const rootBytes = fromBase64(root);
  if (rootBytes.length !== 32 || origin.length === 0) throw new TypeError('checkpoint: bad root or origin');
  return { origin, size: BigInt(size), root: rootBytes };
}

const matches = (key: VerifierKey, s: NoteSignature) => key.name === s.name && equalBytes(key.keyId, s.keyId);

/** True when `key` signed the note (Ed25519, RFC 8032 strict); undefined when it has no signature line. */
export function verifyLogSignature(note: Note, key: VerifierKey): boolean | undefined {
  const line = note.signatures.find((s) => matches(key, s));
  if (!line) return undefined;
  return line.signature.length === 64 && ed25519.verify(line.signature, utf8(note.text), key.publicKey, { zip215: false });
}

/**
 * A tlog-cosignature/v1 line: u64be timestamp ‖ Ed25519 over "cosignature/v1\ntime <t>\n" ‖ text.
 * Undefined when the witness has no line in the note.
 */
export function verifyCosignature(note: Note, key: VerifierKey): { valid: boolean; timestamp?: bigint } | undefined {
  const line = note.signatures.find((s) => matches(key, s));
  if (!line) return undefined;
  if (line.signature.length !== 72) return { valid: false };
  const timestamp = new DataView(line.signature.buffer, line.signature.byteOffset, 8).getBigUint64(0, false);
  if (timestamp >= 2n ** 63n) return { valid: false, timestamp };
  const message = utf8(`cosignature/v1\ntime ${timestamp}\n${note.text}`);
  return { valid: ed25519.verify(line.signature.subarray(8), message, key.publicKey, { zip215: false }), timestamp };
}

/** verifyLogSignature, with the Ed25519 check done by WebCrypto where available (signatures.ts). */
export async function checkLogSignature(note: Note, key: VerifierKey): Promise<boolean | undefined> {
  const line = note.signatures.find((s) => matches(key, s));
  if (!line) return undefined;
  return verifyEd25519(line.signature, utf8(note.text), key.publicKey);
}

/** verifyCosignature, with the Ed25519 check done by WebCrypto where available (signatures.ts). */
export async function checkCosignature(note: Note, key: VerifierKey): Promise<{ valid: boolean; timestamp?: bigint } | undefined> {
  const line = note.signatures.find((s) => matches(key, s));
  if (!line) return undefined;
  if (line.signature.length !== 72) return { valid: false };
  const timestamp = new DataView(line.signature.buffer, line.signature.byteOffset, 8).getBigUint64(0, false);
  if (timestamp >= 2n ** 63n) return { valid: false, timestamp };
  const message = utf8(`cosignature/v1\ntime ${timestamp}\n${note.text}`);
  return { valid: await verifyEd25519(line.signature.subarray(8), message, key.publicKey), timestamp };
}
