// Ed25519 ballot keys: made fresh in the voter's browser for each election, certified by an
// issuer credential, and used to sign the ballot. Verification is RFC 8032 strict
// (`zip215: false`: canonical encodings only) and small-order public keys are refused, so a
// signature cannot be made to verify for many messages by picking a degenerate key.
import { ed25519 } from '@noble/curves/ed25519.js';
import { CryptoError, wrapErrors } from '../errors.ts';
import { requireBytes } from './bytes.ts';

export const BALLOT_SECRET_KEY_LENGTH = 32;
export const BALLOT_SIGNATURE_LENGTH = 64;

export interface BallotKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Decode and check a ballot public key: canonical, on the curve, not of small order. */
export function assertValidBallotPublicKey(publicKey: Uint8Array, field = 'ballotPublicKey'): void {
  requireBytes(publicKey, field, 32);
  const point = wrapErrors('NON_CANONICAL_POINT', field, () => ed25519.Point.fromBytes(publicKey, false));
  if (point.isSmallOrder()) throw new CryptoError('IDENTITY_POINT', field, 'small-order Ed25519 public key');
}

export function generateBallotKeyPair(): BallotKeyPair {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function ballotPublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  requireBytes(secretKey, 'secretKey', BALLOT_SECRET_KEY_LENGTH);
  return ed25519.getPublicKey(secretKey);
}

/** Sign `message` (the caller's domain-separated ballot bytes) with the ballot key. */
export function signWithBallotKey(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  requireBytes(secretKey, 'secretKey', BALLOT_SECRET_KEY_LENGTH);
  requireBytes(message, 'message');
  return ed25519.sign(message, secretKey);
}

/**
 * Strict Ed25519 verification. Returns false for a well-formed signature that does not verify
 * (including a non-canonical S or R); throws CryptoError for a malformed key or wrong-length input.
 */
export function verifyBallotSignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  assertValidBallotPublicKey(publicKey, 'publicKey');
  requireBytes(message, 'message');
  requireBytes(signature, 'signature', BALLOT_SIGNATURE_LENGTH);
  return ed25519.verify(signature, message, publicKey, { zip215: false });
}
