// Baby-step giant-step for v·G with 0 ≤ v ≤ maxValue: a table of m baby steps built once and
// reused for every count, then at most ⌈(maxValue + 1) / m⌉ giant steps per count.
//
// Speed: encoding a ristretto255 point costs an inverse square root (~100 µs in JS), far more than
// a point addition (~3 µs). So the table is keyed on the affine y of 4·P, where P is the Edwards
// representative of the element: representatives of one ristretto element differ by a 4-torsion
// point, which ×4 removes, and ×4 is injective on the prime-order group. Affine coordinates of a
// whole batch cost one field inversion (Montgomery's trick). Keys are the low 32 bits of y, so a
// key match is only a candidate: it is confirmed with a full ristretto equality check.
import { ed25519 } from '@noble/curves/ed25519.js';
import { CryptoError } from '../errors.ts';
import { G, assertPoint, describeType, multiplyPublic, type Point } from '../group.ts';

type EdwardsPoint = InstanceType<typeof ed25519.Point>;
const Fp = ed25519.Point.Fp;
const BATCH = 256;
const EMPTY = -1;

export const DEFAULT_MAX_VALUE = 10_000_000;
const MAX_SUPPORTED_VALUE = 2 ** 40;
const MAX_BABY_STEPS = 2 ** 22;

export interface DiscreteLogTableOptions {
  /** Largest v that can be found (default 10,000,000). */
  readonly maxValue?: number;
  /** Table size m (default ⌈√(maxValue + 1)⌉; larger tables make each solve faster). */
  readonly babySteps?: number;
}

export interface DiscreteLogTable {
  readonly maxValue: number;
  readonly babySteps: number;
  /** v with v·G = point; throws DECRYPTION_FAILED if no v in [0, maxValue] matches. */
  solve(point: Point): number;
}

/** The Edwards representative inside a noble ristretto255 point, times 4. */
function timesFourEdwards(point: Point): EdwardsPoint {
  const ep = (point as unknown as { ep?: unknown }).ep;
  if (!(ep instanceof ed25519.Point)) throw new CryptoError('INVALID_TYPE', 'point', 'unsupported ristretto255 point implementation');
  return ep.double().double();
}

/** Low 32 bits of the affine y of each point (one inversion for the whole batch). */
function yKeys(points: readonly EdwardsPoint[]): number[] {
  const inverses = Fp.invertBatch(points.map((p) => p.Z));
  return points.map((p, i) => Number(Fp.mul(p.Y, inverses[i]!) & 0xffffffffn));
}

function assertCount(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number') throw new CryptoError('INVALID_TYPE', field, `expected a number, got ${describeType(value)}`);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CryptoError('INVALID_ARGUMENT', field, `expected an integer in [${min}, ${max}]`);
  }
  return value;
}

export function createDiscreteLogTable(options: DiscreteLogTableOptions = {}): DiscreteLogTable {
  if (typeof options !== 'object' || options === null) throw new CryptoError('INVALID_TYPE', 'options', 'expected an options object');
  const maxValue = assertCount(options.maxValue ?? DEFAULT_MAX_VALUE, 'options.maxValue', 0, MAX_SUPPORTED_VALUE);
  const babySteps = assertCount(
    options.babySteps ?? Math.min(MAX_BABY_STEPS, Math.ceil(Math.sqrt(maxValue + 1))),
    'options.babySteps',
    1,
    MAX_BABY_STEPS,
  );

  // Open-addressing hash table: key (32 bits of y) → j, at most half full.
  let capacity = 2;
  while (capacity < 2 * babySteps) capacity *= 2;
  const mask = capacity - 1;
  const keys = new Uint32Array(capacity);
  const values = new Int32Array(capacity).fill(EMPTY);
  const insert = (key: number, j: number) => {
    let slot = key & mask;
    while (values[slot] !== EMPTY) slot = (slot + 1) & mask;
    keys[slot] = key;
    values[slot] = j;
  };

  const base = timesFourEdwards(G);
  let current = ed25519.Point.ZERO;
  for (let start = 0; start < babySteps; start += BATCH) {
    const batch: EdwardsPoint[] = [];
    for (let j = start; j < Math.min(babySteps, start + BATCH); j++) {
      batch.push(current);
      current = current.add(base);
    }
    yKeys(batch).forEach((key, offset) => insert(key, start + offset));
  }
  const giantStep = base.multiplyUnsafe(BigInt(babySteps)).negate();
  const giantSteps = Math.ceil((maxValue + 1) / babySteps);

  function solve(point: Point): number {
    assertPoint(point, 'point', { allowIdentity: true });
    let current = timesFourEdwards(point);
    for (let start = 0; start < giantSteps; start += BATCH) {
      const batch: EdwardsPoint[] = [];
      for (let i = start; i < Math.min(giantSteps, start + BATCH); i++) {
        batch.push(current);
        current = current.add(giantStep);
      }
      const batchKeys = yKeys(batch);
      for (let offset = 0; offset < batch.length; offset++) {
        const key = batchKeys[offset]!;
        for (let slot = key & mask; values[slot] !== EMPTY; slot = (slot + 1) & mask) {
          if (keys[slot] !== key) continue;
          const candidate = (start + offset) * babySteps + values[slot]!;
          if (candidate <= maxValue && isSolution(point, candidate)) return candidate;
        }
      }
    }
    throw new CryptoError('DECRYPTION_FAILED', 'point', `no value in [0, ${maxValue}] matches`);
  }

  return Object.freeze({ maxValue, babySteps, solve });
}

function isSolution(point: Point, value: number): boolean {
  return value === 0 ? point.is0() : multiplyPublic(G, BigInt(value)).equals(point);
}
