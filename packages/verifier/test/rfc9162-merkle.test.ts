import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { leafHash, nodeHash, rootFromInclusionPath, treeRoot } from '../src/merkle.ts';

const vectors = JSON.parse(readFileSync(new URL('./vectors/rfc6962/reference-roots.json', import.meta.url), 'utf8')) as {
  emptyRoot: string;
  leaves: string[];
  roots: string[];
};
const leaves = vectors.leaves.map((hex) => leafHash(hexToBytes(hex)));

/** The audit path of RFC 9162 §2.1.3.1, by its recursive definition (test-only reference). */
function auditPath(index: number, hashes: Uint8Array[]): Uint8Array[] {
  if (hashes.length <= 1) return [];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return index < k
    ? [...auditPath(index, hashes.slice(0, k)), treeRoot(hashes.slice(k))]
    : [...auditPath(index - k, hashes.slice(k)), treeRoot(hashes.slice(0, k))];
}

describe('RFC 9162 Merkle tree hashing (the verifier’s own implementation)', () => {
  it('gives the empty tree the hash of the empty string', () => {
    expect(bytesToHex(treeRoot([]))).toBe(vectors.emptyRoot);
  });

  it('reproduces the RFC 6962 reference roots for every size 1..8', () => {
    const computed = vectors.roots.map((_, i) => bytesToHex(treeRoot(leaves.slice(0, i + 1))));
    expect(computed).toEqual(vectors.roots);
  });

  it('verifies every inclusion path of the reference tree and rejects altered ones', () => {
    for (let size = 1; size <= leaves.length; size++) {
      const root = treeRoot(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const path = auditPath(index, leaves.slice(0, size));
        expect(rootFromInclusionPath(leaves[index]!, BigInt(index), BigInt(size), path)).toEqual(root);
        // wrong leaf, truncated path, extended path, index out of range
        expect(rootFromInclusionPath(nodeHash(leaves[index]!, leaves[index]!), BigInt(index), BigInt(size), path)).not.toEqual(root);
        if (path.length > 0) expect(rootFromInclusionPath(leaves[index]!, BigInt(index), BigInt(size), path.slice(1))).not.toEqual(root);
        expect(rootFromInclusionPath(leaves[index]!, BigInt(index), BigInt(size), [...path, root])).toBeNull();
        expect(rootFromInclusionPath(leaves[index]!, BigInt(size), BigInt(size), path)).toBeNull();
      }
    }
  });
});
