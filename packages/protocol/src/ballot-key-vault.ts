import { z } from 'zod';

/**
 * The ballot-key vault (docs/protocol/key-ceremony-and-credentials.md §6): a resident's ballot key and
 * credential, sealed in their browser under a key derived from their passkey's WebAuthn PRF output,
 * kept by the server as an opaque record so that "vote again" works from another browser or device.
 *
 * method path                       access    body → response
 *        errors (besides VALIDATION_FAILED, CSRF_REJECTED)
 * PUT    /elections/:id/ballot-key  resident  BallotKeyVaultRecord → BallotKeyVaultRecord (replaces the caller's earlier one)
 *        NOT_FOUND, ELECTION_WRONG_PHASE (not open), CONFLICT (no voting credential in this election yet)
 * GET    /elections/:id/ballot-key  resident  – → BallotKeyVaultRecord (the caller's own; no route names another elector)
 *        NOT_FOUND (none stored), ELECTION_WRONG_PHASE (not open)
 */

export const BALLOT_KEY_VAULT_VERSION = 1;
export const BALLOT_KEY_VAULT_TAG = 'townhall/v1/ballot-key-vault';
export const BALLOT_KEY_VAULT_KEY_TAG = 'townhall/v1/ballot-key-vault/key';

/** AES-256-GCM nonce and tag lengths (NIST SP 800-38D), in bytes. */
export const BALLOT_KEY_VAULT_IV_BYTES = 12;
export const BALLOT_KEY_VAULT_TAG_BYTES = 16;
/** Sealed bytes: secret key, public key, message prefix (32 each) and an RSA signature of 256–512 bytes. */
export const BALLOT_KEY_PLAINTEXT_BYTES = { min: 3 * 32 + 256, max: 3 * 32 + 512 } as const;
const sealedBytes = (plaintext: number) => BALLOT_KEY_VAULT_IV_BYTES + plaintext + BALLOT_KEY_VAULT_TAG_BYTES;
export const WRAPPED_BALLOT_KEY_BYTES = {
  min: sealedBytes(BALLOT_KEY_PLAINTEXT_BYTES.min),
  max: sealedBytes(BALLOT_KEY_PLAINTEXT_BYTES.max),
} as const;

const { min, max } = WRAPPED_BALLOT_KEY_BYTES;
export const BallotKeyVaultRecord = z.strictObject({
  version: z.literal(BALLOT_KEY_VAULT_VERSION),
  /** The passkey whose PRF sealed it (base64url of the WebAuthn credential id): the only one that can open it. */
  credentialId: z.string().regex(/^[A-Za-z0-9_-]{22,1364}$/, 'must be a WebAuthn credential id in base64url'),
  /** The PRF input, 32 random bytes chosen by the browser for this elector and election. */
  salt: z.string().regex(/^[0-9a-f]{64}$/, 'must be 32 bytes of lowercase hex'),
  /** iv (12) ‖ AES-256-GCM ciphertext ‖ tag (16), lowercase hex. */
  wrappedKey: z
    .string()
    .regex(/^(?:[0-9a-f]{2})*$/, 'must be lowercase hex')
    .min(2 * min, `must be at least ${min} bytes`)
    .max(2 * max, `must be at most ${max} bytes`),
});
export type BallotKeyVaultRecord = z.infer<typeof BallotKeyVaultRecord>;

const utf8 = (s: string) => new TextEncoder().encode(s);
function lengthPrefixed(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

/** HKDF-SHA-256 `info` of the wrapping key: its purpose and the election (§6.2). */
export function ballotKeyVaultInfo(electionId: string, fingerprint: Uint8Array): Uint8Array {
  return lengthPrefixed(utf8(BALLOT_KEY_VAULT_KEY_TAG), utf8(electionId), fingerprint);
}

/** AES-GCM associated data: the version, the election, and the elector's passkey and salt (§6.2). */
export function ballotKeyVaultAad(electionId: string, fingerprint: Uint8Array, credentialId: Uint8Array, salt: Uint8Array): Uint8Array {
  const version = new Uint8Array(4);
  new DataView(version.buffer).setUint32(0, BALLOT_KEY_VAULT_VERSION);
  return lengthPrefixed(utf8(BALLOT_KEY_VAULT_TAG), version, utf8(electionId), fingerprint, credentialId, salt);
}
