/**
 * Chaum–Pedersen proof of equality of discrete logarithms: knowledge of x with h1 = x·g1 and
 * h2 = x·g2, in commitment form (t1, t2, z):
 *
 *   t1 = w·g1, t2 = w·g2,
 *   c  = H_FS("townhall/v1/proof/chaum-pedersen", fp, ctx, [g1, h1, g2, h2], [t1, t2]),
 *   z  = w + c·x
 *   verify:  z·g1 − t1 − c·h1 = identity  and  z·g2 − t2 − c·h2 = identity
 *
 * Used for partial decryptions (g1 = G, h1 = trustee key share, g2 = α, h2 = share·α).
 */
import {
  POINT_LENGTH,
  SCALAR_LENGTH,
  assertBytes,
  assertPoint,
  assertScalar,
  decodePoint,
  decodeScalar,
  encodePoint,
  encodeScalar,
  multiplySecret,
  scalarAdd,
  scalarMul,
  scalarNeg,
  type Point,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import { fiatShamirChallenge } from '../transcript.ts';
import { assertBinding, assertObject, assertRandomSource, randomScalar } from './common.ts';
import { isEquationSatisfied, type LinearEquation } from './equation.ts';

export const CHAUM_PEDERSEN_TAG = 'townhall/v1/proof/chaum-pedersen';
export const CHAUM_PEDERSEN_PROOF_LENGTH = 2 * POINT_LENGTH + SCALAR_LENGTH;

export interface DlogEqualityStatement {
  readonly g1: Point;
  readonly h1: Point;
  readonly g2: Point;
  readonly h2: Point;
}

export interface ChaumPedersenProof {
  readonly commitment1: Point;
  readonly commitment2: Point;
  readonly response: Scalar;
}

export function assertDlogEqualityStatement(value: unknown, field = 'statement'): DlogEqualityStatement {
  const statement = assertObject(value, field);
  for (const name of ['g1', 'h1', 'g2', 'h2'] as const) assertPoint(statement[name], `${field}.${name}`);
  return value as DlogEqualityStatement;
}

export function assertChaumPedersenProof(value: unknown, field = 'proof'): ChaumPedersenProof {
  const proof = assertObject(value, field);
  assertPoint(proof.commitment1, `${field}.commitment1`);
  assertPoint(proof.commitment2, `${field}.commitment2`);
  assertScalar(proof.response, `${field}.response`);
  return value as ChaumPedersenProof;
}

function challenge(s: DlogEqualityStatement, t1: Point, t2: Point, fingerprint: Uint8Array, context: string): Scalar {
  return fiatShamirChallenge({
    tag: CHAUM_PEDERSEN_TAG,
    fingerprint,
    context,
    statement: [encodePoint(s.g1), encodePoint(s.h1), encodePoint(s.g2), encodePoint(s.h2)],
    commitments: [encodePoint(t1), encodePoint(t2)],
  });
}

/** Proves log_g1(h1) = log_g2(h2) = secret. The caller's statement must be true. */
export function proveChaumPedersen(
  statement: DlogEqualityStatement,
  secret: Scalar,
  fingerprint: Uint8Array,
  context: string,
  rng?: RandomSource,
): ChaumPedersenProof {
  assertDlogEqualityStatement(statement);
  assertScalar(secret, 'secret', { allowZero: false });
  assertBinding(fingerprint, context);
  const random = assertRandomSource(rng);
  const nonce = randomScalar(random);
  const commitment1 = multiplySecret(statement.g1, nonce);
  const commitment2 = multiplySecret(statement.g2, nonce);
  const c = challenge(statement, commitment1, commitment2, fingerprint, context);
  return { commitment1, commitment2, response: scalarAdd(nonce, scalarMul(c, secret)) };
}

export function chaumPedersenEquations(
  statement: DlogEqualityStatement,
  proof: ChaumPedersenProof,
  fingerprint: Uint8Array,
  context: string,
  label = 'proof',
): LinearEquation[] {
  assertDlogEqualityStatement(statement);
  assertChaumPedersenProof(proof);
  assertBinding(fingerprint, context);
  const c = challenge(statement, proof.commitment1, proof.commitment2, fingerprint, context);
  const minusOne = scalarNeg(1n);
  return [
    { label: `${label}:g1`, terms: [[proof.response, statement.g1], [minusOne, proof.commitment1], [scalarNeg(c), statement.h1]] },
    { label: `${label}:g2`, terms: [[proof.response, statement.g2], [minusOne, proof.commitment2], [scalarNeg(c), statement.h2]] },
  ];
}

export function verifyChaumPedersen(
  statement: DlogEqualityStatement,
  proof: ChaumPedersenProof,
  fingerprint: Uint8Array,
  context: string,
): boolean {
  return chaumPedersenEquations(statement, proof, fingerprint, context).every(isEquationSatisfied);
}

/** t1 ‖ t2 ‖ z, 96 bytes. */
export function encodeChaumPedersenProof(proof: ChaumPedersenProof): Uint8Array {
  assertChaumPedersenProof(proof);
  const out = new Uint8Array(CHAUM_PEDERSEN_PROOF_LENGTH);
  out.set(encodePoint(proof.commitment1), 0);
  out.set(encodePoint(proof.commitment2), POINT_LENGTH);
  out.set(encodeScalar(proof.response), 2 * POINT_LENGTH);
  return out;
}

export function decodeChaumPedersenProof(bytes: Uint8Array, field = 'proof'): ChaumPedersenProof {
  assertBytes(bytes, field, CHAUM_PEDERSEN_PROOF_LENGTH);
  return {
    commitment1: decodePoint(bytes.subarray(0, POINT_LENGTH), `${field}.commitment1`),
    commitment2: decodePoint(bytes.subarray(POINT_LENGTH, 2 * POINT_LENGTH), `${field}.commitment2`),
    response: decodeScalar(bytes.subarray(2 * POINT_LENGTH), `${field}.response`),
  };
}
