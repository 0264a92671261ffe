/**
 * Disjunctive Chaum–Pedersen proof (Cramer–Damgård–Schoenmakers OR-composition) that an
 * exponential-ElGamal ciphertext (α, β) under K encrypts one of the allowed values V_0 < … < V_{n−1}.
 * Branch j claims log_G(α) = log_K(β − V_j·G). Commitment form, per branch (t1_j, t2_j, c_j, z_j):
 *
 *   c = H_FS(tag, fp, ctx, [K, α, β, u32be(V_0) ‖ … ‖ u32be(V_{n−1})], [t1_0, t2_0, …, t1_{n−1}, t2_{n−1}])
 *   Σ_j c_j = c
 *   z_j·G − t1_j − c_j·α = identity
 *   z_j·K − t2_j − c_j·β + (c_j·V_j)·G = identity
 *
 * Used with V = {0, 1} for each option (tag `townhall/v1/proof/selection`) and with
 * V = {min, …, max} on a contest's aggregate ciphertext (tag `townhall/v1/proof/contest-range`).
 */
import { CryptoError } from '../errors.ts';
import {
  G,
  POINT_LENGTH,
  SCALAR_LENGTH,
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
  scalarSub,
  type Point,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import { fiatShamirChallenge, u32be } from '../transcript.ts';
import { assertCiphertext, multiplyFixedBase, type Ciphertext } from '../elgamal/elgamal.ts';
import { assertBinding, assertObject, assertRandomSource, randomScalar } from './common.ts';
import { isEquationSatisfied, type LinearEquation } from './equation.ts';

export const SELECTION_PROOF_TAG = 'townhall/v1/proof/selection';
export const CONTEST_RANGE_PROOF_TAG = 'townhall/v1/proof/contest-range';
export const DISJUNCTIVE_BRANCH_LENGTH = 2 * POINT_LENGTH + 2 * SCALAR_LENGTH;
/** Upper bound on the number of allowed values, so a hostile manifest cannot make proofs huge. */
export const MAX_DISJUNCTIVE_BRANCHES = 64;

export interface DisjunctiveBranch {
  readonly commitmentG: Point;
  readonly commitmentK: Point;
  readonly challenge: Scalar;
  readonly response: Scalar;
}

export interface DisjunctiveProof {
  readonly branches: readonly DisjunctiveBranch[];
}

export interface EncryptedValueStatement {
  readonly electionKey: Point;
  readonly ciphertext: Ciphertext;
  /** Strictly increasing non-negative integers. */
  readonly allowedValues: readonly number[];
}

type DisjunctiveTag = typeof SELECTION_PROOF_TAG | typeof CONTEST_RANGE_PROOF_TAG;

function assertTag(tag: unknown): DisjunctiveTag {
  if (tag !== SELECTION_PROOF_TAG && tag !== CONTEST_RANGE_PROOF_TAG) {
    throw new CryptoError('INVALID_ARGUMENT', 'tag', 'unknown disjunctive proof tag');
  }
  return tag;
}

export function assertAllowedValues(values: unknown, field = 'allowedValues'): readonly number[] {
  if (!Array.isArray(values)) throw new CryptoError('INVALID_TYPE', field, 'expected an array of integers');
  if (values.length === 0 || values.length > MAX_DISJUNCTIVE_BRANCHES) {
    throw new CryptoError('INVALID_LENGTH', field, `expected 1 to ${MAX_DISJUNCTIVE_BRANCHES} values`);
  }
  values.forEach((v, i) => {
    if (!Number.isSafeInteger(v) || v < 0 || v > 0xffffffff) {
      throw new CryptoError('INVALID_ARGUMENT', `${field}[${i}]`, 'expected an integer in [0, 2^32)');
    }
    if (i > 0 && v <= values[i - 1]) throw new CryptoError('INVALID_ARGUMENT', field, 'values must be strictly increasing');
  });
  return values as number[];
}

export function assertEncryptedValueStatement(value: unknown, field = 'statement'): EncryptedValueStatement {
  const statement = assertObject(value, field);
  assertPoint(statement.electionKey, `${field}.electionKey`);
  assertCiphertext(statement.ciphertext, `${field}.ciphertext`);
  assertAllowedValues(statement.allowedValues, `${field}.allowedValues`);
  return value as EncryptedValueStatement;
}

export function assertDisjunctiveProof(value: unknown, branchCount: number, field = 'proof'): DisjunctiveProof {
  const proof = assertObject(value, field);
  if (!Array.isArray(proof.branches)) throw new CryptoError('INVALID_TYPE', `${field}.branches`, 'expected an array');
  if (proof.branches.length !== branchCount) {
    throw new CryptoError('INVALID_LENGTH', `${field}.branches`, `expected ${branchCount} branches, got ${proof.branches.length}`);
  }
  proof.branches.forEach((b: unknown, j: number) => {
    const branch = assertObject(b, `${field}.branches[${j}]`);
    assertPoint(branch.commitmentG, `${field}.branches[${j}].commitmentG`);
    assertPoint(branch.commitmentK, `${field}.branches[${j}].commitmentK`);
    assertScalar(branch.challenge, `${field}.branches[${j}].challenge`);
    assertScalar(branch.response, `${field}.branches[${j}].response`);
  });
  return value as DisjunctiveProof;
}

function encodeValues(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  values.forEach((v, i) => out.set(u32be(v), 4 * i));
  return out;
}

function overallChallenge(
  tag: DisjunctiveTag,
  statement: EncryptedValueStatement,
  branches: readonly { commitmentG: Point; commitmentK: Point }[],
  fingerprint: Uint8Array,
  context: string,
): Scalar {
  const commitments: Uint8Array[] = [];
  for (const b of branches) commitments.push(encodePoint(b.commitmentG), encodePoint(b.commitmentK));
  return fiatShamirChallenge({
    tag,
    fingerprint,
    context,
    statement: [
      encodePoint(statement.electionKey),
      encodePoint(statement.ciphertext.alpha),
      encodePoint(statement.ciphertext.beta),
      encodeValues(statement.allowedValues),
    ],
    commitments,
  });
}

/**
 * Proves that `statement.ciphertext` = (r·G, r·K + value·G) with `value` ∈ allowedValues.
 * Every branch is computed with the same fixed-base operations (t1 = a·G, t2 = a·K + b·G), so
 * the running time does not reveal which branch is real: for a simulated branch
 * a = z − c·r and b = −c·(value − V_j); for the real one a = w and b = 0.
 * `statement.electionKey` should carry precomputed tables (see `cachedFixedBase`).
 */
export function proveEncryptedValue(
  tag: DisjunctiveTag,
  statement: EncryptedValueStatement,
  value: number,
  randomness: Scalar,
  fingerprint: Uint8Array,
  context: string,
  rng?: RandomSource,
): DisjunctiveProof {
  assertTag(tag);
  assertEncryptedValueStatement(statement);
  assertScalar(randomness, 'randomness', { allowZero: false });
  assertBinding(fingerprint, context);
  const random = assertRandomSource(rng);
  const realIndex = statement.allowedValues.indexOf(value);
  if (realIndex < 0) throw new CryptoError('INVALID_ARGUMENT', 'value', 'value is not one of the allowed values');
  const K = statement.electionKey;
  const drafts = statement.allowedValues.map((allowed, j) => {
    const first = randomScalar(random);
    const second = randomScalar(random);
    const isReal = j === realIndex;
    // Real branch: nonce w = first. Simulated branch: challenge c_j = first, response z_j = second.
    const a = isReal ? first : scalarSub(second, scalarMul(first, randomness));
    const diff = scalarSub(BigInt(value), BigInt(allowed));
    const bScalar = isReal ? 0n : scalarNeg(scalarMul(first, diff));
    return {
      commitmentG: multiplyFixedBase(G, a),
      commitmentK: multiplyFixedBase(K, a).add(multiplyFixedBase(G, bScalar)),
      first,
      second,
    };
  });
  const c = overallChallenge(tag, statement, drafts, fingerprint, context);
  let simulatedSum = 0n;
  drafts.forEach((d, j) => {
    if (j !== realIndex) simulatedSum = scalarAdd(simulatedSum, d.first);
  });
  const realChallenge = scalarSub(c, simulatedSum);
  return {
    branches: drafts.map((d, j) =>
      j === realIndex
        ? { commitmentG: d.commitmentG, commitmentK: d.commitmentK, challenge: realChallenge, response: scalarAdd(d.first, scalarMul(realChallenge, randomness)) }
        : { commitmentG: d.commitmentG, commitmentK: d.commitmentK, challenge: d.first, response: d.second },
    ),
  };
}

/**
 * The linear equations of a disjunctive proof, after checking Σ c_j = c.
 * Throws `CryptoError('INVALID_PROOF')` when the challenges do not add up.
 */
export function encryptedValueEquations(
  tag: DisjunctiveTag,
  statement: EncryptedValueStatement,
  proof: DisjunctiveProof,
  fingerprint: Uint8Array,
  context: string,
  label = 'proof',
): LinearEquation[] {
  assertTag(tag);
  assertEncryptedValueStatement(statement);
  assertDisjunctiveProof(proof, statement.allowedValues.length, label);
  assertBinding(fingerprint, context);
  const c = overallChallenge(tag, statement, proof.branches, fingerprint, context);
  let sum = 0n;
  for (const branch of proof.branches) sum = scalarAdd(sum, branch.challenge);
  if (sum !== c) throw new CryptoError('INVALID_PROOF', `${label}.branches`, 'branch challenges do not add up to the Fiat–Shamir challenge');
  const { alpha, beta } = statement.ciphertext;
  const minusOne = scalarNeg(1n);
  const equations: LinearEquation[] = [];
  proof.branches.forEach((b, j) => {
    const allowed = BigInt(statement.allowedValues[j]!);
    equations.push({
      label: `${label}.branches[${j}]:G`,
      terms: [[b.response, G], [minusOne, b.commitmentG], [scalarNeg(b.challenge), alpha]],
    });
    equations.push({
      label: `${label}.branches[${j}]:K`,
      terms: [
        [b.response, statement.electionKey],
        [minusOne, b.commitmentK],
        [scalarNeg(b.challenge), beta],
        [scalarMul(b.challenge, allowed), G],
      ],
    });
  });
  return equations;
}

export function verifyEncryptedValue(
  tag: DisjunctiveTag,
  statement: EncryptedValueStatement,
  proof: DisjunctiveProof,
  fingerprint: Uint8Array,
  context: string,
): boolean {
  try {
    return encryptedValueEquations(tag, statement, proof, fingerprint, context).every(isEquationSatisfied);
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'INVALID_PROOF') return false;
    throw error;
  }
}

/** Branches in order, each t1 ‖ t2 ‖ c ‖ z (128 bytes). */
export function encodeDisjunctiveProof(proof: DisjunctiveProof): Uint8Array {
  const branches = assertObject(proof, 'proof').branches;
  assertDisjunctiveProof(proof, assertBranchCount(Array.isArray(branches) ? branches.length : 0, 'proof.branches'));
  const out = new Uint8Array(DISJUNCTIVE_BRANCH_LENGTH * proof.branches.length);
  proof.branches.forEach((b, j) => {
    const offset = j * DISJUNCTIVE_BRANCH_LENGTH;
    out.set(encodePoint(b.commitmentG), offset);
    out.set(encodePoint(b.commitmentK), offset + POINT_LENGTH);
    out.set(encodeScalar(b.challenge), offset + 2 * POINT_LENGTH);
    out.set(encodeScalar(b.response), offset + 2 * POINT_LENGTH + SCALAR_LENGTH);
  });
  return out;
}

function assertBranchCount(count: unknown, field: string): number {
  if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > MAX_DISJUNCTIVE_BRANCHES) {
    throw new CryptoError('INVALID_LENGTH', field, `expected 1 to ${MAX_DISJUNCTIVE_BRANCHES} branches`);
  }
  return count as number;
}

export function decodeDisjunctiveProof(bytes: Uint8Array, branchCount: number, field = 'proof'): DisjunctiveProof {
  assertBranchCount(branchCount, 'branchCount');
  assertBytes(bytes, field, DISJUNCTIVE_BRANCH_LENGTH * branchCount);
  const branches: DisjunctiveBranch[] = [];
  for (let j = 0; j < branchCount; j++) {
    const at = (from: number, length: number) => bytes.subarray(j * DISJUNCTIVE_BRANCH_LENGTH + from, j * DISJUNCTIVE_BRANCH_LENGTH + from + length);
    const name = `${field}.branches[${j}]`;
    branches.push({
      commitmentG: decodePoint(at(0, POINT_LENGTH), `${name}.commitmentG`),
      commitmentK: decodePoint(at(POINT_LENGTH, POINT_LENGTH), `${name}.commitmentK`),
      challenge: decodeScalar(at(2 * POINT_LENGTH, SCALAR_LENGTH), `${name}.challenge`),
      response: decodeScalar(at(2 * POINT_LENGTH + SCALAR_LENGTH, SCALAR_LENGTH), `${name}.response`),
    });
  }
  return { branches };
}
