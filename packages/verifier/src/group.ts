import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, lengthPrefixed, u32be, utf8 } from './bytes.ts';
import { bucketSum, decodeRistretto, encodeRistretto, fromNoble, toNoble } from './edwards25519.ts';

// protocol.md §3–§5 and crypto.md §3: ristretto255, strict decoding, hashToScalar, H_FS, and the
// proofs kept as linear equations Σ sᵢ·Pᵢ = O so they can be checked one by one or batched (§7).

export const Point = ristretto255.Point;
export type Point = InstanceType<typeof ristretto255.Point>;
export const G = Point.BASE;
export const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

const HALF_ORDER = ORDER >> 1n;

export const mod = (x: bigint): bigint => ((x % ORDER) + ORDER) % ORDER;

function intLe(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/**
 * Which field arithmetic decodes, encodes and adds up the batches (decision 0006): @noble's by
 * default, the verifier's own (./edwards25519.ts) once a Node entry calls `useOwnFieldArithmetic`.
 * Node 20's V8 is slow at BigInt division, which @noble reduces with; the own code folds instead and
 * is 1.6× faster there, but Chromium's V8 divides fast and runs @noble's code 1.5× faster than ours.
 */
let ownArithmetic = false;

export function useOwnFieldArithmetic(on = true): void {
  ownArithmetic = on;
}

// Encoding costs an inverse square root; remember the bytes a point was decoded from or encoded to.
const encodings = new WeakMap<Point, Uint8Array>();

/** enc(P), RFC 9496 §4.3.2. */
export function encodePoint(point: Point): Uint8Array {
  let bytes = encodings.get(point);
  if (!bytes) encodings.set(point, (bytes = ownArithmetic ? encodeRistretto(fromNoble(point)) : point.toBytes()));
  return bytes;
}

/** RFC 9496 §4.3.1 decoding; the identity is refused unless allowed (protocol.md §3). */
export function decodePoint(bytes: Uint8Array, options: { allowIdentity?: boolean } = {}): Point {
  if (bytes.length !== 32) throw new TypeError('point: expected 32 bytes');
  let point: Point;
  if (ownArithmetic) {
    const coordinates = decodeRistretto(bytes);
    if (coordinates === null) throw new TypeError('point: not a valid ristretto255 encoding');
    point = toNoble(coordinates);
  } else {
    try {
      point = Point.fromBytes(bytes);
    } catch {
      throw new TypeError('point: not a valid ristretto255 encoding');
    }
  }
  if (!options.allowIdentity && point.is0()) throw new TypeError('point: identity');
  encodings.set(point, bytes.slice());
  return point;
}

/** 32 bytes little-endian, < ℓ, never reduced (protocol.md §3). */
export function decodeScalar(bytes: Uint8Array): bigint {
  if (bytes.length !== 32) throw new TypeError('scalar: expected 32 bytes');
  const n = intLe(bytes);
  if (n >= ORDER) throw new TypeError('scalar: not below the group order');
  return n;
}

/** protocol.md §4. */
export function hashToScalar(tag: string, inputs: readonly Uint8Array[]): bigint {
  return mod(intLe(sha512(concatBytes(lengthPrefixed(utf8(tag)), u32be(inputs.length), lengthPrefixed(...inputs)))));
}

/** protocol.md §5, strong Fiat–Shamir. */
export function challenge(tag: string, fp: Uint8Array, context: string, statement: readonly Uint8Array[], commitments: readonly Uint8Array[]): bigint {
  return hashToScalar(tag, [fp, utf8(context), u32be(statement.length), ...statement, ...commitments]);
}

/** One equation Σ scalar·point = O. */
export type Equation = { scalar: bigint; point: Point }[];

export function holds(equation: Equation): boolean {
  // A short equation is cheaper term by term (G uses its precomputed tables) than through Pippenger.
  if (equation.length > 8) return msm(equation).is0();
  let sum = Point.ZERO;
  for (const t of equation) {
    const s = mod(t.scalar);
    if (s !== 0n) sum = sum.add(t.point === G ? G.multiply(s) : t.point.multiplyUnsafe(s));
  }
  return sum.is0();
}

function msm(terms: Equation): Point {
  const nonZero = terms.filter((t) => mod(t.scalar) !== 0n);
  if (nonZero.length === 0) return Point.ZERO;
  return multiScalarMultiply(nonZero.map((t) => t.point), nonZero.map((t) => mod(t.scalar)));
}

/**
 * The window width c that costs the fewest point additions: about ⌈(bits+1)/c⌉ bucket additions per
 * scalar, plus 2^c per window to fold its 2^(c−1) buckets (signed digits halve the buckets).
 */
function windowFor(bitLengths: Uint16Array, longest: number): number {
  let best = 2;
  let bestCost = Infinity;
  for (let c = 2; c <= 16; c++) {
    let cost = Math.ceil((longest + 1) / c) * (1 << c);
    for (const bits of bitLengths) cost += Math.ceil((bits + 1) / c);
    if (cost < bestCost) [best, bestCost] = [c, cost];
  }
  return best;
}

/**
 * Σ scalars[i]·points[i] by the bucket method with signed digits (crypto.md §7): each scalar in
 * radix 2^c with digits in [−2^(c−1), 2^(c−1)), so a window needs 2^(c−1) buckets, and a zero digit
 * costs nothing (the 128-bit batch weights leave the upper windows of the commitments empty).
 * Variable time: every input is public.
 */
export function multiScalarMultiply(points: readonly Point[], scalars: readonly bigint[]): Point {
  const n = points.length;
  if (n === 0) return Point.ZERO;
  // k·P = (ℓ − k)·(−P): a scalar above ℓ/2 is taken as the shorter ℓ − k on the negated point, so a
  // negated 128-bit batch weight (the −ρ on each commitment) keeps its upper windows empty.
  const flipped = new Uint8Array(n);
  const short: bigint[] = new Array(n);
  const bitLengths = new Uint16Array(n);
  let longest = 0;
  for (let j = 0; j < n; j++) {
    let k = mod(scalars[j]!);
    if (k > HALF_ORDER) {
      k = ORDER - k;
      flipped[j] = 1;
    }
    short[j] = k;
    bitLengths[j] = k === 0n ? 0 : k.toString(16).length * 4;
    if (bitLengths[j]! > longest) longest = bitLengths[j]!;
  }
  const c = windowFor(bitLengths, longest);
  const windows = Math.ceil((longest + 1) / c) + 1;
  const half = 1 << (c - 1);
  const digits = new Int32Array(n * windows);
  const mask = BigInt((1 << c) - 1);
  const shift = BigInt(c);
  let top = 0;
  for (let j = 0; j < n; j++) {
    let k = short[j]!;
    let carry = 0;
    for (let w = 0; w < windows && (k !== 0n || carry !== 0); w++) {
      let d = Number(k & mask) + carry;
      k >>= shift;
      carry = d >= half ? 1 : 0;
      if (carry) d -= 1 << c;
      digits[j * windows + w] = d;
      if (d !== 0 && w > top) top = w;
    }
  }
  if (!ownArithmetic) return nobleBucketSum(points, flipped, digits, windows, top, c);
  const sum = bucketSum(points.map(fromNoble), flipped, digits, windows, top, c);
  return sum === undefined ? Point.ZERO : toNoble(sum);
}

/** The bucket sums of `multiScalarMultiply` with @noble's point additions. */
function nobleBucketSum(points: readonly Point[], flipped: Uint8Array, digits: Int32Array, windows: number, top: number, c: number): Point {
  const n = points.length;
  const half = 1 << (c - 1);
  const negated: (Point | undefined)[] = new Array(n);
  let sum = Point.ZERO;
  const buckets: (Point | undefined)[] = new Array(half);
  for (let w = top; w >= 0; w--) {
    for (let i = 0; i < c && w !== top; i++) sum = sum.double();
    buckets.fill(undefined);
    for (let j = 0; j < n; j++) {
      const d = digits[j * windows + w]!;
      if (d === 0) continue;
      const P = d > 0 !== (flipped[j] === 1) ? points[j]! : (negated[j] ??= points[j]!.negate());
      const b = (d > 0 ? d : -d) - 1;
      const bucket = buckets[b];
      buckets[b] = bucket === undefined ? P : bucket.add(P);
    }
    // Σ (b+1)·bucket[b] as a running sum of running sums.
    let running: Point | undefined;
    let total: Point | undefined;
    for (let b = half - 1; b >= 0; b--) {
      const bucket = buckets[b];
      if (bucket !== undefined) running = running === undefined ? bucket : running.add(bucket);
      if (running !== undefined) total = total === undefined ? running : total.add(running);
    }
    if (total !== undefined) sum = sum.add(total);
  }
  return sum;
}

/**
 * crypto.md §7: Σ_e ρ_e · equation_e = O with independent random 128-bit weights, in one
 * multi-scalar multiplication. False means at least one equation fails (then check them one by one).
 */
export function batchHolds(equations: readonly Equation[]): boolean {
  const weights = new Uint8Array(16 * equations.length);
  // getRandomValues fills at most 65,536 bytes per call (WebCrypto).
  for (let at = 0; at < weights.length; at += 65_536) globalThis.crypto.getRandomValues(weights.subarray(at, at + 65_536));
  // crypto.md §7: add up the coefficients of the same element first (G, K and each ciphertext's α, β
  // occur in many equations), so the MSM has one term per distinct element.
  const coefficients = new Map<Point, bigint>();
  equations.forEach((equation, e) => {
    let rho = intLe(weights.subarray(16 * e, 16 * e + 16));
    if (rho === 0n) rho = 1n;
    for (const t of equation) coefficients.set(t.point, ((coefficients.get(t.point) ?? 0n) + t.scalar * rho) % ORDER);
  });
  const terms: Equation = [...coefficients].map(([point, scalar]) => ({ point, scalar }));
  return msm(terms).is0();
}

export const TAG_SCHNORR = 'townhall/v1/proof/schnorr';
export const TAG_CHAUM_PEDERSEN = 'townhall/v1/proof/chaum-pedersen';
export const TAG_SELECTION = 'townhall/v1/proof/selection';
export const TAG_CONTEST_RANGE = 'townhall/v1/proof/contest-range';

/** crypto.md §3.1: z·G − t − c·X = O. Throws on malformed encodings. */
export function schnorrEquations(fp: Uint8Array, context: string, X: Point, proof: Uint8Array): Equation[] {
  if (proof.length !== 64) throw new TypeError('Schnorr proof: expected 64 bytes');
  const tBytes = proof.subarray(0, 32);
  const t = decodePoint(tBytes);
  const z = decodeScalar(proof.subarray(32));
  const c = challenge(TAG_SCHNORR, fp, context, [encodePoint(X)], [tBytes]);
  return [[{ scalar: z, point: G }, { scalar: -1n, point: t }, { scalar: -c, point: X }]];
}

/** crypto.md §3.2: z·g1 − t1 − c·h1 = O and z·g2 − t2 − c·h2 = O. */
export function chaumPedersenEquations(fp: Uint8Array, context: string, g1: Point, h1: Point, g2: Point, h2: Point, proof: Uint8Array): Equation[] {
  if (proof.length !== 96) throw new TypeError('Chaum–Pedersen proof: expected 96 bytes');
  const t1 = decodePoint(proof.subarray(0, 32));
  const t2 = decodePoint(proof.subarray(32, 64));
  const z = decodeScalar(proof.subarray(64));
  const c = challenge(TAG_CHAUM_PEDERSEN, fp, context, [g1, h1, g2, h2].map(encodePoint), [proof.subarray(0, 32), proof.subarray(32, 64)]);
  return [
    [{ scalar: z, point: g1 }, { scalar: -1n, point: t1 }, { scalar: -c, point: h1 }],
    [{ scalar: z, point: g2 }, { scalar: -1n, point: t2 }, { scalar: -c, point: h2 }],
  ];
}

/**
 * crypto.md §3.3: the disjunctive proof of an allowed value. Returns the group equations, or throws
 * when the encoding is wrong or Σ c_j ≠ c (a scalar check, done before any group operation).
 */
export function disjunctiveEquations(tag: string, fp: Uint8Array, context: string, K: Point, alpha: Point, beta: Point, values: readonly number[], proof: Uint8Array): Equation[] {
  if (proof.length !== 128 * values.length) throw new TypeError(`disjunctive proof: expected ${128 * values.length} bytes, found ${proof.length}`);
  const branches = values.map((V, j) => {
    const at = 128 * j;
    return { V, t1: decodePoint(proof.subarray(at, at + 32)), t2: decodePoint(proof.subarray(at + 32, at + 64)), c: decodeScalar(proof.subarray(at + 64, at + 96)), z: decodeScalar(proof.subarray(at + 96, at + 128)), raw: proof.subarray(at, at + 64) };
  });
  const valueBytes = concatBytes(...values.map((v) => u32be(v)));
  const c = challenge(tag, fp, context, [encodePoint(K), encodePoint(alpha), encodePoint(beta), valueBytes], branches.flatMap((b) => [b.raw.subarray(0, 32), b.raw.subarray(32, 64)]));
  if (mod(branches.reduce((sum, b) => sum + b.c, 0n)) !== c) throw new ProofError('challenges do not add up to the Fiat–Shamir challenge');
  return branches.flatMap((b) => [
    [{ scalar: b.z, point: G }, { scalar: -1n, point: b.t1 }, { scalar: -b.c, point: alpha }],
    [{ scalar: b.z, point: K }, { scalar: -1n, point: b.t2 }, { scalar: -b.c, point: beta }, { scalar: b.c * BigInt(b.V), point: G }],
  ]);
}

/** A proof that is well-formed but false at a scalar check. */
export class ProofError extends Error {}
