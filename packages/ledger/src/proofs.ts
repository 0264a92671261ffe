/**
 * Proof generation against stored hashes. A log never needs the whole tree in memory: every
 * element of an inclusion or consistency proof is the hash of a leaf range, and every such range
 * is a run of *perfect* subtrees (2^level leaves, aligned), which is exactly what a sequencer
 * stores (as nodes or as C2SP tiles). A proof is planned as ranges, the perfect nodes are fetched
 * in one batch from a NodeHashSource (which may be async, e.g. Postgres), and ranges that are not
 * themselves perfect (the tree's right border) are folded from their nodes.
 */
import { LedgerError } from './errors.ts';
import { toUint64 } from './encoding.ts';
import { EMPTY_ROOT, HASH_SIZE, consistencyProofRanges, hashChildren, inclusionProofRanges, type LeafRange } from './merkle.ts';

/** A perfect subtree: leaves [index·2^level, (index+1)·2^level). Level 0 nodes are leaf hashes. */
export interface NodeId {
  readonly level: number;
  readonly index: bigint;
}

/**
 * Where proofs read hashes from. Called once per proof with every node it needs; every requested
 * node lies entirely inside the tree the proof is for. Return hashes in request order.
 */
export interface NodeHashSource {
  getNodeHashes(nodes: readonly NodeId[]): Promise<readonly Uint8Array[]> | readonly Uint8Array[];
}

/**
 * The perfect subtrees that make up a range, left to right. For ranges produced by the RFC 9162
 * split (start aligned to a power of two ≥ the range length) their right fold is MTH(D[start:end]).
 */
export function rangeNodes(range: LeafRange): NodeId[] {
  const nodes: NodeId[] = [];
  let start = range.start;
  while (start < range.end) {
    let level = 0;
    while ((start & ((1n << BigInt(level + 1)) - 1n)) === 0n && start + (1n << BigInt(level + 1)) <= range.end) level++;
    nodes.push({ level, index: start >> BigInt(level) });
    start += 1n << BigInt(level);
  }
  return nodes;
}

/** Perfect subtrees covering [0, size): one per set bit of size, largest first (the "right frontier"). */
export function frontierNodes(size: bigint | number): NodeId[] {
  const n = toUint64(size, 'size');
  return n === 0n ? [] : rangeNodes({ start: 0n, end: n });
}

/** MTH of the range whose perfect subtrees hash to `hashes` (left to right): RFC 9162 right-heavy fold. */
export function foldRangeHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT.slice();
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i]!, acc);
  return acc;
}

async function hashRanges(source: NodeHashSource, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
  const plan = ranges.map(rangeNodes);
  const flat = plan.flat();
  if (flat.length === 0) return [];
  const hashes = await source.getNodeHashes(flat);
  checkSourceHashes(hashes, flat.length);
  let cursor = 0;
  return plan.map((nodes) => {
    const slice = hashes.slice(cursor, cursor + nodes.length);
    cursor += nodes.length;
    return foldRangeHashes(slice);
  });
}

function checkSourceHashes(hashes: readonly Uint8Array[], expected: number): void {
  if (hashes.length !== expected) {
    throw new LedgerError('INVALID_ARGUMENT', `hash source returned ${hashes.length} hashes for ${expected} nodes`, { argument: 'source' });
  }
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
      throw new LedgerError('INVALID_ARGUMENT', 'hash source returned a value that is not a 32-byte hash', { argument: 'source' });
    }
  }
}

/** Inclusion proof for leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1). */
export async function generateInclusionProof(source: NodeHashSource, index: bigint | number, size: bigint | number): Promise<Uint8Array[]> {
  return hashRanges(source, inclusionProofRanges(index, size));
}

/**
 * Inclusion proofs for many leaves of one tree of `size` leaves (RFC 9162 §2.1.3.1), in the order of
 * `indices`, with every node they need read in one getNodeHashes call. Proofs of nearby leaves share
 * their upper elements (the same leaf ranges), so each distinct range is read and folded once and k
 * proofs ask for far fewer than k·log₂(size) nodes: this is how a server proves thousands of
 * entries against one checkpoint without a query per proof.
 */
export async function generateInclusionProofs(
  source: NodeHashSource,
  indices: readonly (bigint | number)[],
  size: bigint | number,
): Promise<Uint8Array[][]> {
  if (!Array.isArray(indices)) throw new LedgerError('INVALID_ARGUMENT', 'indices must be an array', { argument: 'indices' });
  const n = toUint64(size, 'size');
  const ranges = distinctValues((range: LeafRange) => `${range.start}:${range.end}`);
  const proofRanges = indices.map((index, i) => inclusionProofRanges(toUint64(index, `indices[${i}]`), n).map(ranges.slotOf));
  // Distinct ranges can still share nodes (a right-border range is made of several perfect subtrees).
  const distinctNodes = distinctValues((node: NodeId) => `${node.level}/${node.index}`);
  const rangeNodeSlots = ranges.values.map((range) => rangeNodes(range).map(distinctNodes.slotOf));
  const nodes = distinctNodes.values;
  const hashes = nodes.length === 0 ? [] : await source.getNodeHashes(nodes);
  checkSourceHashes(hashes, nodes.length);
  const rangeHashes = rangeNodeSlots.map((slots) => foldRangeHashes(slots.map((at) => hashes[at]!)));
  // Copies, so no two proofs (or the source) share a hash a caller might change.
  return proofRanges.map((slots) => slots.map((at) => rangeHashes[at]!.slice()));
}

/**
 * Values kept once each by key: `slotOf(value)` is the value's position in `values`, appending it the
 * first time its key is seen.
 */
function distinctValues<T>(keyOf: (value: T) => string): { readonly values: T[]; slotOf: (value: T) => number } {
  const slots = new Map<string, number>();
  const values: T[] = [];
  const slotOf = (value: T): number => {
    const key = keyOf(value);
    let at = slots.get(key);
    if (at === undefined) {
      at = values.length;
      slots.set(key, at);
      values.push(value);
    }
    return at;
  };
  return { values, slotOf };
}

/** Consistency proof from `size1` to `size2` (RFC 9162 §2.1.4.1); empty when size1 is 0 or equal to size2. */
export async function generateConsistencyProof(source: NodeHashSource, size1: bigint | number, size2: bigint | number): Promise<Uint8Array[]> {
  return hashRanges(source, consistencyProofRanges(size1, size2));
}

/** Root of the tree of `size` leaves, from its frontier nodes. */
export async function computeRootFromSource(source: NodeHashSource, size: bigint | number): Promise<Uint8Array> {
  const n = toUint64(size, 'size');
  if (n === 0n) return EMPTY_ROOT.slice();
  const [root] = await hashRanges(source, [{ start: 0n, end: n }]);
  return root!;
}
