import { CRYPTO_ERROR_CODES, CryptoError, openTrusteeFile, sealTrusteeFile, type CryptoErrorCode, type ScryptParameters, type TrusteeSecrets } from '@townhall/crypto';
import { fromHexString } from '@townhall/protocol';

/**
 * The message contract of the key-file Web Worker: scrypt (2^17 × 128 × 8 bytes, about a second
 * or more) seals and opens the trustee's key file there, so the trustee page stays responsive. The
 * secrets cross `postMessage` as structured clones (scalars are bigints); the worker keeps nothing.
 */
export type KeyFileRequest =
  | {
      type: 'seal';
      id: number;
      /** Hex. */
      electionFingerprint: string;
      trusteeIndex: number;
      secrets: TrusteeSecrets;
      passphrase: string;
      kdf?: ScryptParameters;
    }
  | {
      type: 'open';
      id: number;
      text: string;
      passphrase: string;
      /** Hex. */
      electionFingerprint: string;
      trusteeIndex: number;
    };

/** A CryptoError's code and field survive the trip, so the page tells a wrong passphrase from a wrong file. */
export interface KeyFileFailure {
  code: CryptoErrorCode | null;
  field: string | null;
  message: string;
}

export type KeyFileResponse =
  | { id: number; ok: true; type: 'sealed'; file: string }
  | { id: number; ok: true; type: 'opened'; secrets: TrusteeSecrets }
  | { id: number; ok: false; error: KeyFileFailure };

function isKeyFileRequest(value: unknown): value is KeyFileRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const common = typeof v.id === 'number' && typeof v.passphrase === 'string' && typeof v.electionFingerprint === 'string' && typeof v.trusteeIndex === 'number';
  if (v.type === 'seal') return common && typeof v.secrets === 'object' && v.secrets !== null;
  if (v.type === 'open') return common && typeof v.text === 'string';
  return false;
}

function toFailure(error: unknown): KeyFileFailure {
  if (error instanceof CryptoError) {
    const prefix = `${error.field}: `;
    return { code: error.code, field: error.field, message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message };
  }
  return { code: null, field: null, message: error instanceof Error ? error.message : 'the key file could not be processed' };
}

/** Rebuilds the error the page would have seen had it run the KDF itself. */
export function fromFailure(failure: KeyFileFailure): Error {
  if (failure.code !== null && failure.field !== null && (CRYPTO_ERROR_CODES as readonly string[]).includes(failure.code)) {
    return new CryptoError(failure.code, failure.field, failure.message);
  }
  return new Error(failure.message);
}

/** What the worker does with one message (a plain function, so it is tested without a worker). */
export async function handleKeyFileMessage(message: unknown): Promise<KeyFileResponse> {
  const id = typeof (message as { id?: unknown } | null)?.id === 'number' ? (message as { id: number }).id : -1;
  if (!isKeyFileRequest(message)) return { id, ok: false, error: { code: null, field: null, message: 'not a key-file request' } };
  try {
    const electionFingerprint = fromHexString(message.electionFingerprint);
    if (message.type === 'seal') {
      const { trusteeIndex, secrets, passphrase, kdf } = message;
      return { id, ok: true, type: 'sealed', file: await sealTrusteeFile({ electionFingerprint, trusteeIndex, secrets, passphrase, ...(kdf ? { kdf } : {}) }) };
    }
    const secrets = await openTrusteeFile(message.text, message.passphrase, { electionFingerprint, trusteeIndex: message.trusteeIndex });
    return { id, ok: true, type: 'opened', secrets };
  } catch (error) {
    return { id, ok: false, error: toFailure(error) };
  }
}

/** Seals and opens key files: in a Web Worker on the page, in the calling thread in tests. */
export interface KeyFileCrypto {
  seal(input: { electionFingerprint: Uint8Array; trusteeIndex: number; secrets: TrusteeSecrets; passphrase: string; kdf?: ScryptParameters }): Promise<string>;
  open(text: string, passphrase: string, expected: { electionFingerprint: Uint8Array; trusteeIndex: number }): Promise<TrusteeSecrets>;
}

export const keyFilesInThisThread: KeyFileCrypto = {
  seal: (input) => sealTrusteeFile(input),
  open: (text, passphrase, expected) => openTrusteeFile(text, passphrase, expected),
};
