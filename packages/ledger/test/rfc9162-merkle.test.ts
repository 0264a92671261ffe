// RFC 9162 §2.1 Merkle Tree Hash, inclusion proofs (§2.1.3) and consistency proofs (§2.1.4).
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  EMPTY_ROOT,
  MemoryTree,
  TreeBuilder,
  computeRoot,
  computeRootFromSource,
  consistencyProofLength,
  encodeBase64,
  encodeHex,
  generateConsistencyProof,
  generateInclusionProof,
  hashChildren,
  hashLeaf,
  inclusionProofLength,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  type NodeHashSource,
  type NodeId,
} from '../src/index.ts';
import { b64, expectLedgerError, hex, listVectors, readJsonVector } from './helpers.ts';

// ---- A deliberately simple reference, straight from RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 ----
const H = (...parts: number[][]): Uint8Array => sha256(Uint8Array.from(parts.flat()));
const k = (n: number): number => {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
};
const memo = new Map<string, Uint8Array>(); // only to keep the O(n²) checks below fast
function refMTH(D: Uint8Array[]): Uint8Array {
  if (D.length === 0) return sha256(new Uint8Array(0));
  if (D.length === 1) return H([0], [...D[0]!]);
  const key = `${D[0]!.join(',')}|${D.length}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const split = k(D.length);
  const value = H([1], [...refMTH(D.slice(0, split))], [...refMTH(D.slice(split))]);
  memo.set(key, value);
  return value;
}
function refPATH(m: number, D: Uint8Array[]): Uint8Array[] {
  if (D.length === 1) return [];
  const split = k(D.length);
  return m < split ? [...refPATH(m, D.slice(0, split)), refMTH(D.slice(split))] : [...refPATH(m - split, D.slice(split)), refMTH(D.slice(0, split))];
}
function refSUBPROOF(m: number, D: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === D.length) return b ? [] : [refMTH(D)];
  const split = k(D.length);
  return m <= split
    ? [...refSUBPROOF(m, D.slice(0, split), b), refMTH(D.slice(split))]
    : [...refSUBPROOF(m - split, D.slice(split), false), refMTH(D.slice(0, split))];
}
// -------------------------------------------------------------------------------------------------

const entriesOf = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => Uint8Array.of(i, i >> 8, 0xab));
const toHex = (list: Uint8Array[]) => list.map(encodeHex);

function treeOf(entries: Uint8Array[]): MemoryTree {
  const tree = new MemoryTree();
  for (const e of entries) tree.appendEntry(e);
  return tree;
}

describe('RFC 9162 §2.1.1 hashing', () => {
  const vectors = readJsonVector('rfc6962/hasher.json');

  test('the empty tree hashes to SHA-256 of the empty string', () => {
    expect(encodeHex(EMPTY_ROOT)).toBe(vectors.emptyRoot);
    expect(encodeHex(computeRoot([]))).toBe(vectors.emptyRoot);
    expect(encodeHex(TreeBuilder.empty().root())).toBe(vectors.emptyRoot);
  });

  test('leaf and node hashes match the published RFC 6962 values', () => {
    expect(encodeHex(hashLeaf(new Uint8Array(0)))).toBe(vectors.emptyLeafHash);
    expect(encodeHex(hashLeaf(hex(vectors.leaf.input)))).toBe(vectors.leaf.hash);
    // HashChildren is defined on arbitrary byte strings in the vector; ours takes 32-byte hashes,
    // so check the same construction directly.
    expect(encodeHex(sha256(Uint8Array.from([1, ...hex(vectors.node.left), ...hex(vectors.node.right)])))).toBe(vectors.node.hash);
  });

  test('roots of the eight reference leaves match the published roots', () => {
    const leaves = (vectors.referenceLeaves as string[]).map(hex);
    const tree = new MemoryTree();
    leaves.forEach((leaf, i) => {
      tree.appendEntry(leaf);
      expect(encodeHex(tree.root()), `size ${i + 1}`).toBe(vectors.referenceRoots[i]);
    });
  });

  test('trees of every size 1..64 match the recursive reference', () => {
    const entries = entriesOf(64);
    const tree = new MemoryTree();
    for (let n = 1; n <= 64; n++) {
      tree.appendEntry(entries[n - 1]!);
      const expected = encodeHex(refMTH(entries.slice(0, n)));
      expect(encodeHex(tree.root()), `size ${n}`).toBe(expected);
      expect(encodeHex(computeRoot(entries.slice(0, n).map(hashLeaf))), `computeRoot ${n}`).toBe(expected);
    }
  });

  test('hashChildren is order-dependent and distinct from a leaf hash of the concatenation', () => {
    const [a, b] = [hashLeaf(Uint8Array.of(1)), hashLeaf(Uint8Array.of(2))];
    expect(encodeHex(hashChildren(a, b))).not.toBe(encodeHex(hashChildren(b, a)));
    expect(encodeHex(hashChildren(a, b))).not.toBe(encodeHex(hashLeaf(Uint8Array.from([...a, ...b]))));
  });
});

describe('RFC 9162 §2.1.3 inclusion proofs', () => {
  test('every inclusion proof for every tree size ≤ 64 equals the reference and verifies', async () => {
    const entries = entriesOf(64);
    const tree = treeOf(entries);
    for (let n = 1; n <= 64; n++) {
      const D = entries.slice(0, n);
      const root = refMTH(D);
      expect(encodeHex(await computeRootFromSource(tree, n))).toBe(encodeHex(root));
      for (let m = 0; m < n; m++) {
        const proof = await generateInclusionProof(tree, m, n);
        expect(toHex(proof), `PATH(${m}, D[${n}])`).toEqual(toHex(refPATH(m, D)));
        expect(proof.length).toBe(inclusionProofLength(BigInt(m), BigInt(n)));
        verifyInclusion(hashLeaf(D[m]!), BigInt(m), BigInt(n), proof, root);
      }
    }
  });

  test('transparency-dev/merkle happy-path vectors verify', () => {
    for (const file of listVectors('transparency-dev-merkle/inclusion')) {
      const v = readJsonVector(`transparency-dev-merkle/inclusion/${file}`);
      verifyInclusion(b64(v.leafHash), BigInt(v.leafIdx), BigInt(v.treeSize), v.proof.map(b64), b64(v.root));
    }
  });

  test('ROOT_MISMATCH keeps the expected and the computed root', async () => {
    const tree = treeOf(entriesOf(10));
    const proof = await generateInclusionProof(tree, 3, 10);
    const wrongRoot = new Uint8Array(32).fill(7);
    const error = await expectLedgerError(() => verifyInclusion(hashLeaf(entriesOf(10)[3]!), 3n, 10n, proof, wrongRoot), 'ROOT_MISMATCH');
    expect(error.evidence).toMatchObject({ expected: wrongRoot, computed: tree.root(), treeSize: 10n });
  });

  test('an index at or beyond the size is INDEX_OUT_OF_RANGE, a wrong length PROOF_WRONG_LENGTH', async () => {
    const root = new Uint8Array(32);
    const leaf = new Uint8Array(32);
    const error = await expectLedgerError(() => verifyInclusion(leaf, 5n, 5n, [], root), 'INDEX_OUT_OF_RANGE');
    expect(error.evidence).toEqual({ index: 5n, size: 5n });
    const wrongLength = await expectLedgerError(() => verifyInclusion(leaf, 0n, 4n, [leaf], root), 'PROOF_WRONG_LENGTH');
    expect(wrongLength.evidence).toEqual({ expected: 2, found: 1 });
    await expectLedgerError(() => generateInclusionProof(new MemoryTree(), 0, 0), 'INDEX_OUT_OF_RANGE');
  });

  test('bad argument types are INVALID_ARGUMENT, not a crash', async () => {
    const h = new Uint8Array(32);
    await expectLedgerError(() => verifyInclusion(h, -1n, 4n, [], h), 'INVALID_ARGUMENT');
    await expectLedgerError(() => verifyInclusion(h, 0.5, 4n, [], h), 'INVALID_ARGUMENT');
    await expectLedgerError(() => verifyInclusion(new Uint8Array(31), 0n, 1n, [], h), 'INVALID_ARGUMENT');
    await expectLedgerError(() => verifyInclusion(h, 0n, 2n, [new Uint8Array(33)], h), 'INVALID_ARGUMENT');
    await expectLedgerError(() => verifyInclusion(h, 1n << 64n, 1n << 64n, [], h), 'INVALID_ARGUMENT');
  });

  test('property: random trees up to 300 leaves, every proof verifies and a flipped bit never does', async () => {
    const entries = entriesOf(300);
    const tree = treeOf(entries);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.nat())), async ([n, m, bit]) => {
        const root = await computeRootFromSource(tree, n);
        const proof = await generateInclusionProof(tree, m, n);
        const leaf = hashLeaf(entries[m]!);
        verifyInclusion(leaf, m, n, proof, root);
        if (proof.length > 0) {
          const i = bit % proof.length;
          const tampered = proof.map((h, j) => (j === i ? Uint8Array.from(h, (b, x) => (x === (bit >> 3) % 32 ? b ^ (1 << (bit & 7)) : b)) : h));
          await expectLedgerError(() => verifyInclusion(leaf, m, n, tampered, root), 'ROOT_MISMATCH');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('RFC 9162 §2.1.4 consistency proofs', () => {
  test('every consistency proof between sizes ≤ 64 equals the reference and verifies', async () => {
    const entries = entriesOf(64);
    const tree = treeOf(entries);
    const roots = [EMPTY_ROOT, ...Array.from({ length: 64 }, (_, i) => refMTH(entries.slice(0, i + 1)))];
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = await generateConsistencyProof(tree, m, n);
        const expected = m === 0 || m === n ? [] : refSUBPROOF(m, entries.slice(0, n), true);
        expect(toHex(proof), `PROOF(${m}, D[${n}])`).toEqual(toHex(expected));
        if (m > 0 && m < n) expect(proof.length).toBe(consistencyProofLength(BigInt(m), BigInt(n)));
        verifyConsistency(BigInt(m), BigInt(n), proof, roots[m]!, roots[n]!);
      }
    }
  });

  test('transparency-dev/merkle happy-path vectors verify', () => {
    for (const file of listVectors('transparency-dev-merkle/consistency')) {
      const v = readJsonVector(`transparency-dev-merkle/consistency/${file}`);
      verifyConsistency(BigInt(v.size1), BigInt(v.size2), v.proof.map(b64), b64(v.root1), b64(v.root2));
    }
  });

  test('a wrong old root is ROOT_MISMATCH on the old side, with both roots', async () => {
    const entries = entriesOf(20);
    const tree = treeOf(entries);
    const proof = await generateConsistencyProof(tree, 7, 20);
    const fakeOld = refMTH(entries.slice(1, 8));
    const error = await expectLedgerError(() => verifyConsistency(7n, 20n, proof, fakeOld, tree.root()), 'ROOT_MISMATCH');
    expect(error.evidence).toMatchObject({ which: 'old', expected: fakeOld, computed: refMTH(entries.slice(0, 7)), treeSize: 7n });
  });

  test('edge cases: from 0 and between equal sizes the proof is empty', async () => {
    const r = hashLeaf(Uint8Array.of(1));
    verifyConsistency(0n, 5n, [], EMPTY_ROOT, r);
    verifyConsistency(3n, 3n, [], r, r);
    await expectLedgerError(() => verifyConsistency(0n, 5n, [r], EMPTY_ROOT, r), 'PROOF_WRONG_LENGTH');
    await expectLedgerError(() => verifyConsistency(3n, 3n, [], r, EMPTY_ROOT), 'ROOT_MISMATCH');
    await expectLedgerError(() => verifyConsistency(4n, 3n, [], r, r), 'INDEX_OUT_OF_RANGE');
  });
});

describe('sizes and indices beyond 2^32', () => {
  // A tree whose leaves are all the same entry: a perfect subtree's hash depends only on its
  // level, so a hash source for a tree of 2^40 + 12,345 leaves costs nothing.
  const leaf = hashLeaf(new TextEncoder().encode('same entry everywhere'));
  const byLevel = [leaf];
  for (let l = 1; l < 64; l++) byLevel.push(hashChildren(byLevel[l - 1]!, byLevel[l - 1]!));
  const uniform: NodeHashSource = { getNodeHashes: (nodes: readonly NodeId[]) => nodes.map((n) => byLevel[n.level]!) };
  const size = (1n << 40n) + 12_345n;

  test('inclusion proofs for indices past 2^32 generate and verify', async () => {
    const root = await computeRootFromSource(uniform, size);
    for (const index of [0n, (1n << 32n) + 1n, (1n << 35n) + 7n, size - 1n]) {
      const proof = await generateInclusionProof(uniform, index, size);
      expect(proof.length).toBe(inclusionProofLength(index, size));
      verifyInclusion(leaf, index, size, proof, root);
      expect(encodeBase64(rootFromInclusionProof(leaf, index, size, proof))).toBe(encodeBase64(root));
    }
  });

  test('consistency proofs between sizes past 2^32 generate and verify', async () => {
    const size1 = (1n << 33n) + 3n;
    const proof = await generateConsistencyProof(uniform, size1, size);
    verifyConsistency(size1, size, proof, await computeRootFromSource(uniform, size1), await computeRootFromSource(uniform, size));
    await expectLedgerError(
      async () => verifyConsistency(size1 + 1n, size, proof, await computeRootFromSource(uniform, size1 + 1n), await computeRootFromSource(uniform, size)),
      'PROOF_WRONG_LENGTH',
    );
  });
});
