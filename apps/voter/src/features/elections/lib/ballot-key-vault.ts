import { ballotPublicKeyFromSecret, fromHex, toHex } from '@townhall/crypto';
import {
  BALLOT_KEY_PLAINTEXT_BYTES,
  BALLOT_KEY_VAULT_IV_BYTES,
  BALLOT_KEY_VAULT_VERSION,
  ballotKeyVaultAad,
  ballotKeyVaultInfo,
  type BallotKeyVaultRecord,
} from '@townhall/protocol';
import type { StoredVotingKey } from './voting-key.ts';

/**
 * The ballot-key vault, browser side (docs/protocol/key-ceremony-and-credentials.md §6): the ballot
 * key and its credential sealed with AES-256-GCM under a key derived (HKDF-SHA-256) from the
 * passkey's WebAuthn PRF output, so the server keeps a record it can neither open nor alter unseen.
 * WebCrypto only; the PRF output and the derived key never leave this module's caller.
 */

/** Why a record could not be opened; the page says what each means for the voter. */
export type VaultFailure = 'no-prf' | 'tampered';
export class BallotKeyVaultError extends Error {
  constructor(
    readonly reason: VaultFailure,
    message: string,
  ) {
    super(message);
    this.name = 'BallotKeyVaultError';
  }
}

export interface VaultContext {
  electionId: string;
  /** The election's 32-byte fingerprint. */
  fingerprint: Uint8Array;
  /** Raw WebAuthn credential id of the passkey whose PRF seals or opens the record. */
  credentialId: Uint8Array;
  /** The PRF input of this record (32 bytes). */
  salt: Uint8Array;
  /** The passkey's PRF output for `salt` (32 bytes). */
  prfOutput: Uint8Array;
}

const PRF_OUTPUT_BYTES = 32;
const SALT_BYTES = 32;
const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/** A fresh PRF input for a new record (§6.1). */
export const newVaultSalt = (): Uint8Array => crypto.getRandomValues(new Uint8Array(SALT_BYTES));

async function wrappingKey(context: VaultContext): Promise<CryptoKey> {
  if (context.prfOutput.length !== PRF_OUTPUT_BYTES) throw new BallotKeyVaultError('no-prf', 'The passkey gave no usable PRF output.');
  const ikm = await crypto.subtle.importKey('raw', buffer(context.prfOutput), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: buffer(ballotKeyVaultInfo(context.electionId, context.fingerprint)) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

const additionalData = (context: VaultContext) =>
  buffer(ballotKeyVaultAad(context.electionId, context.fingerprint, context.credentialId, context.salt));

/** Seals `key` into a vault record (§6.2). */
export async function sealBallotKey(key: StoredVotingKey, context: VaultContext): Promise<BallotKeyVaultRecord> {
  if (context.salt.length !== SALT_BYTES) throw new TypeError(`salt must be ${SALT_BYTES} bytes`);
  const plaintext = new Uint8Array([
    ...fromHex(key.secretKey, 'secretKey', 32),
    ...fromHex(key.publicKey, 'publicKey', 32),
    ...fromHex(key.messagePrefix, 'messagePrefix', 32),
    ...fromHex(key.signature, 'signature'),
  ]);
  if (plaintext.length < BALLOT_KEY_PLAINTEXT_BYTES.min || plaintext.length > BALLOT_KEY_PLAINTEXT_BYTES.max) {
    throw new TypeError(`signature must be 256–512 bytes, not ${plaintext.length - 96}`);
  }
  const iv = crypto.getRandomValues(new Uint8Array(BALLOT_KEY_VAULT_IV_BYTES));
  const algorithm = { name: 'AES-GCM', iv, additionalData: additionalData(context) };
  const sealed = new Uint8Array(await crypto.subtle.encrypt(algorithm, await wrappingKey(context), plaintext));
  return {
    version: BALLOT_KEY_VAULT_VERSION,
    credentialId: toBase64Url(context.credentialId),
    salt: toHex(context.salt),
    wrappedKey: toHex(new Uint8Array([...iv, ...sealed])),
  };
}

/**
 * Opens a record with the PRF output of its passkey (§6.2). Any change to the record, or a record
 * of another election, elector or passkey, fails AES-GCM: `tampered`, and nothing is returned.
 */
export async function openBallotKey(
  record: BallotKeyVaultRecord,
  context: Omit<VaultContext, 'credentialId' | 'salt'>,
): Promise<StoredVotingKey> {
  const full: VaultContext = {
    ...context,
    credentialId: fromBase64Url(record.credentialId),
    salt: fromHex(record.salt, 'salt', SALT_BYTES),
  };
  const wrapped = fromHex(record.wrappedKey, 'wrappedKey');
  const key = await wrappingKey(full);
  let plaintext: Uint8Array;
  try {
    const iv = wrapped.slice(0, BALLOT_KEY_VAULT_IV_BYTES);
    const algorithm = { name: 'AES-GCM', iv, additionalData: additionalData(full) };
    plaintext = new Uint8Array(await crypto.subtle.decrypt(algorithm, key, wrapped.slice(BALLOT_KEY_VAULT_IV_BYTES)));
  } catch {
    throw new BallotKeyVaultError('tampered', 'The saved voting key does not open with this passkey for this election.');
  }
  if (plaintext.length < BALLOT_KEY_PLAINTEXT_BYTES.min || plaintext.length > BALLOT_KEY_PLAINTEXT_BYTES.max) {
    throw new BallotKeyVaultError('tampered', 'The saved voting key has the wrong length.');
  }
  const secretKey = plaintext.slice(0, 32);
  const publicKey = plaintext.slice(32, 64);
  if (toHex(ballotPublicKeyFromSecret(secretKey)) !== toHex(publicKey)) {
    throw new BallotKeyVaultError('tampered', 'The saved voting key’s two halves do not match.');
  }
  return {
    secretKey: toHex(secretKey),
    publicKey: toHex(publicKey),
    messagePrefix: toHex(plaintext.slice(64, 96)),
    signature: toHex(plaintext.slice(96)),
  };
}

export function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
