import { sha256 } from './hash.ts';

// The observer's own reading of RFC 9162 §2.1 (docs/protocol/ledger.md), deliberately written apart
// from packages/ledger so that one bug cannot hide in both.

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

export function leafHash(entry: Uint8Array): Uint8Array {
  const input = new Uint8Array(entry.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(entry, 1);
  return sha256(input);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(65);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 33);
  return sha256(input);
}

/** MTH(D[n]) of RFC 9162 §2.1.1 over already-hashed leaves, iteratively: merge equal-height subtrees. */
export function treeRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0));
  // A stack of complete subtrees (height, hash); merging whenever the top two have equal height
  // gives the same shape as the RFC's split at the largest power of two below n.
  const stack: { height: number; hash: Uint8Array }[] = [];
  for (const hash of leafHashes) {
    let node = { height: 0, hash };
    while (stack.length > 0 && stack[stack.length - 1]!.height === node.height) {
      const left = stack.pop()!;
      node = { height: node.height + 1, hash: nodeHash(left.hash, node.hash) };
    }
    stack.push(node);
  }
  let root = stack.pop()!.hash;
  while (stack.length > 0) root = nodeHash(stack.pop()!.hash, root);
  return root;
}

/**
 * RFC 9162 §2.1.3.2: recompute the root from a leaf, its index, the tree size and the audit path.
 * Returns null when the path has the wrong length for (index, size).
 */
export function rootFromInclusionPath(leaf: Uint8Array, index: bigint, size: bigint, path: readonly Uint8Array[]): Uint8Array | null {
  if (index < 0n || index >= size) return null;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

/** The leaf hashes of a log, kept in one flat buffer (32 bytes per entry). */
export class LeafStore {
  #bytes = new Uint8Array(32 * 1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  push(hash: Uint8Array): void {
    if (32 * (this.#count + 1) > this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes.set(hash, 32 * this.#count++);
  }

  at(i: number): Uint8Array {
    return this.#bytes.subarray(32 * i, 32 * i + 32);
  }

  /** MTH of the first `size` leaves, from scratch (O(size)). */
  rootOf(size: number): Uint8Array {
    return treeRoot(Array.from({ length: size }, (_, i) => this.at(i)));
  }
}

/**
 * A compact range over a growing tree: the complete subtrees of the leaves pushed so far, so the
 * RFC 9162 root of every checkpoint is found by pushing the leaves between two checkpoints once.
 */
export class MerkleFrontier {
  readonly #stack: { height: number; hash: Uint8Array }[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(leaf: Uint8Array): void {
    let node = { height: 0, hash: leaf };
    while (this.#stack.length > 0 && this.#stack[this.#stack.length - 1]!.height === node.height) {
      const left = this.#stack.pop()!;
      node = { height: node.height + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.#stack.push(node);
    this.#size++;
  }

  root(): Uint8Array {
    if (this.#stack.length === 0) return sha256(new Uint8Array(0));
    let root = this.#stack[this.#stack.length - 1]!.hash;
    for (let i = this.#stack.length - 2; i >= 0; i--) root = nodeHash(this.#stack[i]!.hash, root);
    return root;
  }
}
