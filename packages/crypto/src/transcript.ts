/**
 * Hash-to-scalar and strong Fiat–Shamir challenges (docs/protocol.md §Conventions).
 *
 * Byte layout of `hashToScalar(tag, inputs)`:
 *
 *   SHA-512( u32be(|tag|) ‖ tag ‖ u32be(n) ‖ u32be(|x_1|) ‖ x_1 ‖ … ‖ u32be(|x_n|) ‖ x_n )
 *
 * read as a 512-bit little-endian integer and reduced modulo ℓ (the wide reduction of RFC 9496
 * §4.4 `FromUniformBytes`-style use). Every variable-length piece is length-prefixed and the count
 * is hashed, so two different (tag, inputs) never share a preimage.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { CryptoError } from './errors.ts';
import { assertBytes, describeType, reduceScalarWide, type Scalar } from './group.ts';

/** The election fingerprint is always 32 bytes (a SHA-256 digest of the election definition). */
export const FINGERPRINT_LENGTH = 32;
const MAX_INPUT_LENGTH = 0xffffffff;
const encoder = new TextEncoder();

export function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** u32be(|x|) ‖ x for each part, concatenated. */
export function lengthPrefixed(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += 4 + part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    if (part.length > MAX_INPUT_LENGTH) throw new CryptoError('INVALID_LENGTH', 'input', 'input longer than 2^32-1 bytes');
    out.set(u32be(part.length), offset);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

function assertTag(tag: unknown): string {
  if (typeof tag !== 'string' || tag.length === 0) {
    throw new CryptoError('INVALID_ARGUMENT', 'tag', `expected a non-empty domain tag, got ${describeType(tag)}`);
  }
  return tag;
}

/** Domain-separated hash of length-prefixed inputs to a scalar in [0, ℓ). */
export function hashToScalar(tag: string, inputs: readonly Uint8Array[]): Scalar {
  assertTag(tag);
  if (!Array.isArray(inputs)) throw new CryptoError('INVALID_TYPE', 'inputs', 'expected an array of byte strings');
  inputs.forEach((input, i) => assertBytes(input, `inputs[${i}]`));
  const hash = sha512.create();
  hash.update(lengthPrefixed(utf8(tag)));
  hash.update(u32be(inputs.length));
  for (const input of inputs) hash.update(lengthPrefixed(input));
  return reduceScalarWide(hash.digest());
}

export interface ChallengeInput {
  /** Domain tag of the proof type, e.g. `townhall/v1/proof/schnorr`. */
  tag: string;
  /** 32-byte election fingerprint: binds the proof to one election. */
  fingerprint: Uint8Array;
  /** Where the proof sits, e.g. `ballot/contest:mayor/option:2`: binds it to one position. */
  context: string;
  /** Encodings of the public statement (bases, public values, ciphertexts) in a fixed order. */
  statement: readonly Uint8Array[];
  /** Encodings of the prover's commitments in a fixed order. */
  commitments: readonly Uint8Array[];
}

/**
 * Strong Fiat–Shamir challenge: the hash covers the whole statement, not only the commitments
 * (the weak form in Helios allowed adaptive forgeries; Bernhard–Pereira–Warinschi 2012).
 *
 *   c = hashToScalar(tag, [fingerprint, utf8(context), u32be(m), s_1, …, s_m, t_1, …, t_k])
 *
 * where s_i are the statement encodings and t_j the commitment encodings.
 */
export function fiatShamirChallenge(input: ChallengeInput): Scalar {
  if (typeof input !== 'object' || input === null) {
    throw new CryptoError('INVALID_TYPE', 'challenge', 'expected a challenge input object');
  }
  assertBytes(input.fingerprint, 'fingerprint', FINGERPRINT_LENGTH);
  if (typeof input.context !== 'string') {
    throw new CryptoError('INVALID_TYPE', 'context', `expected a string, got ${describeType(input.context)}`);
  }
  if (!Array.isArray(input.statement) || !Array.isArray(input.commitments)) {
    throw new CryptoError('INVALID_TYPE', 'statement', 'statement and commitments must be arrays of byte strings');
  }
  return hashToScalar(input.tag, [
    input.fingerprint,
    utf8(input.context),
    u32be(input.statement.length),
    ...input.statement,
    ...input.commitments,
  ]);
}
