/**
 * Schnorr proof of knowledge of x with X = x·G, in commitment form (t, z):
 *
 *   t = w·G,  c = H_FS("townhall/v1/proof/schnorr", fp, ctx, [X], [t]),  z = w + c·x
 *   verify:   z·G − t − c·X = identity
 */
import {
  G,
  SCALAR_LENGTH,
  POINT_LENGTH,
  assertBytes,
  assertPoint,
  assertScalar,
  decodePoint,
  decodeScalar,
  encodePoint,
  encodeScalar,
  scalarAdd,
  scalarMul,
  scalarNeg,
  type Point,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import { fiatShamirChallenge } from '../transcript.ts';
import { multiplyFixedBase } from '../elgamal/elgamal.ts';
import { assertBinding, assertObject, assertRandomSource, randomScalar } from './common.ts';
import { isEquationSatisfied, type LinearEquation } from './equation.ts';

export const SCHNORR_TAG = 'townhall/v1/proof/schnorr';
export const SCHNORR_PROOF_LENGTH = POINT_LENGTH + SCALAR_LENGTH;

export interface SchnorrProof {
  readonly commitment: Point;
  readonly response: Scalar;
}

function challenge(publicKey: Point, commitment: Point, fingerprint: Uint8Array, context: string): Scalar {
  return fiatShamirChallenge({
    tag: SCHNORR_TAG,
    fingerprint,
    context,
    statement: [encodePoint(publicKey)],
    commitments: [encodePoint(commitment)],
  });
}

/** Proves knowledge of `secret` for the public key secret·G. */
export function proveSchnorr(secret: Scalar, fingerprint: Uint8Array, context: string, rng?: RandomSource): SchnorrProof {
  assertScalar(secret, 'secret', { allowZero: false });
  assertBinding(fingerprint, context);
  const random = assertRandomSource(rng);
  const publicKey = multiplyFixedBase(G, secret);
  const nonce = randomScalar(random);
  const commitment = multiplyFixedBase(G, nonce);
  const c = challenge(publicKey, commitment, fingerprint, context);
  return { commitment, response: scalarAdd(nonce, scalarMul(c, secret)) };
}

export function assertSchnorrProof(value: unknown, field = 'proof'): SchnorrProof {
  const proof = assertObject(value, field);
  assertPoint(proof.commitment, `${field}.commitment`);
  assertScalar(proof.response, `${field}.response`);
  return value as SchnorrProof;
}

export function schnorrEquations(
  publicKey: Point,
  proof: SchnorrProof,
  fingerprint: Uint8Array,
  context: string,
  label = 'proof',
): LinearEquation[] {
  assertPoint(publicKey, 'publicKey');
  assertSchnorrProof(proof);
  assertBinding(fingerprint, context);
  const c = challenge(publicKey, proof.commitment, fingerprint, context);
  return [{ label, terms: [[proof.response, G], [scalarNeg(1n), proof.commitment], [scalarNeg(c), publicKey]] }];
}

export function verifySchnorr(publicKey: Point, proof: SchnorrProof, fingerprint: Uint8Array, context: string): boolean {
  return schnorrEquations(publicKey, proof, fingerprint, context).every(isEquationSatisfied);
}

/** t ‖ z, 64 bytes. */
export function encodeSchnorrProof(proof: SchnorrProof): Uint8Array {
  assertSchnorrProof(proof);
  const out = new Uint8Array(SCHNORR_PROOF_LENGTH);
  out.set(encodePoint(proof.commitment), 0);
  out.set(encodeScalar(proof.response), POINT_LENGTH);
  return out;
}

export function decodeSchnorrProof(bytes: Uint8Array, field = 'proof'): SchnorrProof {
  assertBytes(bytes, field, SCHNORR_PROOF_LENGTH);
  return {
    commitment: decodePoint(bytes.subarray(0, POINT_LENGTH), `${field}.commitment`),
    response: decodeScalar(bytes.subarray(POINT_LENGTH), `${field}.response`),
  };
}

