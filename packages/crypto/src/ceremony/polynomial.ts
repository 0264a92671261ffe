// Shamir/Feldman arithmetic: polynomial evaluation at a trustee index, the public evaluation of
// Feldman commitments, and Lagrange coefficients at 0.
import { CryptoError } from '../errors.ts';
import {
  IDENTITY,
  assertPoint,
  assertScalar,
  describeType,
  multiplyPublic,
  scalarAdd,
  scalarInvert,
  scalarMul,
  scalarSub,
  type Point,
  type Scalar,
} from '../group.ts';
import { MAX_TRUSTEES } from './parameters.ts';

function assertIndexList(value: unknown, field: string): readonly number[] {
  if (!Array.isArray(value)) throw new CryptoError('INVALID_TYPE', field, `expected an array, got ${describeType(value)}`);
  value.forEach((x, i) => assertEvaluationPoint(x, `${field}[${i}]`));
  return value;
}

function assertEvaluationPoint(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new CryptoError('INVALID_TYPE', field, `expected a number, got ${describeType(value)}`);
  if (!Number.isInteger(value) || value < 1 || value > MAX_TRUSTEES) {
    throw new CryptoError('INVALID_ARGUMENT', field, `expected a trustee index in [1, ${MAX_TRUSTEES}]`);
  }
  return value;
}

/** f(x) = Σ_j a_j·x^j mod ℓ (Horner), at a trustee index x. */
export function evaluatePolynomial(coefficients: readonly Scalar[], x: number): Scalar {
  if (!Array.isArray(coefficients)) throw new CryptoError('INVALID_TYPE', 'coefficients', 'expected an array of scalars');
  coefficients.forEach((a, j) => assertScalar(a, `coefficients[${j}]`));
  assertEvaluationPoint(x, 'x');
  let value = 0n;
  for (let j = coefficients.length - 1; j >= 0; j--) value = scalarAdd(scalarMul(value, BigInt(x)), coefficients[j]!);
  return value;
}

/** Σ_j x^j·C_j: what f(x)·G must equal if f is the committed polynomial (Feldman). */
export function evaluateCommitments(commitments: readonly Point[], x: number): Point {
  if (!Array.isArray(commitments)) throw new CryptoError('INVALID_TYPE', 'commitments', 'expected an array of points');
  commitments.forEach((c, j) => assertPoint(c, `commitments[${j}]`));
  assertEvaluationPoint(x, 'x');
  let value: Point = IDENTITY;
  for (let j = commitments.length - 1; j >= 0; j--) value = multiplyPublic(value, BigInt(x)).add(commitments[j]!);
  return value;
}

/** λ_i = Π_{m ∈ S, m ≠ i} m / (m − i) mod ℓ, for each i in the set S of distinct trustee indices. */
export function lagrangeCoefficientsAtZero(indices: readonly number[]): Map<number, Scalar> {
  assertIndexList(indices, 'indices');
  if (new Set(indices).size !== indices.length) throw new CryptoError('INVALID_ARGUMENT', 'indices', 'indices must be distinct');
  const coefficients = new Map<number, Scalar>();
  for (const i of indices) {
    let numerator = 1n;
    let denominator = 1n;
    for (const m of indices) {
      if (m === i) continue;
      numerator = scalarMul(numerator, BigInt(m));
      denominator = scalarMul(denominator, scalarSub(BigInt(m), BigInt(i)));
    }
    coefficients.set(i, scalarMul(numerator, scalarInvert(denominator, 'indices')));
  }
  return coefficients;
}
