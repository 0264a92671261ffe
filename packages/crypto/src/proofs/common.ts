import { CryptoError } from '../errors.ts';
import { assertBytes, describeType, randomScalar, systemRandom, type RandomSource } from '../group.ts';
import { FINGERPRINT_LENGTH } from '../transcript.ts';

/** The binding every proof carries: which election, and where in it. */
export interface ProofBinding {
  /** 32-byte election fingerprint. */
  fingerprint: Uint8Array;
  /** Position of the proof inside the election record, e.g. `ballot/contest:mayor/option:alice`. */
  context: string;
}

export function assertBinding(fingerprint: unknown, context: unknown): void {
  assertBytes(fingerprint, 'fingerprint', FINGERPRINT_LENGTH);
  if (typeof context !== 'string') {
    throw new CryptoError('INVALID_TYPE', 'context', `expected a string, got ${describeType(context)}`);
  }
}

export function assertObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CryptoError('INVALID_TYPE', field, `expected an object, got ${describeType(value)}`);
  }
  return value as Record<string, unknown>;
}

export function assertRandomSource(rng: unknown): RandomSource {
  if (rng === undefined) return systemRandom;
  if (typeof rng !== 'function') throw new CryptoError('INVALID_TYPE', 'rng', 'expected a function (length) => Uint8Array');
  return rng as RandomSource;
}

export { randomScalar };
