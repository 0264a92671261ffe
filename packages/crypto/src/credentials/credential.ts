// Eligibility credentials: an issuer's RFC 9474 blind signature over
// `CREDENTIAL_MESSAGE_TAG ‖ election fingerprint ‖ ballot public key` (see message.ts).
// The issuer sees only the blinded message, so a credential cannot be linked to its issuance.
import { concatBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../errors.ts';
import {
  MESSAGE_PREFIX_LENGTH,
  blindMessage,
  finalizeBlindSignature,
  requireIssuerPublicKey,
  verifyBlindRsaSignature,
  type IssuerPublicKey,
} from './blind-rsa.ts';
import { describeType, requireBytes } from './bytes.ts';
import { encodeCredentialMessage } from './message.ts';

/** What a ballot carries: the random prefix chosen at blinding time and the unblinded signature. */
export interface Credential {
  readonly messagePrefix: Uint8Array;
  readonly signature: Uint8Array;
}

/** Kept by the client between asking for a signature and receiving it. Secret: it links the two. */
export interface PendingCredential {
  readonly preparedMessage: Uint8Array;
  readonly inverse: Uint8Array;
}

export interface CredentialRequest {
  /** Sent to the issuer (bound to the passkey assertion's challenge). */
  readonly blindedMessage: Uint8Array;
  readonly pending: PendingCredential;
}

function randomPrefix(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(MESSAGE_PREFIX_LENGTH));
}

/** Client: blind a credential message for `ballotPublicKey` in the election `electionFingerprint`. */
export async function requestCredential(
  issuerPublicKey: IssuerPublicKey,
  electionFingerprint: Uint8Array,
  ballotPublicKey: Uint8Array,
): Promise<CredentialRequest> {
  requireIssuerPublicKey(issuerPublicKey);
  const message = encodeCredentialMessage(electionFingerprint, ballotPublicKey);
  const preparedMessage = concatBytes(randomPrefix(), message);
  const { blindedMessage, inverse } = await blindMessage(issuerPublicKey, preparedMessage);
  return { blindedMessage, pending: { preparedMessage, inverse } };
}

function requirePending(value: unknown): PendingCredential {
  if (typeof value !== 'object' || value === null) {
    throw new CryptoError('INVALID_TYPE', 'pending', `expected a PendingCredential, got ${describeType(value)}`);
  }
  const pending = value as PendingCredential;
  requireBytes(pending.preparedMessage, 'pending.preparedMessage');
  requireBytes(pending.inverse, 'pending.inverse');
  return pending;
}

/** Client: unblind the issuer's answer; throws INVALID_SIGNATURE if it does not verify. */
export async function finalizeCredential(
  issuerPublicKey: IssuerPublicKey,
  pending: PendingCredential,
  blindSignature: Uint8Array,
): Promise<Credential> {
  requireIssuerPublicKey(issuerPublicKey);
  requirePending(pending);
  const signature = await finalizeBlindSignature(issuerPublicKey, pending.preparedMessage, blindSignature, pending.inverse);
  return { messagePrefix: pending.preparedMessage.slice(0, MESSAGE_PREFIX_LENGTH), signature };
}

export function requireCredential(value: unknown, modulusLength: number, field = 'credential'): Credential {
  if (typeof value !== 'object' || value === null) {
    throw new CryptoError('INVALID_TYPE', field, `expected a Credential, got ${describeType(value)}`);
  }
  const credential = value as Credential;
  requireBytes(credential.messagePrefix, `${field}.messagePrefix`, MESSAGE_PREFIX_LENGTH);
  requireBytes(credential.signature, `${field}.signature`, modulusLength);
  return credential;
}

/**
 * Anyone: is `credential` the issuer's signature for this ballot key in this election?
 * Returns false for a well-formed credential that does not verify; throws CryptoError on malformed input.
 */
export async function verifyCredential(
  issuerPublicKey: IssuerPublicKey,
  electionFingerprint: Uint8Array,
  ballotPublicKey: Uint8Array,
  credential: Credential,
): Promise<boolean> {
  requireIssuerPublicKey(issuerPublicKey);
  requireCredential(credential, issuerPublicKey.modulusLength);
  const message = encodeCredentialMessage(electionFingerprint, ballotPublicKey);
  return verifyBlindRsaSignature(issuerPublicKey, concatBytes(credential.messagePrefix, message), credential.signature);
}

/** Wire form: messagePrefix (32 bytes) ‖ signature (kLen bytes). */
export function encodeCredential(credential: Credential): Uint8Array {
  if (typeof credential !== 'object' || credential === null) {
    throw new CryptoError('INVALID_TYPE', 'credential', `expected a Credential, got ${describeType(credential)}`);
  }
  requireBytes(credential.messagePrefix, 'credential.messagePrefix', MESSAGE_PREFIX_LENGTH);
  requireBytes(credential.signature, 'credential.signature');
  return concatBytes(credential.messagePrefix, credential.signature);
}

export function decodeCredential(bytes: Uint8Array, issuerPublicKey: IssuerPublicKey): Credential {
  requireIssuerPublicKey(issuerPublicKey);
  requireBytes(bytes, 'credential', MESSAGE_PREFIX_LENGTH + issuerPublicKey.modulusLength);
  return {
    messagePrefix: bytes.slice(0, MESSAGE_PREFIX_LENGTH),
    signature: bytes.slice(MESSAGE_PREFIX_LENGTH),
  };
}
