import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface SeededRandom {
  readonly seed: number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** `count` distinct elements of `items`, in random order. */
  pick<T>(items: readonly T[], count: number): T[];
}

/**
 * The fault tests' randomness (kill moments, which trustees decrypt): from `FAULT_SEED` when set,
 * otherwise fresh, and always printed so that a failing run can be repeated with the same choices.
 */
export function seededRandom(testName: string): SeededRandom {
  const fromEnvironment = process.env.FAULT_SEED;
  const seed = fromEnvironment ? Number(fromEnvironment) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error(`FAULT_SEED must be an integer, not ${JSON.stringify(fromEnvironment)}`);
  process.stderr.write(`[faults] ${testName}: seed ${seed} (repeat with FAULT_SEED=${seed})\n`);
  const rng = xoroshiro128plus(seed);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  return {
    seed,
    int,
    pick(items, count) {
      const pool = [...items];
      const chosen = [];
      while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(int(0, pool.length - 1), 1)[0]!);
      return chosen;
    },
  };
}

/** Prints `[faults] <test> +<seconds>s <step>` to stderr, so a slow or failing run shows where it was. */
export function stepLogger(testName: string): (step: string) => void {
  const started = performance.now();
  return (step) => process.stderr.write(`[faults] ${testName} +${((performance.now() - started) / 1000).toFixed(1)}s ${step}\n`);
}
