/**
 * The prime-order group ristretto255 (RFC 9496) and its scalar field, with the strict encoders and
 * decoders every other module uses. Everything that crosses a trust boundary as bytes is decoded
 * here, so the rules "canonical encodings only" and "no identity unless allowed" live in one place.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes as systemRandomBytes } from '@noble/hashes/utils.js';
import { CryptoError } from './errors.ts';

export const RistrettoPoint = ristretto255.Point;
/** An element of ristretto255. Instances are immutable. */
export type Point = InstanceType<typeof ristretto255.Point>;
/** An element of Z/ℓZ, always kept in [0, ℓ). */
export type Scalar = bigint;
/** Returns `length` uniformly random bytes. */
export type RandomSource = (length: number) => Uint8Array;

export const POINT_LENGTH = 32;
export const SCALAR_LENGTH = 32;
/** ℓ = 2^252 + 27742317777372353535851937790883648493, the order of ristretto255 (RFC 9496 §4). */
export const GROUP_ORDER: bigint = RistrettoPoint.Fn.ORDER;
/** The canonical generator G (RFC 9496 §4.4). */
export const G: Point = RistrettoPoint.BASE;
/** The identity element. */
export const IDENTITY: Point = RistrettoPoint.ZERO;

const Fn = RistrettoPoint.Fn;

// ---------------------------------------------------------------------------------------------
// Type guards for public inputs

export function assertBytes(value: unknown, field: string, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('INVALID_TYPE', field, `expected Uint8Array, got ${describeType(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new CryptoError('INVALID_LENGTH', field, `expected ${length} bytes, got ${value.length}`);
  }
  return value;
}

export function assertPoint(value: unknown, field: string, options: { allowIdentity?: boolean } = {}): Point {
  if (!(value instanceof RistrettoPoint)) {
    throw new CryptoError('INVALID_TYPE', field, `expected a ristretto255 point, got ${describeType(value)}`);
  }
  if (!options.allowIdentity && value.is0()) {
    throw new CryptoError('IDENTITY_POINT', field, 'the identity element is not allowed here');
  }
  return value;
}

export function assertScalar(value: unknown, field: string, options: { allowZero?: boolean } = {}): Scalar {
  if (typeof value !== 'bigint') {
    throw new CryptoError('INVALID_TYPE', field, `expected a bigint scalar, got ${describeType(value)}`);
  }
  if (value < 0n || value >= GROUP_ORDER) {
    throw new CryptoError('NON_CANONICAL_SCALAR', field, 'scalar must lie in [0, ℓ)');
  }
  if (options.allowZero === false && value === 0n) {
    throw new CryptoError('INVALID_ARGUMENT', field, 'scalar must not be zero');
  }
  return value;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  return typeof value;
}

// ---------------------------------------------------------------------------------------------
// Encodings (RFC 9496 §4.3 for points; 32-byte little-endian for scalars)

// Encoding a ristretto255 element costs an inverse square root, as much as decoding it, and
// proof verification hashes every element it decoded. Points are immutable, so the canonical
// encoding seen at decode time (or computed once) is remembered per point object.
const encodingCache = new WeakMap<Point, Uint8Array>();

export function encodePoint(point: Point, field = 'point'): Uint8Array {
  assertPoint(point, field, { allowIdentity: true });
  let bytes = encodingCache.get(point);
  if (!bytes) {
    bytes = point.toBytes();
    encodingCache.set(point, bytes);
  }
  return bytes.slice();
}

/**
 * Decodes 32 bytes into a ristretto255 element. Rejects anything that is not the canonical
 * encoding (RFC 9496 §4.3.1 — noble checks s < p, s non-negative, and the square-root
 * conditions), and the identity unless `allowIdentity` is set.
 */
export function decodePoint(bytes: Uint8Array, field = 'point', options: { allowIdentity?: boolean } = {}): Point {
  assertBytes(bytes, field, POINT_LENGTH);
  let point: Point;
  try {
    point = RistrettoPoint.fromBytes(bytes);
  } catch (error) {
    throw new CryptoError('NON_CANONICAL_POINT', field, 'not a canonical ristretto255 encoding', { cause: error });
  }
  if (!options.allowIdentity && point.is0()) {
    throw new CryptoError('IDENTITY_POINT', field, 'the identity element is not allowed here');
  }
  encodingCache.set(point, bytes.slice());
  return point;
}

export function encodeScalar(scalar: Scalar, field = 'scalar'): Uint8Array {
  assertScalar(scalar, field);
  const out = new Uint8Array(SCALAR_LENGTH);
  let rest = scalar;
  for (let i = 0; i < SCALAR_LENGTH; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** Decodes a 32-byte little-endian scalar; values ≥ ℓ are rejected, never reduced. */
export function decodeScalar(bytes: Uint8Array, field = 'scalar', options: { allowZero?: boolean } = {}): Scalar {
  assertBytes(bytes, field, SCALAR_LENGTH);
  const value = bytesToNumberLE(bytes);
  if (value >= GROUP_ORDER) {
    throw new CryptoError('NON_CANONICAL_SCALAR', field, 'scalar encoding is not reduced modulo ℓ');
  }
  if (options.allowZero === false && value === 0n) {
    throw new CryptoError('INVALID_ARGUMENT', field, 'scalar must not be zero');
  }
  return value;
}

/** Interprets bytes of any length as a little-endian integer and reduces it modulo ℓ. */
export function reduceScalarWide(bytes: Uint8Array): Scalar {
  return Fn.create(bytesToNumberLE(bytes));
}

function bytesToNumberLE(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(Uint8Array.from(bytes).reverse())}`);
}

// ---------------------------------------------------------------------------------------------
// Hex (lowercase, even length; the wire format of every byte field)

const HEX_PATTERN = /^(?:[0-9a-f]{2})*$/;

export function toHex(bytes: Uint8Array, field = 'bytes'): string {
  assertBytes(bytes, field);
  return bytesToHex(bytes);
}

export function fromHex(text: string, field = 'hex', length?: number): Uint8Array {
  if (typeof text !== 'string') {
    throw new CryptoError('INVALID_TYPE', field, `expected a hex string, got ${describeType(text)}`);
  }
  if (!HEX_PATTERN.test(text)) {
    throw new CryptoError('INVALID_HEX', field, 'expected lowercase hexadecimal of even length');
  }
  if (length !== undefined && text.length !== length * 2) {
    throw new CryptoError('INVALID_LENGTH', field, `expected ${length} bytes, got ${text.length / 2}`);
  }
  return hexToBytes(text);
}

export function pointToHex(point: Point, field = 'point'): string {
  return toHex(encodePoint(point, field));
}

export function pointFromHex(text: string, field = 'point', options: { allowIdentity?: boolean } = {}): Point {
  return decodePoint(fromHex(text, field, POINT_LENGTH), field, options);
}

export function scalarToHex(scalar: Scalar, field = 'scalar'): string {
  return toHex(encodeScalar(scalar, field));
}

export function scalarFromHex(text: string, field = 'scalar', options: { allowZero?: boolean } = {}): Scalar {
  return decodeScalar(fromHex(text, field, SCALAR_LENGTH), field, options);
}

// ---------------------------------------------------------------------------------------------
// Scalar arithmetic modulo ℓ (inputs are assumed already validated)

export const scalarAdd = (a: Scalar, b: Scalar): Scalar => Fn.add(assertScalar(a, 'a'), assertScalar(b, 'b'));
export const scalarSub = (a: Scalar, b: Scalar): Scalar => Fn.sub(assertScalar(a, 'a'), assertScalar(b, 'b'));
export const scalarMul = (a: Scalar, b: Scalar): Scalar => Fn.mul(assertScalar(a, 'a'), assertScalar(b, 'b'));
export const scalarNeg = (a: Scalar): Scalar => Fn.neg(assertScalar(a, 'a'));
export function scalarInvert(a: Scalar, field = 'scalar'): Scalar {
  assertScalar(a, field, { allowZero: false });
  return Fn.inv(a);
}
/** The scalar for a small non-negative integer (a vote count, a selection value). */
export function scalarFromInteger(value: number, field = 'value'): Scalar {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CryptoError('INVALID_ARGUMENT', field, 'expected a non-negative safe integer');
  }
  return BigInt(value);
}

// ---------------------------------------------------------------------------------------------
// Multiplication

/** s·P with a constant-time ladder, for secret scalars (randomness, keys). 0·P is the identity. */
export function multiplySecret(point: Point, scalar: Scalar): Point {
  assertPoint(point, 'point', { allowIdentity: true });
  assertScalar(scalar, 'scalar');
  return scalar === 0n || point.is0() ? IDENTITY : point.multiply(scalar);
}

/** s·P in variable time, for public scalars only (verification). */
export function multiplyPublic(point: Point, scalar: Scalar): Point {
  assertPoint(point, 'point', { allowIdentity: true });
  assertScalar(scalar, 'scalar');
  return point.multiplyUnsafe(scalar);
}

/** s·G (constant time, G has precomputed tables). */
export function multiplyBase(scalar: Scalar): Point {
  return multiplySecret(G, scalar);
}

/**
 * Attaches precomputed window tables to a point that is used as a fixed base many times (the
 * election key K). Returns the same point; multiplications by it then use the tables. The tables
 * are built eagerly so the first caller does not pay for them in a timed path.
 */
export function precomputeFixedBase(point: Point, windowSize = 8): Point {
  assertPoint(point, 'point');
  return point.precompute(windowSize, false);
}

// ---------------------------------------------------------------------------------------------
// Randomness

export const systemRandom: RandomSource = (length) => systemRandomBytes(length);

/** A uniformly random non-zero scalar: 64 random bytes reduced modulo ℓ (bias < 2^-250). */
export function randomScalar(rng: RandomSource = systemRandom): Scalar {
  for (;;) {
    let bytes: Uint8Array;
    try {
      bytes = rng(64);
    } catch (error) {
      throw new CryptoError('RANDOMNESS_UNAVAILABLE', 'rng', 'random source failed', { cause: error });
    }
    assertBytes(bytes, 'rng()', 64);
    const scalar = reduceScalarWide(bytes);
    if (scalar !== 0n) return scalar;
  }
}

/**
 * A deterministic random source for test vectors and reproducible benchmarks ONLY: block i is
 * SHA-512("townhall/v1/test-rng" ‖ u32be(|seed|) ‖ seed ‖ u64be(i)). Never use it for real ballots.
 */
export function createSeededRandom(seed: string | Uint8Array): RandomSource {
  const seedBytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : Uint8Array.from(seed);
  const label = new TextEncoder().encode('townhall/v1/test-rng');
  let counter = 0n;
  let pool = new Uint8Array(0);
  return (length) => {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (pool.length === 0) {
        const block = new Uint8Array(label.length + 4 + seedBytes.length + 8);
        block.set(label, 0);
        new DataView(block.buffer).setUint32(label.length, seedBytes.length);
        block.set(seedBytes, label.length + 4);
        new DataView(block.buffer).setBigUint64(label.length + 4 + seedBytes.length, counter++);
        pool = sha512(block);
      }
      const take = Math.min(pool.length, length - filled);
      out.set(pool.subarray(0, take), filled);
      pool = pool.subarray(take);
      filled += take;
    }
    return out;
  };
}

const fixedBaseCache = new Map<string, Point>();
const FIXED_BASE_CACHE_SIZE = 8;

/**
 * The same element as `point`, backed by precomputed tables that are kept for the last few
 * distinct points (an election key is used for every option of every ballot).
 */
export function cachedFixedBase(point: Point): Point {
  assertPoint(point, 'point');
  if (point === G) return G;
  // encodePoint remembers the encoding (a point decoded from the wire already has it), so the
  // per-call cost is a lookup, not the inverse square root of a fresh encoding.
  const encoding = encodePoint(point, 'point');
  const key = toHex(encoding);
  let cached = fixedBaseCache.get(key);
  if (!cached) {
    cached = precomputeFixedBase(RistrettoPoint.fromBytes(encoding));
    encodingCache.set(cached, encoding);
    if (fixedBaseCache.size >= FIXED_BASE_CACHE_SIZE) fixedBaseCache.delete(fixedBaseCache.keys().next().value!);
    fixedBaseCache.set(key, cached);
  }
  return cached;
}
