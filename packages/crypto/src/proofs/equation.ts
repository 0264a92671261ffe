/**
 * Proofs are kept in commitment form, so each verification equation is linear in group elements:
 *
 *   Σ s_i · P_i = identity
 *
 * A verifier either checks every equation on its own ({@link isEquationSatisfied}) or combines
 * many with random weights into one multi-scalar multiplication (src/batch).
 */
import { CryptoError, wrapErrors } from '../errors.ts';
import { GROUP_ORDER, IDENTITY, multiplyPublic, type Point, type Scalar } from '../group.ts';

export type Term = readonly [scalar: Scalar, point: Point];

export interface LinearEquation {
  /** Where the equation comes from, kept as evidence when it fails (e.g. `contests[0].selections[1].proof.branches[0]:K`). */
  readonly label: string;
  readonly terms: readonly Term[];
}

const MINUS_ONE = GROUP_ORDER - 1n;

/** Evaluates Σ s_i·P_i in variable time (public data only). */
export function evaluateTerms(terms: readonly Term[]): Point {
  if (!Array.isArray(terms)) throw new CryptoError('INVALID_TYPE', 'terms', 'expected an array of [scalar, point] terms');
  return wrapErrors('INVALID_ARGUMENT', 'terms', () => sumTerms(terms));
}

function sumTerms(terms: readonly Term[]): Point {
  let sum = IDENTITY;
  for (const [scalar, point] of terms) {
    if (scalar === 0n) continue;
    if (scalar === 1n) sum = sum.add(point);
    else if (scalar === MINUS_ONE) sum = sum.subtract(point);
    else sum = sum.add(multiplyPublic(point, scalar));
  }
  return sum;
}

export function isEquationSatisfied(equation: LinearEquation): boolean {
  if (typeof equation !== 'object' || equation === null) throw new CryptoError('INVALID_TYPE', 'equation', 'expected a linear equation');
  return evaluateTerms(equation.terms).is0();
}
