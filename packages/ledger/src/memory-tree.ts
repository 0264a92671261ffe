/**
 * A whole tree kept in memory, one flat buffer per level. For tests, tools and small logs; a
 * production log stores the nodes emitted by TreeBuilder and reads them back through its own
 * NodeHashSource.
 */
import { LedgerError } from './errors.ts';
import { HASH_SIZE, hashLeaf } from './merkle.ts';
import { TreeBuilder } from './tree-builder.ts';
import type { NodeHashSource, NodeId } from './proofs.ts';

export class MemoryTree implements NodeHashSource {
  readonly #builder = TreeBuilder.empty();
  #levels: Uint8Array[] = [];
  #counts: number[] = [];

  get size(): bigint {
    return this.#builder.size;
  }

  appendEntry(entry: Uint8Array): bigint {
    return this.appendLeafHash(hashLeaf(entry));
  }

  /** Appends a leaf hash and returns its index. */
  appendLeafHash(leafHash: Uint8Array): bigint {
    const index = this.#builder.size;
    for (const node of this.#builder.append(leafHash)) this.#store(node.level, Number(node.index), node.hash);
    return index;
  }

  root(): Uint8Array {
    return this.#builder.root();
  }

  #store(level: number, index: number, hash: Uint8Array): void {
    while (this.#levels.length <= level) {
      this.#levels.push(new Uint8Array(HASH_SIZE * 16));
      this.#counts.push(0);
    }
    let buffer = this.#levels[level]!;
    if ((index + 1) * HASH_SIZE > buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
      this.#levels[level] = buffer;
    }
    buffer.set(hash, index * HASH_SIZE);
    this.#counts[level] = index + 1;
  }

  getNodeHashes(nodes: readonly NodeId[]): Uint8Array[] {
    return nodes.map(({ level, index }) => {
      const i = Number(index);
      if (level >= this.#counts.length || i >= this.#counts[level]!) {
        throw new LedgerError('INDEX_OUT_OF_RANGE', `node ${level}/${index} is not in this tree`, { index, size: this.size });
      }
      return this.#levels[level]!.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    });
  }
}
