/**
 * Exponential ElGamal on ristretto255 (docs/protocol/crypto.md §2): a value v is encrypted under
 * the election key K with randomness r as (α, β) = (r·G, r·K + v·G). Ciphertexts add
 * component-wise, which adds the plaintexts; decryption yields v·G, and the small v is found by
 * search (part 2: baby-step giant-step).
 */
import { CryptoError } from '../errors.ts';
import {
  G,
  GROUP_ORDER,
  IDENTITY,
  POINT_LENGTH,
  assertBytes,
  assertPoint,
  assertScalar,
  decodePoint,
  encodePoint,
  type Point,
  type Scalar,
} from '../group.ts';

export interface Ciphertext {
  readonly alpha: Point;
  readonly beta: Point;
}

export const CIPHERTEXT_LENGTH = 2 * POINT_LENGTH;

/**
 * s·B for a fixed base B with precomputed tables, taking the same code path for every s
 * (including 0 and small values such as a vote), so the time does not reveal the scalar.
 */
export function multiplyFixedBase(base: Point, scalar: Scalar): Point {
  // (s + 1)·B − B: multiply() refuses 0, and s + 1 is 0 only for s = ℓ − 1.
  const shifted = scalar + 1n === GROUP_ORDER ? 0n : scalar + 1n;
  return shifted === 0n ? base.negate() : base.multiply(shifted).subtract(base);
}

export function assertCiphertext(value: unknown, field = 'ciphertext'): Ciphertext {
  if (typeof value !== 'object' || value === null) {
    throw new CryptoError('INVALID_TYPE', field, 'expected a ciphertext { alpha, beta }');
  }
  const { alpha, beta } = value as Record<string, unknown>;
  assertPoint(alpha, `${field}.alpha`, { allowIdentity: true });
  assertPoint(beta, `${field}.beta`, { allowIdentity: true });
  return value as Ciphertext;
}

/** Encrypts the small non-negative integer `value` under `electionKey` with randomness `r`. */
export function encrypt(electionKey: Point, value: number, randomness: Scalar): Ciphertext {
  assertPoint(electionKey, 'electionKey');
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CryptoError('INVALID_ARGUMENT', 'value', 'expected a non-negative safe integer');
  }
  assertScalar(randomness, 'randomness', { allowZero: false });
  const alpha = multiplyFixedBase(G, randomness);
  const beta = multiplyFixedBase(electionKey, randomness).add(multiplyFixedBase(G, BigInt(value)));
  return { alpha, beta };
}

export function addCiphertexts(a: Ciphertext, b: Ciphertext): Ciphertext {
  assertCiphertext(a, 'a');
  assertCiphertext(b, 'b');
  return { alpha: a.alpha.add(b.alpha), beta: a.beta.add(b.beta) };
}

/** The homomorphic sum of many ciphertexts; the empty sum is (identity, identity). */
export function sumCiphertexts(ciphertexts: readonly Ciphertext[]): Ciphertext {
  if (!Array.isArray(ciphertexts)) throw new CryptoError('INVALID_TYPE', 'ciphertexts', 'expected an array');
  let alpha = IDENTITY;
  let beta = IDENTITY;
  ciphertexts.forEach((c, i) => {
    assertCiphertext(c, `ciphertexts[${i}]`);
    alpha = alpha.add(c.alpha);
    beta = beta.add(c.beta);
  });
  return { alpha, beta };
}

/** α ‖ β, 64 bytes. */
export function encodeCiphertext(ciphertext: Ciphertext, field = 'ciphertext'): Uint8Array {
  assertCiphertext(ciphertext, field);
  const out = new Uint8Array(CIPHERTEXT_LENGTH);
  out.set(encodePoint(ciphertext.alpha), 0);
  out.set(encodePoint(ciphertext.beta), POINT_LENGTH);
  return out;
}

/**
 * Decodes α ‖ β. α = r·G with r ≠ 0 is never the identity for an honest ciphertext, so an
 * identity α is rejected; β may be the identity.
 */
export function decodeCiphertext(bytes: Uint8Array, field = 'ciphertext'): Ciphertext {
  assertBytes(bytes, field, CIPHERTEXT_LENGTH);
  return {
    alpha: decodePoint(bytes.subarray(0, POINT_LENGTH), `${field}.alpha`),
    beta: decodePoint(bytes.subarray(POINT_LENGTH), `${field}.beta`, { allowIdentity: true }),
  };
}

/**
 * Decrypts to the group element v·G with the full secret key (tests and single-key demos; a
 * threshold election decrypts with partial decryptions instead).
 */
export function decryptToPoint(ciphertext: Ciphertext, secretKey: Scalar): Point {
  assertCiphertext(ciphertext);
  assertScalar(secretKey, 'secretKey', { allowZero: false });
  return ciphertext.beta.subtract(ciphertext.alpha.multiply(secretKey));
}

/** Finds v ≤ maxValue with v·G = point by linear search (small tallies, tests). */
export function solveSmallDiscreteLog(point: Point, maxValue: number, field = 'point'): number {
  assertPoint(point, field, { allowIdentity: true });
  let candidate = IDENTITY;
  for (let v = 0; v <= maxValue; v++) {
    if (candidate.equals(point)) return v;
    candidate = candidate.add(G);
  }
  throw new CryptoError('DECRYPTION_FAILED', field, `no value in [0, ${maxValue}] matches`);
}
