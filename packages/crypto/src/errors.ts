/**
 * The one error type thrown by every public function of `@townhall/crypto`.
 *
 * `code` is a closed vocabulary (see {@link CRYPTO_ERROR_CODES}); `field` names the argument or
 * the wire-format field that was rejected (for example `ballot.contests[0].selections[2].alpha`),
 * so an auditor or an API layer can point at the offending input without parsing messages.
 */
export const CRYPTO_ERROR_CODES = [
  /** A byte string or array has the wrong length. */
  'INVALID_LENGTH',
  /** 32 bytes that are not the canonical RFC 9496 encoding of a ristretto255 element. */
  'NON_CANONICAL_POINT',
  /** 32 bytes (or a bigint) that is not a scalar in [0, ℓ). */
  'NON_CANONICAL_SCALAR',
  /** The identity element where a non-identity element is required. */
  'IDENTITY_POINT',
  /** The value has the wrong JavaScript type (string for bytes, number for bigint, …). */
  'INVALID_TYPE',
  /** Malformed hexadecimal text. */
  'INVALID_HEX',
  /** A zero-knowledge proof does not verify. */
  'INVALID_PROOF',
  /** Any other argument outside its documented domain. */
  'INVALID_ARGUMENT',
  /** An election manifest that breaks its schema or invariants. */
  'INVALID_MANIFEST',
  /** A ballot that breaks its schema or does not match the manifest. */
  'INVALID_BALLOT',
  /** Choices that do not satisfy the manifest (unknown option, too many or too few selections). */
  'INVALID_CHOICES',
  /** A Benaloh audit found that a spoiled ballot does not encrypt what its secrets claim. */
  'AUDIT_MISMATCH',
  /** A decryption could not be completed (for example a count outside the search range). */
  'DECRYPTION_FAILED',
  /** A key-ceremony share or commitment that fails its check (a complaint). */
  'INVALID_SHARE',
  /** A signature (Ed25519, blind RSA) that does not verify. */
  'INVALID_SIGNATURE',
  /** A credential that is malformed or not signed by the issuer key. */
  'INVALID_CREDENTIAL',
  /** An encrypted key file that cannot be opened (wrong passphrase or corrupted). */
  'INVALID_PASSPHRASE',
  /** The platform has no cryptographically secure random source. */
  'RANDOMNESS_UNAVAILABLE',
  /** A worker thread failed or returned a malformed answer. */
  'WORKER_FAILED',
] as const;

export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;
  /** The argument or wire-format field that was rejected. */
  readonly field: string;

  constructor(code: CryptoErrorCode, field: string, message: string, options?: { cause?: unknown }) {
    super(`${field}: ${message}`, options);
    this.code = code;
    this.field = field;
  }
}

export function isCryptoError(value: unknown): value is CryptoError {
  return value instanceof CryptoError;
}

/**
 * Runs `operation` and converts anything it throws that is not already a {@link CryptoError}
 * (for example an `Error` from @noble) into one with the given code and field, so no untyped
 * error escapes a public function.
 */
export function wrapErrors<T>(code: CryptoErrorCode, field: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new CryptoError(code, field, detail, { cause: error });
  }
}
