// Round 1 of the ceremony: each trustee makes an identity key and a random polynomial of degree
// k−1, and publishes (`TrusteeCommitted`) the identity key and the Feldman commitments
// C_{i,j} = a_{i,j}·G, each with a Schnorr proof of knowledge bound to the election and position.
import { CryptoError } from '../errors.ts';
import {
  assertPoint,
  decodePoint,
  encodePoint,
  multiplyBase,
  randomScalar,
  systemRandom,
  type Point,
  type RandomSource,
} from '../group.ts';
import {
  assertSchnorrProof,
  decodeSchnorrProof,
  encodeSchnorrProof,
  proveSchnorr,
  verifySchnorr,
  type SchnorrProof,
} from '../proofs/schnorr.ts';
import type { TrusteeSecrets } from '../trustee-file/trustee-file.ts';
import {
  assertCeremonyParameters,
  assertTrusteeIndex,
  coefficientProofContext,
  identityProofContext,
  type CeremonyParameters,
} from './parameters.ts';

export interface TrusteeCommitment {
  readonly trusteeIndex: number;
  /** X_i = x_i·G: shares for trustee i are encrypted to it. */
  readonly identityKey: Point;
  readonly identityProof: SchnorrProof;
  /** C_{i,0} … C_{i,k−1}. */
  readonly coefficientCommitments: readonly Point[];
  readonly coefficientProofs: readonly SchnorrProof[];
}

export interface TrusteeSetup {
  /** Kept by the trustee only (seal it with sealTrusteeFile). */
  readonly secrets: TrusteeSecrets;
  /** Published in `TrusteeCommitted`. */
  readonly commitment: TrusteeCommitment;
}

/** Round 1 for trustee `trusteeIndex`: fresh identity key and polynomial, with proofs. */
export function createTrusteeSetup(parameters: CeremonyParameters, trusteeIndex: number, rng: RandomSource = systemRandom): TrusteeSetup {
  assertCeremonyParameters(parameters);
  assertTrusteeIndex(trusteeIndex, parameters, 'trusteeIndex');
  const fingerprint = parameters.electionFingerprint;
  const identitySecretKey = randomScalar(rng);
  const coefficients = Array.from({ length: parameters.threshold }, () => randomScalar(rng));
  const commitment: TrusteeCommitment = {
    trusteeIndex,
    identityKey: multiplyBase(identitySecretKey),
    identityProof: proveSchnorr(identitySecretKey, fingerprint, identityProofContext(parameters, trusteeIndex), rng),
    coefficientCommitments: coefficients.map((a) => multiplyBase(a)),
    coefficientProofs: coefficients.map((a, j) =>
      proveSchnorr(a, fingerprint, coefficientProofContext(parameters, trusteeIndex, j), rng),
    ),
  };
  return { secrets: { identitySecretKey, polynomialCoefficients: coefficients, secretShare: null }, commitment };
}

export function assertTrusteeCommitment(value: unknown, parameters: CeremonyParameters, field = 'commitment'): TrusteeCommitment {
  if (typeof value !== 'object' || value === null) throw new CryptoError('INVALID_TYPE', field, 'expected a TrusteeCommitment');
  const commitment = value as TrusteeCommitment;
  assertTrusteeIndex(commitment.trusteeIndex, parameters, `${field}.trusteeIndex`);
  assertPoint(commitment.identityKey, `${field}.identityKey`);
  assertSchnorrProof(commitment.identityProof, `${field}.identityProof`);
  for (const name of ['coefficientCommitments', 'coefficientProofs'] as const) {
    const list = commitment[name];
    if (!Array.isArray(list)) throw new CryptoError('INVALID_TYPE', `${field}.${name}`, 'expected an array');
    if (list.length !== parameters.threshold) {
      throw new CryptoError('INVALID_LENGTH', `${field}.${name}`, `expected ${parameters.threshold} entries (the threshold), got ${list.length}`);
    }
  }
  commitment.coefficientCommitments.forEach((c, j) => assertPoint(c, `${field}.coefficientCommitments[${j}]`));
  commitment.coefficientProofs.forEach((p, j) => assertSchnorrProof(p, `${field}.coefficientProofs[${j}]`));
  return commitment;
}

/**
 * Checks every Schnorr proof of a published commitment. Returns false if any proof fails; throws
 * CryptoError if the commitment is malformed (wrong shape, identity points, scalars ≥ ℓ).
 */
export function verifyTrusteeCommitment(parameters: CeremonyParameters, commitment: TrusteeCommitment): boolean {
  assertCeremonyParameters(parameters);
  assertTrusteeCommitment(commitment, parameters);
  const fingerprint = parameters.electionFingerprint;
  const i = commitment.trusteeIndex;
  if (!verifySchnorr(commitment.identityKey, commitment.identityProof, fingerprint, identityProofContext(parameters, i))) return false;
  return commitment.coefficientCommitments.every((c, j) =>
    verifySchnorr(c, commitment.coefficientProofs[j]!, fingerprint, coefficientProofContext(parameters, i, j)),
  );
}

/**
 * Wire form: u32be(i) ‖ X_i ‖ proof(X_i) ‖ C_{i,0} ‖ proof_0 ‖ … ‖ C_{i,k−1} ‖ proof_{k−1}
 * (points 32 bytes, Schnorr proofs t ‖ z 64 bytes): 4 + 96·(k + 1) bytes.
 */
export function encodeTrusteeCommitment(parameters: CeremonyParameters, commitment: TrusteeCommitment): Uint8Array {
  assertCeremonyParameters(parameters);
  assertTrusteeCommitment(commitment, parameters);
  const out = new Uint8Array(4 + 96 * (parameters.threshold + 1));
  new DataView(out.buffer).setUint32(0, commitment.trusteeIndex);
  out.set(encodePoint(commitment.identityKey), 4);
  out.set(encodeSchnorrProof(commitment.identityProof), 36);
  commitment.coefficientCommitments.forEach((c, j) => {
    out.set(encodePoint(c), 100 + 96 * j);
    out.set(encodeSchnorrProof(commitment.coefficientProofs[j]!), 132 + 96 * j);
  });
  return out;
}

export function decodeTrusteeCommitment(parameters: CeremonyParameters, bytes: Uint8Array, field = 'commitment'): TrusteeCommitment {
  assertCeremonyParameters(parameters);
  const length = 4 + 96 * (parameters.threshold + 1);
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('INVALID_TYPE', field, 'expected Uint8Array');
  if (bytes.length !== length) throw new CryptoError('INVALID_LENGTH', field, `expected ${length} bytes, got ${bytes.length}`);
  const trusteeIndex = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  const commitment: TrusteeCommitment = {
    trusteeIndex,
    identityKey: decodePoint(bytes.subarray(4, 36), `${field}.identityKey`),
    identityProof: decodeSchnorrProof(bytes.subarray(36, 100), `${field}.identityProof`),
    coefficientCommitments: Array.from({ length: parameters.threshold }, (_, j) =>
      decodePoint(bytes.subarray(100 + 96 * j, 132 + 96 * j), `${field}.coefficientCommitments[${j}]`),
    ),
    coefficientProofs: Array.from({ length: parameters.threshold }, (_, j) =>
      decodeSchnorrProof(bytes.subarray(132 + 96 * j, 196 + 96 * j), `${field}.coefficientProofs[${j}]`),
    ),
  };
  return assertTrusteeCommitment(commitment, parameters, field);
}
