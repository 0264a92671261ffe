/**
 * The sequencer's side of the tree: append leaf hashes one at a time, keep only the right
 * frontier (one perfect subtree per set bit of the size, a "compact range" [0, size)), and emit
 * every perfect subtree hash that an append completes so it can be stored for proofs and tiles.
 */
import { LedgerError } from './errors.ts';
import { assertBytes, toUint64 } from './encoding.ts';
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './merkle.ts';
import { foldRangeHashes, frontierNodes, type NodeHashSource, type NodeId } from './proofs.ts';

/** A perfect subtree hash completed by an append: store it under (level, index). */
export interface CompletedNode extends NodeId {
  readonly hash: Uint8Array;
}

export class TreeBuilder {
  #size: bigint;
  /** Frontier hashes, largest subtree first, with their levels. */
  #levels: number[];
  #hashes: Uint8Array[];

  private constructor(size: bigint, levels: number[], hashes: Uint8Array[]) {
    this.#size = size;
    this.#levels = levels;
    this.#hashes = hashes;
  }

  static empty(): TreeBuilder {
    return new TreeBuilder(0n, [], []);
  }

  /**
   * Resume from stored state: the hashes of frontierNodes(size), largest first (as a sequencer
   * would read them back from its node or tile store after a restart).
   */
  static fromFrontier(size: bigint | number, hashes: readonly Uint8Array[]): TreeBuilder {
    const n = toUint64(size, 'size');
    const nodes = frontierNodes(n);
    if (hashes.length !== nodes.length) {
      throw new LedgerError('INVALID_ARGUMENT', `a tree of size ${n} has ${nodes.length} frontier hashes, got ${hashes.length}`, { argument: 'hashes' });
    }
    hashes.forEach((h, i) => assertBytes(h, `hashes[${i}]`, HASH_SIZE));
    return new TreeBuilder(n, nodes.map((node) => node.level), hashes.map((h) => h.slice()));
  }

  /** Resume by reading the frontier from a hash source. */
  static async fromSource(source: NodeHashSource, size: bigint | number): Promise<TreeBuilder> {
    const nodes = frontierNodes(size);
    const hashes = nodes.length === 0 ? [] : await source.getNodeHashes(nodes);
    return TreeBuilder.fromFrontier(size, hashes);
  }

  get size(): bigint {
    return this.#size;
  }

  /** The frontier as stored nodes (largest first); with `size` it is the builder's whole state. */
  frontier(): CompletedNode[] {
    const nodes = frontierNodes(this.#size);
    return nodes.map((node, i) => ({ ...node, hash: this.#hashes[i]!.slice() }));
  }

  /**
   * Appends one leaf hash. Returns the nodes it completes, bottom-up: the leaf itself (level 0)
   * and each parent that became perfect.
   */
  append(leafHash: Uint8Array): CompletedNode[] {
    assertBytes(leafHash, 'leafHash', HASH_SIZE);
    const leafIndex = this.#size;
    let level = 0;
    let hash: Uint8Array = leafHash.slice();
    const completed: CompletedNode[] = [{ level, index: leafIndex, hash }];
    while (this.#levels.length > 0 && this.#levels[this.#levels.length - 1] === level) {
      this.#levels.pop();
      hash = hashChildren(this.#hashes.pop()!, hash);
      level++;
      completed.push({ level, index: leafIndex >> BigInt(level), hash });
    }
    this.#levels.push(level);
    this.#hashes.push(hash);
    this.#size = leafIndex + 1n;
    return completed;
  }

  appendAll(leafHashes: readonly Uint8Array[]): CompletedNode[] {
    return leafHashes.flatMap((h) => this.append(h));
  }

  /** MTH of the current tree, folded from the frontier (O(log n) hashes). */
  root(): Uint8Array {
    return this.#hashes.length === 0 ? EMPTY_ROOT.slice() : foldRangeHashes(this.#hashes);
  }
}
