/**
 * Batch verification (docs/protocol/crypto.md §7). Every proof equation has the form
 * Σ s_i·P_i = identity. For a batch, each equation e gets an independent random 128-bit weight ρ_e
 * and the verifier checks the single equation
 *
 *   Σ_e ρ_e · Σ_i s_{e,i}·P_{e,i} = identity
 *
 * with one multi-scalar multiplication (Pippenger), after merging the coefficients of repeated
 * points (G, K, and each ciphertext's α and β, which occur in several equations). If any
 * equation is false the combination is the identity with probability at most 2^-128. When the
 * batch fails, halves are re-checked with fresh weights until the bad ballots are isolated.
 */
import { CryptoError, wrapErrors } from '../errors.ts';
import {
  G,
  GROUP_ORDER,
  IDENTITY,
    assertPoint,
  assertBytes,
  cachedFixedBase,
  scalarAdd,
  scalarMul,
  systemRandom,
  type Point,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import { FINGERPRINT_LENGTH } from '../transcript.ts';
import { isEquationSatisfied, type LinearEquation } from '../proofs/equation.ts';
import { ballotEquations, parseManifest, type EncryptedBallot } from '../ballot/ballot.ts';
import type { BallotManifest } from '../ballot/schema.ts';

export const BATCH_WEIGHT_BYTES = 16;

export interface BatchOptions {
  /** Source of the random weights; the system CSPRNG by default. */
  rng?: RandomSource;
}

export interface InvalidItem {
  readonly index: number;
  readonly error: CryptoError;
}

export interface BatchTimings {
  /** Structure checks, Fiat–Shamir hashing and building the equations (ms). */
  equationsMs: number;
  /** The combined multi-scalar multiplications, including fallback rounds (ms). */
  msmMs: number;
}

export interface BatchResult {
  readonly isValid: boolean;
  /** Ballots that failed, by index into the input, with the first failing check. */
  readonly invalid: readonly InvalidItem[];
  readonly timings: BatchTimings;
}

function randomWeight(rng: RandomSource): Scalar {
  const bytes = assertBytes(rng(BATCH_WEIGHT_BYTES), 'rng()', BATCH_WEIGHT_BYTES);
  let weight = 0n;
  for (const byte of bytes) weight = (weight << 8n) | BigInt(byte);
  return weight === 0n ? 1n : weight;
}

/**
 * Checks that all `equations` hold, with one MSM. `fixedBases` (G and the election key, with
 * precomputed tables) are multiplied with their tables instead of going into Pippenger.
 */
export function checkEquationsBatched(
  equations: readonly LinearEquation[],
  fixedBases: readonly Point[] = [G],
  rng: RandomSource = systemRandom,
): boolean {
  if (!Array.isArray(equations)) throw new CryptoError('INVALID_TYPE', 'equations', 'expected an array of equations');
  if (!Array.isArray(fixedBases)) throw new CryptoError('INVALID_TYPE', 'fixedBases', 'expected an array of points');
  if (typeof rng !== 'function') throw new CryptoError('INVALID_TYPE', 'rng', 'expected a function');
  return wrapErrors('INVALID_ARGUMENT', 'equations', () => combineAndCheck(equations, fixedBases, rng));
}

function combineAndCheck(equations: readonly LinearEquation[], fixedBases: readonly Point[], rng: RandomSource): boolean {
  const coefficients = new Map<Point, Scalar>();
  for (const equation of equations) {
    const weight = randomWeight(rng);
    for (const [scalar, point] of equation.terms) {
      const weighted = scalarMul(weight, scalar);
      coefficients.set(point, scalarAdd(coefficients.get(point) ?? 0n, weighted));
    }
  }
  let sum = IDENTITY;
  const points: Point[] = [];
  const scalars: Scalar[] = [];
  for (const [point, scalar] of coefficients) {
    if (scalar === 0n) continue;
    if (fixedBases.includes(point)) sum = sum.add(point.multiplyUnsafe(scalar));
    else {
      points.push(point);
      scalars.push(scalar);
    }
  }
  if (points.length > 0) sum = sum.add(multiScalarMultiply(points, scalars));
  return sum.is0();
}

const HALF_ORDER = GROUP_ORDER >> 1n;
const SHORT_SCALAR_BITS = 8 * BATCH_WEIGHT_BYTES + 1;
const LONG_SCALAR_BITS = HALF_ORDER.toString(2).length;

/**
 * Σ sᵢ·Pᵢ for public data. A scalar above ℓ/2 is replaced by ℓ − s on −P, so every scalar has at
 * most 252 bits and the many terms whose coefficient is ±ρ (a commitment t times its 128-bit
 * weight) become 129-bit scalars. The two kinds go through the bucket method separately, so the
 * short ones only walk 129 bits.
 */
export function multiScalarMultiply(points: readonly Point[], scalars: readonly Scalar[]): Point {
  const shortPoints: Point[] = [];
  const shortScalars: Scalar[] = [];
  const longPoints: Point[] = [];
  const longScalars: Scalar[] = [];
  points.forEach((point, i) => {
    let scalar = scalars[i]!;
    let base = point;
    if (scalar > HALF_ORDER) {
      scalar = GROUP_ORDER - scalar;
      base = point.negate();
    }
    if (scalar >> BigInt(SHORT_SCALAR_BITS) === 0n) {
      shortPoints.push(base);
      shortScalars.push(scalar);
    } else {
      longPoints.push(base);
      longScalars.push(scalar);
    }
  });
  return bucketMultiply(shortPoints, shortScalars, SHORT_SCALAR_BITS).add(bucketMultiply(longPoints, longScalars, LONG_SCALAR_BITS));
}

/**
 * Pippenger's bucket method over scalars below 2^bits, with signed digits: in base 2^w every
 * digit but the top one lies in [−2^(w−1), 2^(w−1)), so a window needs 2^(w−1) buckets instead
 * of 2^w − 1 and a negative digit adds −P. Zero digits are skipped (variable time: public data).
 */
function bucketMultiply(points: readonly Point[], scalars: readonly Scalar[], bits: number): Point {
  const count = points.length;
  if (count === 0) return IDENTITY;
  const window = Math.max(2, Math.min(16, Math.floor(Math.log2(count)) - 2));
  // One window more than ⌈bits / w⌉ may be needed for the last carry; the top digit is then at
  // most 2^(bits mod w) ≤ 2^(w−1), so it is never recoded.
  const windowCount = Math.floor(bits / window) + 1;
  const half = 1 << (window - 1);
  const mask = BigInt((1 << window) - 1);
  const shift = BigInt(window);
  const digits = new Int32Array(count * windowCount);
  for (let j = 0; j < count; j++) {
    let rest = scalars[j]!;
    let carry = 0;
    for (let k = 0; k < windowCount; k++) {
      let digit = Number(rest & mask) + carry;
      rest >>= shift;
      carry = 0;
      if (digit >= half && k < windowCount - 1) {
        digit -= 1 << window;
        carry = 1;
      }
      digits[j * windowCount + k] = digit;
    }
  }
  const negated: (Point | undefined)[] = new Array(count);
  const buckets: Point[] = new Array(half + 1);
  let sum = IDENTITY;
  for (let k = windowCount - 1; k >= 0; k--) {
    for (let d = 0; d < window && sum !== IDENTITY; d++) sum = sum.double();
    buckets.fill(IDENTITY);
    for (let j = 0; j < count; j++) {
      const digit = digits[j * windowCount + k]!;
      if (digit > 0) buckets[digit] = buckets[digit]!.add(points[j]!);
      else if (digit < 0) buckets[-digit] = buckets[-digit]!.add((negated[j] ??= points[j]!.negate()));
    }
    let running = IDENTITY;
    let windowSum = IDENTITY;
    for (let d = half; d > 0; d--) {
      running = running.add(buckets[d]!);
      windowSum = windowSum.add(running);
    }
    sum = sum.add(windowSum);
  }
  return sum;
}

function firstFailure(equations: readonly LinearEquation[]): CryptoError {
  for (const equation of equations) {
    if (!isEquationSatisfied(equation)) return new CryptoError('INVALID_PROOF', equation.label, 'verification equation does not hold');
  }
  // The batch said no but every equation holds: only possible if the weights were degenerate.
  return new CryptoError('INVALID_PROOF', 'ballot', 'batch check failed but no single equation does');
}

/**
 * Verifies many ballots of one election together. Returns which ballots are invalid (with the
 * failing field) instead of throwing for them; throws only for bad manifest, key or fingerprint.
 */
export function verifyBallotBatch(
  manifest: BallotManifest,
  ballots: readonly EncryptedBallot[],
  electionKey: Point,
  fingerprint: Uint8Array,
  options: BatchOptions = {},
): BatchResult {
  const checkedManifest = parseManifest(manifest);
  assertPoint(electionKey, 'electionKey');
  assertBytes(fingerprint, 'fingerprint', FINGERPRINT_LENGTH);
  if (!Array.isArray(ballots)) throw new CryptoError('INVALID_TYPE', 'ballots', 'expected an array of ballots');
  const rng = options.rng ?? systemRandom;
  if (typeof rng !== 'function') throw new CryptoError('INVALID_TYPE', 'options.rng', 'expected a function');
  const K = cachedFixedBase(electionKey);
  const fixedBases = [G, K];

  const started = performance.now();
  const invalid: InvalidItem[] = [];
  const candidates: { index: number; equations: LinearEquation[] }[] = [];
  ballots.forEach((ballot, index) => {
    try {
      candidates.push({ index, equations: ballotEquations(checkedManifest, ballot, K, fingerprint, { expandAggregates: true }) });
    } catch (error) {
      const typed = error instanceof CryptoError ? error : new CryptoError('INVALID_BALLOT', 'ballot', String(error), { cause: error });
      invalid.push({ index, error: typed });
    }
  });
  const equationsMs = performance.now() - started;

  const msmStarted = performance.now();
  const isGroupValid = (group: typeof candidates) =>
    checkEquationsBatched(group.flatMap((c) => c.equations), fixedBases, rng);
  // Bisection: a failing group is split until each failing ballot stands alone.
  const pending = candidates.length > 0 ? [candidates] : [];
  while (pending.length > 0) {
    const group = pending.pop()!;
    if (isGroupValid(group)) continue;
    if (group.length === 1) {
      invalid.push({ index: group[0]!.index, error: firstFailure(group[0]!.equations) });
      continue;
    }
    const middle = Math.ceil(group.length / 2);
    pending.push(group.slice(middle), group.slice(0, middle));
  }
  const msmMs = performance.now() - msmStarted;
  invalid.sort((a, b) => a.index - b.index);
  return { isValid: invalid.length === 0, invalid, timings: { equationsMs, msmMs } };
}
