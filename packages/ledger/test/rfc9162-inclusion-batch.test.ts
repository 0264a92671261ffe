// RFC 9162 §2.1.3.1 inclusion proofs generated many at a time (generateInclusionProofs): each proof
// must equal the one-at-a-time proof, whatever the mix of indices, and the source is read once.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  MemoryTree,
  computeRootFromSource,
  encodeHex,
  generateInclusionProof,
  generateInclusionProofs,
  hashLeaf,
  verifyInclusion,
  type NodeHashSource,
  type NodeId,
} from '../src/index.ts';
import { expectLedgerError } from './helpers.ts';

const entryOf = (i: number): Uint8Array => Uint8Array.of(i, i >> 8, i >> 16, 0xcd);
function treeOf(n: number): MemoryTree {
  const tree = new MemoryTree();
  for (let i = 0; i < n; i++) tree.appendEntry(entryOf(i));
  return tree;
}
const toHex = (proofs: Uint8Array[][]) => proofs.map((p) => p.map(encodeHex));

/** Counts the calls and the nodes asked for, and fails on a node outside the tree of `size`. */
function countingSource(tree: MemoryTree, size: bigint): NodeHashSource & { calls: number; nodes: NodeId[] } {
  const source = {
    calls: 0,
    nodes: [] as NodeId[],
    getNodeHashes(nodes: readonly NodeId[]) {
      source.calls++;
      source.nodes.push(...nodes);
      for (const node of nodes) expect((node.index + 1n) << BigInt(node.level)).toBeLessThanOrEqual(size);
      return tree.getNodeHashes(nodes);
    },
  };
  return source;
}

describe('generateInclusionProofs (RFC 9162 §2.1.3.1, many leaves, one tree size)', () => {
  const tree = treeOf(300);

  test('for every size ≤ 70, the proofs of all leaves equal the one-at-a-time proofs, from one read', async () => {
    for (let n = 1; n <= 70; n++) {
      const indices = Array.from({ length: n }, (_, m) => BigInt(m));
      const source = countingSource(tree, BigInt(n));
      const batch = await generateInclusionProofs(source, indices, n);
      const single = await Promise.all(indices.map((m) => generateInclusionProof(tree, m, n)));
      expect(toHex(batch), `size ${n}`).toEqual(toHex(single));
      expect(source.calls).toBe(n === 1 ? 0 : 1);
      // Every node is asked for once, and all leaves of a tree need fewer than 2n nodes.
      expect(new Set(source.nodes.map((x) => `${x.level}/${x.index}`)).size).toBe(source.nodes.length);
      expect(source.nodes.length).toBeLessThan(2 * n);
    }
  });

  test('property: any indices (unsorted, repeated, number or bigint) give the single proofs in request order, and they verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 40 }), fc.boolean())),
        async ([n, indices, asBigint]) => {
          const root = await computeRootFromSource(tree, n);
          const batch = await generateInclusionProofs(countingSource(tree, BigInt(n)), asBigint ? indices.map(BigInt) : indices, BigInt(n));
          expect(batch).toHaveLength(indices.length);
          for (const [i, m] of indices.entries()) {
            expect(batch[i]!.map(encodeHex)).toEqual((await generateInclusionProof(tree, m, n)).map(encodeHex));
            verifyInclusion(hashLeaf(entryOf(m)), m, n, batch[i]!, root);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('proofs never share hash arrays with each other or with the source', async () => {
    const [a, b] = await generateInclusionProofs(tree, [0, 1], 4);
    expect(encodeHex(a![1]!)).toBe(encodeHex(b![1]!));
    a![1]!.fill(0);
    expect(encodeHex(b![1]!)).not.toBe(encodeHex(a![1]!));
    expect((await generateInclusionProof(tree, 0, 4)).map(encodeHex)).toEqual((await generateInclusionProofs(tree, [0], 4))[0]!.map(encodeHex));
  });

  test('no indices: no proofs and no read', async () => {
    const source = countingSource(tree, 10n);
    expect(await generateInclusionProofs(source, [], 10)).toEqual([]);
    expect(source.calls).toBe(0);
  });

  test('hostile inputs are LedgerErrors that name the argument', async () => {
    const outOfRange = await expectLedgerError(() => generateInclusionProofs(tree, [0, 5], 5), 'INDEX_OUT_OF_RANGE');
    expect(outOfRange.evidence).toEqual({ index: 5n, size: 5n });
    const negative = await expectLedgerError(() => generateInclusionProofs(tree, [1, -1], 5), 'INVALID_ARGUMENT');
    expect(negative.message).toContain('indices[1]');
    await expectLedgerError(() => generateInclusionProofs(tree, [0.5], 5), 'INVALID_ARGUMENT');
    await expectLedgerError(() => generateInclusionProofs(tree, [0], -1), 'INVALID_ARGUMENT');
    await expectLedgerError(() => generateInclusionProofs(tree, 3 as unknown as number[], 5), 'INVALID_ARGUMENT');
    await expectLedgerError(() => generateInclusionProofs(tree, [0], 0), 'INDEX_OUT_OF_RANGE');
  });

  test('a source that answers the wrong number of hashes, or something that is not a hash, is rejected', async () => {
    const short: NodeHashSource = { getNodeHashes: (nodes) => tree.getNodeHashes(nodes).slice(1) };
    await expectLedgerError(() => generateInclusionProofs(short, [3, 7], 100), 'INVALID_ARGUMENT');
    const truncated: NodeHashSource = { getNodeHashes: (nodes) => tree.getNodeHashes(nodes).map((h) => h.subarray(0, 31)) };
    await expectLedgerError(() => generateInclusionProofs(truncated, [3, 7], 100), 'INVALID_ARGUMENT');
  });
});
