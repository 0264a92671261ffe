/**
 * C2SP signed-note keys: key IDs, verifier-key ("vkey") and signer-key strings, and Ed25519
 * signers/verifiers for the two signature types this ledger uses: 0x01 (plain Ed25519 note
 * signatures, the log's checkpoint key) and 0x04 (C2SP tlog-cosignature/v1, the witnesses' keys).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { LedgerError } from './errors.ts';
import { MAX_UINT64, concatBytes, decodeBase64, encodeBase64, encodeUtf8, readUint64BE, writeUint64BE } from './encoding.ts';

/** Signature type identifier bytes (C2SP signed-note "Signature types"). */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1;

const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
/** tlog-cosignature timestamped_signature: u64 timestamp ‖ Ed25519 signature. */
export const COSIGNATURE_SIZE = 8 + ED25519_SIGNATURE_SIZE;

/** Key names must be non-empty and contain neither Unicode spaces nor '+' (C2SP signed-note "Format"). */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !/[\p{White_Space}+\u0000-\u001f\p{Cs}]/u.test(name);
}

/** key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], as a big-endian uint32. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = sha256(concatBytes(encodeUtf8(name), Uint8Array.of(0x0a, type), publicKey));
  return ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** The message a cosignature/v1 signs: "cosignature/v1\ntime <t>\n" ‖ checkpoint note text. */
export function cosignatureMessage(text: Uint8Array, timestamp: bigint): Uint8Array {
  return concatBytes(encodeUtf8(`cosignature/v1\ntime ${timestamp.toString()}\n`), text);
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: SignatureType;
  readonly publicKey: Uint8Array;
  /** Checks `signature` (the bytes after the 4-byte key ID) over the note text. */
  verify(text: Uint8Array, signature: Uint8Array): boolean;
  /** The same check through WebCrypto Ed25519 where the platform has it (Node 20, current browsers), else `verify`. */
  verifyAsync(text: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly type: SignatureType;
  readonly publicKey: Uint8Array;
  /** Signature bytes (without key ID). Cosigners need `timestamp` (POSIX seconds). */
  sign(text: Uint8Array, options?: { timestamp?: bigint }): Uint8Array;
}

function assertName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new LedgerError('MALFORMED_KEY', `key name ${JSON.stringify(name)} is empty or contains a space, '+' or a control character`, {});
  }
}

function assertPublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new LedgerError('MALFORMED_KEY', 'an Ed25519 public key is 32 bytes', {});
  }
  let isUsable = false;
  try {
    // RFC 8032 canonical encoding (not ZIP-215), and not of small order: such a key could
    // "verify" signatures that no one made.
    isUsable = !ed25519.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    isUsable = false;
  }
  if (!isUsable) throw new LedgerError('MALFORMED_KEY', 'the Ed25519 public key is not a canonical point of large order', {});
}

function assertType(type: number): asserts type is SignatureType {
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new LedgerError('MALFORMED_KEY', `unsupported signature type 0x${type.toString(16).padStart(2, '0')}`, {});
  }
}

/** The Ed25519 signature and signed message a note signature stands for, or undefined if malformed. */
function signedParts(type: SignatureType, text: Uint8Array, signature: Uint8Array): { signature: Uint8Array; message: Uint8Array } | undefined {
  if (type === SIGNATURE_TYPE_ED25519) return signature.length === ED25519_SIGNATURE_SIZE ? { signature, message: text } : undefined;
  if (signature.length !== COSIGNATURE_SIZE) return undefined;
  const timestamp = readUint64BE(signature, 0);
  if (timestamp > MAX_UINT64 >> 1n) return undefined; // MUST NOT exceed 2^63 - 1
  return { signature: signature.subarray(8), message: cosignatureMessage(text, timestamp) };
}

// WebCrypto Ed25519 is ~10x faster than pure JS; it is used only where the platform has it, and
// both follow RFC 8032 with canonical encodings (keys are checked canonical and of large order
// when a verifier is created).
type SubtleKey = Awaited<ReturnType<SubtleCrypto['importKey']>>;
function webCryptoVerifier(publicKey: Uint8Array): ((signature: Uint8Array, message: Uint8Array) => Promise<boolean>) | undefined {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle === undefined) return undefined;
  let key: Promise<SubtleKey | undefined> | undefined;
  return async (signature, message) => {
    key ??= subtle.importKey('raw', publicKey.slice(), { name: 'Ed25519' }, false, ['verify']).catch(() => undefined);
    const imported = await key;
    if (imported === undefined) return ed25519.verify(signature, message, publicKey, { zip215: false });
    return subtle.verify({ name: 'Ed25519' }, imported, signature.slice(), message.slice());
  };
}

export function createVerifier(name: string, type: SignatureType, publicKey: Uint8Array): NoteVerifier {
  assertName(name);
  assertType(type);
  assertPublicKey(publicKey);
  const key = publicKey.slice();
  const verify = (text: Uint8Array, signature: Uint8Array): boolean => {
    const parts = signedParts(type, text, signature);
    return parts !== undefined && ed25519.verify(parts.signature, parts.message, key, { zip215: false });
  };
  const fast = webCryptoVerifier(key);
  const verifyAsync = async (text: Uint8Array, signature: Uint8Array): Promise<boolean> => {
    const parts = signedParts(type, text, signature);
    if (parts === undefined) return false;
    return fast === undefined ? verify(text, signature) : fast(parts.signature, parts.message);
  };
  return Object.freeze({ name, keyId: computeKeyId(name, type, key), type, publicKey: key, verify, verifyAsync });
}

/** Signer from a 32-byte Ed25519 secret key (RFC 8032 seed). */
export function createSigner(name: string, type: SignatureType, secretKey: Uint8Array): NoteSigner {
  assertName(name);
  assertType(type);
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new LedgerError('MALFORMED_KEY', 'an Ed25519 secret key is 32 bytes', {});
  }
  const seed = secretKey.slice();
  const publicKey = ed25519.getPublicKey(seed);
  const sign =
    type === SIGNATURE_TYPE_ED25519
      ? (text: Uint8Array) => ed25519.sign(text, seed)
      : (text: Uint8Array, options?: { timestamp?: bigint }) => {
          const timestamp = options?.timestamp;
          if (typeof timestamp !== 'bigint' || timestamp < 0n || timestamp > MAX_UINT64 >> 1n) {
            throw new LedgerError('INVALID_ARGUMENT', 'a cosignature needs a timestamp in [0, 2^63-1] seconds', { argument: 'timestamp' });
          }
          return concatBytes(writeUint64BE(timestamp), ed25519.sign(cosignatureMessage(text, timestamp), seed));
        };
  return Object.freeze({ name, keyId: computeKeyId(name, type, publicKey), type, publicKey, sign });
}

/** `<name>+<hex key ID>+<base64(type ‖ public key)>` */
export function formatVerifierKey(verifier: { name: string; type: SignatureType; publicKey: Uint8Array }): string {
  const { name, type, publicKey } = createVerifier(verifier.name, verifier.type, verifier.publicKey);
  return `${name}+${formatKeyId(computeKeyId(name, type, publicKey))}+${encodeBase64(concatBytes(Uint8Array.of(type), publicKey))}`;
}

/** Splits on the first `parts - 1` plus signs: names and IDs have none, base64 key material may. */
function splitKeyString(text: string, parts: number): string[] {
  const fields = text.split('+');
  if (fields.length < parts) return [];
  return [...fields.slice(0, parts - 1), fields.slice(parts - 1).join('+')];
}

/** Parses a verifier key; the key ID in the string must match the one derived from name and key. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  if (typeof vkey !== 'string') throw new LedgerError('MALFORMED_KEY', 'a verifier key is a string', {});
  const [name, hexId, keyText] = splitKeyString(vkey, 3);
  if (name === undefined || hexId === undefined || keyText === undefined || !/^[0-9a-f]{8}$/.test(hexId)) {
    throw new LedgerError('MALFORMED_KEY', 'a verifier key is <name>+<8 hex digits>+<base64 key>', { key: vkey });
  }
  const material = decodeBase64(keyText);
  if (material === undefined || material.length !== 1 + ED25519_PUBLIC_KEY_SIZE) {
    throw new LedgerError('MALFORMED_KEY', 'verifier key material is not base64 of type ‖ 32-byte key', { key: vkey });
  }
  const type = material[0]!;
  assertType(type);
  const verifier = createVerifier(name, type, material.subarray(1));
  if (verifier.keyId !== parseInt(hexId, 16)) {
    throw new LedgerError('MALFORMED_KEY', 'the key ID does not match the name and public key', { key: vkey });
  }
  return verifier;
}

/** `PRIVATE+KEY+<name>+<hex key ID>+<base64(type ‖ 32-byte secret key)>` (the format of golang.org/x/mod/sumdb/note). */
export function formatSignerKey(name: string, type: SignatureType, secretKey: Uint8Array): string {
  const signer = createSigner(name, type, secretKey);
  return `PRIVATE+KEY+${name}+${formatKeyId(signer.keyId)}+${encodeBase64(concatBytes(Uint8Array.of(type), secretKey))}`;
}

export function parseSignerKey(skey: string): NoteSigner {
  if (typeof skey !== 'string') throw new LedgerError('MALFORMED_KEY', 'a signer key is a string', {});
  const [private_, key_, name, hexId, keyText] = splitKeyString(skey, 5);
  if (private_ !== 'PRIVATE' || key_ !== 'KEY' || name === undefined || hexId === undefined || keyText === undefined || !/^[0-9a-f]{8}$/.test(hexId)) {
    throw new LedgerError('MALFORMED_KEY', 'a signer key is PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>', {});
  }
  const material = decodeBase64(keyText);
  if (material === undefined || material.length !== 33) {
    throw new LedgerError('MALFORMED_KEY', 'signer key material is not base64 of type ‖ 32-byte secret key', {});
  }
  const type = material[0]!;
  assertType(type);
  const signer = createSigner(name, type, material.subarray(1));
  if (signer.keyId !== parseInt(hexId, 16)) throw new LedgerError('MALFORMED_KEY', 'the key ID does not match the name and key', {});
  return signer;
}

/** A fresh key pair as strings; keep `signerKey` secret. */
export function generateKeyPair(name: string, type: SignatureType = SIGNATURE_TYPE_ED25519): { signerKey: string; verifierKey: string } {
  const secretKey = ed25519.utils.randomSecretKey();
  const signer = createSigner(name, type, secretKey);
  return { signerKey: formatSignerKey(name, type, secretKey), verifierKey: formatVerifierKey(signer) };
}
