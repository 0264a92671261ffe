/**
 * RFC 9162 §2.1 Merkle Tree Hash (identical to RFC 6962 §2.1 with SHA-256), and verification of
 * inclusion and consistency proofs. Sizes and indices are bigint so trees beyond 2^32 leaves
 * verify with the same code.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { LedgerError } from './errors.ts';
import { assertBytes, equalBytes, toUint64 } from './encoding.ts';

export const HASH_SIZE = 32;

/** MTH({}) = SHA-256() — RFC 9162 §2.1.1. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** MTH({d}) = SHA-256(0x00 ‖ d) — RFC 9162 §2.1.1. */
export function hashLeaf(entry: Uint8Array): Uint8Array {
  assertBytes(entry, 'entry');
  return sha256.create().update(LEAF_PREFIX).update(entry).digest();
}

/** SHA-256(0x01 ‖ left ‖ right) — RFC 9162 §2.1.1. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buffer = new Uint8Array(1 + 2 * HASH_SIZE);
  buffer[0] = 0x01;
  buffer.set(left, 1);
  buffer.set(right, 1 + HASH_SIZE);
  return sha256(buffer);
}

const LEAF_PREFIX = Uint8Array.of(0x00);

/** Tree root over leaf hashes (not entries), computed bottom-up in O(n) hashes. */
export function computeRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return EMPTY_ROOT.slice();
  let level: Uint8Array[] = [...leafHashes];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i]!, level[i + 1]!));
    // An odd node is carried up unchanged: RFC 9162 splits at the largest power of two below n,
    // which gives the same tree as pairing left to right and promoting the last node.
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!.slice();
}

/** A half-open range of leaf indices [start, end) whose Merkle Tree Hash is one proof element. */
export interface LeafRange {
  readonly start: bigint;
  readonly end: bigint;
}

function largestPowerOfTwoBelow(n: bigint): bigint {
  // k < n ≤ 2k, with n > 1 (RFC 9162 §2.1.1)
  let k = 1n;
  while (k << 1n < n) k <<= 1n;
  return k;
}

/**
 * The subtrees whose hashes make the inclusion proof PATH(m, D[n]) of RFC 9162 §2.1.3.1, in proof
 * order (from the leaf's sibling up to the root's child).
 */
export function inclusionProofRanges(index: bigint | number, size: bigint | number): LeafRange[] {
  const m = toUint64(index, 'index');
  const n = toUint64(size, 'size');
  if (m >= n) throw new LedgerError('INDEX_OUT_OF_RANGE', `leaf index ${m} is not below tree size ${n}`, { index: m, size: n });
  const ranges: LeafRange[] = [];
  const walk = (m: bigint, start: bigint, end: bigint): void => {
    const n = end - start;
    if (n === 1n) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      walk(m, start, start + k);
      ranges.push({ start: start + k, end });
    } else {
      walk(m - k, start + k, end);
      ranges.push({ start, end: start + k });
    }
  };
  walk(m, 0n, n);
  return ranges;
}

/**
 * The subtrees whose hashes make the consistency proof PROOF(m, D[n]) of RFC 9162 §2.1.4.1, in
 * proof order. Empty when m = 0 or m = n.
 */
export function consistencyProofRanges(size1: bigint | number, size2: bigint | number): LeafRange[] {
  const m0 = toUint64(size1, 'size1');
  const n0 = toUint64(size2, 'size2');
  if (m0 > n0) throw new LedgerError('INDEX_OUT_OF_RANGE', `old size ${m0} exceeds new size ${n0}`, { index: m0, size: n0 });
  const ranges: LeafRange[] = [];
  if (m0 === 0n || m0 === n0) return ranges;
  const subproof = (m: bigint, start: bigint, end: bigint, isWholeOldTree: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!isWholeOldTree) ranges.push({ start, end });
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, start, start + k, isWholeOldTree);
      ranges.push({ start: start + k, end });
    } else {
      subproof(m - k, start + k, end, false);
      ranges.push({ start, end: start + k });
    }
  };
  subproof(m0, 0n, n0, true);
  return ranges;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function popCount(x: bigint): number {
  let count = 0;
  for (const c of x.toString(2)) if (c === '1') count++;
  return count;
}

function trailingZeros(x: bigint): number {
  let count = 0;
  while (x > 0n && (x & 1n) === 0n) {
    x >>= 1n;
    count++;
  }
  return count;
}

/**
 * Number of hashes in an inclusion proof: the levels where the path to the leaf and the path to
 * the last leaf differ (inner part), plus one per left subtree on the tree's right border.
 */
export function inclusionProofLength(index: bigint, size: bigint): number {
  const inner = bitLength(index ^ (size - 1n));
  return inner + popCount(index >> BigInt(inner));
}

/** Number of hashes in a consistency proof from size1 to size2 (0 < size1 < size2). */
export function consistencyProofLength(size1: bigint, size2: bigint): number {
  const shift = trailingZeros(size1);
  const index = (size1 - 1n) >> BigInt(shift);
  const last = (size2 - 1n) >> BigInt(shift);
  const inner = bitLength(index ^ last);
  const border = popCount(index >> BigInt(inner));
  const isPowerOfTwo = size1 === 1n << BigInt(shift);
  return inner + border + (isPowerOfTwo ? 0 : 1);
}

function assertProofHashes(proof: readonly Uint8Array[], argument: string): void {
  if (!Array.isArray(proof)) throw new LedgerError('INVALID_ARGUMENT', `${argument} must be an array`, { argument });
  proof.forEach((hash, i) => assertBytes(hash, `${argument}[${i}]`, HASH_SIZE));
}

/**
 * The root implied by an inclusion proof — RFC 9162 §2.1.3.2 steps 1–4. Throws
 * INDEX_OUT_OF_RANGE or PROOF_WRONG_LENGTH; the caller compares the result with a trusted root.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: bigint | number,
  size: bigint | number,
  proof: readonly Uint8Array[],
): Uint8Array {
  const leafIndex = toUint64(index, 'index');
  const treeSize = toUint64(size, 'size');
  assertBytes(leafHash, 'leafHash', HASH_SIZE);
  assertProofHashes(proof, 'proof');
  if (leafIndex >= treeSize) {
    throw new LedgerError('INDEX_OUT_OF_RANGE', `leaf index ${leafIndex} is not below tree size ${treeSize}`, {
      index: leafIndex,
      size: treeSize,
    });
  }
  const expectedLength = inclusionProofLength(leafIndex, treeSize);
  if (proof.length !== expectedLength) {
    throw new LedgerError('PROOF_WRONG_LENGTH', `inclusion proof for ${leafIndex} in ${treeSize} has ${proof.length} hashes, expected ${expectedLength}`, {
      expected: expectedLength,
      found: proof.length,
    });
  }
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = leafHash;
  for (const p of proof) {
    // Step 4a cannot trigger once the length has been checked; it is kept as the RFC states it.
    if (sn === 0n) throw new LedgerError('PROOF_WRONG_LENGTH', 'inclusion proof is too long', { expected: expectedLength, found: proof.length });
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return r;
}

/** RFC 9162 §2.1.3.2. Throws LedgerError (ROOT_MISMATCH carries both roots) unless the proof verifies. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: bigint | number,
  size: bigint | number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertBytes(root, 'root', HASH_SIZE);
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  if (!equalBytes(computed, root)) {
    throw new LedgerError('ROOT_MISMATCH', 'inclusion proof does not lead to the expected root', {
      expected: root.slice(),
      computed,
      treeSize: toUint64(size, 'size'),
    });
  }
}

/**
 * RFC 9162 §2.1.4.2. By convention (and as C2SP tlog-witness requires) the proof from size 0 is
 * empty and proves nothing, and the proof between equal sizes is empty and needs equal roots.
 */
export function verifyConsistency(
  size1: bigint | number,
  size2: bigint | number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  const first = toUint64(size1, 'size1');
  const second = toUint64(size2, 'size2');
  assertBytes(root1, 'root1', HASH_SIZE);
  assertBytes(root2, 'root2', HASH_SIZE);
  assertProofHashes(proof, 'proof');
  if (first > second) {
    throw new LedgerError('INDEX_OUT_OF_RANGE', `old size ${first} exceeds new size ${second}`, { index: first, size: second });
  }
  if (first === 0n || first === second) {
    if (proof.length !== 0) {
      throw new LedgerError('PROOF_WRONG_LENGTH', `consistency proof from ${first} to ${second} must be empty`, { expected: 0, found: proof.length });
    }
    if (first === second && !equalBytes(root1, root2)) {
      throw new LedgerError('ROOT_MISMATCH', `two different roots for the same tree size ${first}`, {
        expected: root1.slice(),
        computed: root2.slice(),
        treeSize: first,
        which: 'new',
      });
    }
    return;
  }
  const expectedLength = consistencyProofLength(first, second);
  if (proof.length !== expectedLength) {
    throw new LedgerError('PROOF_WRONG_LENGTH', `consistency proof from ${first} to ${second} has ${proof.length} hashes, expected ${expectedLength}`, {
      expected: expectedLength,
      found: proof.length,
    });
  }
  // Step 2: when size1 is a power of two the old root is itself the first node of the path.
  const path = (first & (first - 1n)) === 0n ? [root1, ...proof] : [...proof];
  let fn = first - 1n;
  let sn = second - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new LedgerError('PROOF_WRONG_LENGTH', 'consistency proof is too long', { expected: expectedLength, found: proof.length });
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (!equalBytes(fr, root1)) {
    throw new LedgerError('ROOT_MISMATCH', `consistency proof does not lead to the old root at size ${first}`, {
      expected: root1.slice(),
      computed: fr,
      treeSize: first,
      which: 'old',
    });
  }
  if (!equalBytes(sr, root2)) {
    throw new LedgerError('ROOT_MISMATCH', `consistency proof does not lead to the new root at size ${second}`, {
      expected: root2.slice(),
      computed: sr,
      treeSize: second,
      which: 'new',
    });
  }
}
