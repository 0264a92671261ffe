// The public parameters of a k-of-n key ceremony and the proof contexts derived from them.
import { CryptoError } from '../errors.ts';
import { assertBytes, describeType } from '../group.ts';
import { FINGERPRINT_LENGTH } from '../transcript.ts';

/** Indices are 1 … n (the polynomial is evaluated at the trustee's index; 0 is the secret). */
export const MAX_TRUSTEES = 255;

export interface CeremonyParameters {
  /** 32-byte election fingerprint: every proof and ciphertext of the ceremony is bound to it. */
  readonly electionFingerprint: Uint8Array;
  /** k: how many trustees are needed to decrypt. */
  readonly threshold: number;
  /** n: how many trustees take part. */
  readonly trusteeCount: number;
}

export function assertCeremonyParameters(value: unknown, field = 'parameters'): CeremonyParameters {
  if (typeof value !== 'object' || value === null) {
    throw new CryptoError('INVALID_TYPE', field, `expected CeremonyParameters, got ${describeType(value)}`);
  }
  const parameters = value as CeremonyParameters;
  assertBytes(parameters.electionFingerprint, `${field}.electionFingerprint`, FINGERPRINT_LENGTH);
  const { threshold, trusteeCount } = parameters;
  if (typeof trusteeCount !== 'number' || !Number.isInteger(trusteeCount) || trusteeCount < 1 || trusteeCount > MAX_TRUSTEES) {
    throw new CryptoError('INVALID_ARGUMENT', `${field}.trusteeCount`, `expected an integer in [1, ${MAX_TRUSTEES}]`);
  }
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1 || threshold > trusteeCount) {
    throw new CryptoError('INVALID_ARGUMENT', `${field}.threshold`, `expected an integer in [1, ${trusteeCount}]`);
  }
  return parameters;
}

export function assertTrusteeIndex(value: unknown, parameters: CeremonyParameters, field: string): number {
  if (typeof value !== 'number') throw new CryptoError('INVALID_TYPE', field, `expected a number, got ${describeType(value)}`);
  if (!Number.isInteger(value) || value < 1 || value > parameters.trusteeCount) {
    throw new CryptoError('INVALID_ARGUMENT', field, `expected a trustee index in [1, ${parameters.trusteeCount}]`);
  }
  return value;
}

const prefix = (p: CeremonyParameters) => `ceremony/${p.threshold}-of-${p.trusteeCount}`;

/** Context of trustee i's proof of possession of its identity key. */
export const identityProofContext = (p: CeremonyParameters, trustee: number) => `${prefix(p)}/trustee:${trustee}/identity`;
/** Context of trustee i's proof of knowledge of coefficient a_{i,j}. */
export const coefficientProofContext = (p: CeremonyParameters, trustee: number, j: number) =>
  `${prefix(p)}/trustee:${trustee}/coefficient:${j}`;
/** Context of the Chaum–Pedersen proof that reveals a share's DH secret in a complaint. */
export const complaintProofContext = (p: CeremonyParameters, complainant: number, accused: number) =>
  `${prefix(p)}/complaint/from:${complainant}/against:${accused}`;
