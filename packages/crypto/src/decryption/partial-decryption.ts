// Tally: each participating trustee ℓ posts D_ℓ = s_ℓ·α for the aggregate ciphertext (α, β), with
// a Chaum–Pedersen proof that log_G(S_ℓ) = log_α(D_ℓ) against its public verification share S_ℓ
// (`PartialDecryption`). Any k of them combine by Lagrange interpolation at 0:
//   v·G = β − Σ_{ℓ ∈ T} λ_ℓ·D_ℓ,   λ_ℓ = Π_{m ∈ T, m ≠ ℓ} m / (m − ℓ)
import { CryptoError } from '../errors.ts';
import { assertCiphertext, type Ciphertext } from '../elgamal/elgamal.ts';
import {
  G,
  IDENTITY,
  assertPoint,
  assertScalar,
  describeType,
  multiplyBase,
  multiplyPublic,
  multiplySecret,
  systemRandom,
  type Point,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import {
  assertChaumPedersenProof,
  proveChaumPedersen,
  verifyChaumPedersen,
  type ChaumPedersenProof,
} from '../proofs/chaum-pedersen.ts';
import { assertBinding } from '../proofs/common.ts';
import { MAX_TRUSTEES } from '../ceremony/parameters.ts';
import { lagrangeCoefficientsAtZero } from '../ceremony/polynomial.ts';

export interface PartialDecryption {
  readonly trusteeIndex: number;
  /** D_ℓ = s_ℓ·α. */
  readonly share: Point;
  readonly proof: ChaumPedersenProof;
}

/** The proof context: the caller's position (e.g. `tally/contest:mayor/option:alice`) and the trustee. */
export const partialDecryptionContext = (context: string, trusteeIndex: number) => `decryption/trustee:${trusteeIndex}/${context}`;

function assertIndex(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new CryptoError('INVALID_TYPE', field, `expected a number, got ${describeType(value)}`);
  if (!Number.isInteger(value) || value < 1 || value > MAX_TRUSTEES) {
    throw new CryptoError('INVALID_ARGUMENT', field, `expected a trustee index in [1, ${MAX_TRUSTEES}]`);
  }
  return value;
}

/**
 * An aggregate of zero ballots has α = identity and needs no decryption (its count is 0), so an
 * identity α is refused: a proof about it would prove nothing.
 */
function assertAggregate(ciphertext: unknown): Ciphertext {
  const aggregate = assertCiphertext(ciphertext);
  if (aggregate.alpha.is0()) throw new CryptoError('IDENTITY_POINT', 'ciphertext.alpha', 'nothing to decrypt: α is the identity');
  return aggregate;
}

export function assertPartialDecryption(value: unknown, field = 'partialDecryption'): PartialDecryption {
  if (typeof value !== 'object' || value === null) throw new CryptoError('INVALID_TYPE', field, 'expected a PartialDecryption');
  const partial = value as PartialDecryption;
  assertIndex(partial.trusteeIndex, `${field}.trusteeIndex`);
  assertPoint(partial.share, `${field}.share`);
  assertChaumPedersenProof(partial.proof, `${field}.proof`);
  return partial;
}

/** Trustee side: D = s·α with its proof. */
export function computePartialDecryption(
  electionFingerprint: Uint8Array,
  trusteeIndex: number,
  secretShare: Scalar,
  ciphertext: Ciphertext,
  context: string,
  rng: RandomSource = systemRandom,
): PartialDecryption {
  assertBinding(electionFingerprint, context);
  assertIndex(trusteeIndex, 'trusteeIndex');
  assertScalar(secretShare, 'secretShare', { allowZero: false });
  const { alpha } = assertAggregate(ciphertext);
  const share = multiplySecret(alpha, secretShare);
  const statement = { g1: G, h1: multiplyBase(secretShare), g2: alpha, h2: share };
  const proof = proveChaumPedersen(statement, secretShare, electionFingerprint, partialDecryptionContext(context, trusteeIndex), rng);
  return { trusteeIndex, share, proof };
}

/**
 * Anyone: does `partial` decrypt `ciphertext` under the trustee's verification share S_ℓ?
 * False if the proof fails; CryptoError if anything is malformed.
 */
export function verifyPartialDecryption(
  electionFingerprint: Uint8Array,
  verificationShare: Point,
  ciphertext: Ciphertext,
  partial: PartialDecryption,
  context: string,
): boolean {
  assertBinding(electionFingerprint, context);
  assertPoint(verificationShare, 'verificationShare');
  const { alpha } = assertAggregate(ciphertext);
  assertPartialDecryption(partial);
  const statement = { g1: G, h1: verificationShare, g2: alpha, h2: partial.share };
  return verifyChaumPedersen(statement, partial.proof, electionFingerprint, partialDecryptionContext(context, partial.trusteeIndex));
}

/**
 * v·G = β − Σ λ_ℓ·D_ℓ over the given partial decryptions (at least `threshold`, distinct trustees).
 * Verify each partial decryption first: this function does not check proofs.
 */
export function combinePartialDecryptions(ciphertext: Ciphertext, partials: readonly PartialDecryption[], threshold: number): Point {
  const { beta } = assertAggregate(ciphertext);
  if (!Array.isArray(partials)) throw new CryptoError('INVALID_TYPE', 'partials', 'expected an array of partial decryptions');
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1 || threshold > MAX_TRUSTEES) {
    throw new CryptoError('INVALID_ARGUMENT', 'threshold', `expected an integer in [1, ${MAX_TRUSTEES}]`);
  }
  partials.forEach((p, i) => assertPartialDecryption(p, `partials[${i}]`));
  if (partials.length < threshold) {
    throw new CryptoError('INVALID_ARGUMENT', 'partials', `need at least ${threshold} partial decryptions, got ${partials.length}`);
  }
  const indices = partials.map((p) => p.trusteeIndex);
  if (new Set(indices).size !== indices.length) throw new CryptoError('INVALID_ARGUMENT', 'partials', 'two partial decryptions from one trustee');
  const lambdas = lagrangeCoefficientsAtZero(indices);
  const combined = partials.reduce((sum, p) => sum.add(multiplyPublic(p.share, lambdas.get(p.trusteeIndex)!)), IDENTITY);
  return beta.subtract(combined);
}
