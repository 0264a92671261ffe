import { encodeBase64, encodeHex, hashChildren, hashLeaf } from '@townhall/ledger';
import type { Attestation } from '@townhall/protocol';
import { describe, expect, it } from 'vitest';
import { checkAttestation } from './check-attestation.ts';

const entries = ['first', 'second', 'third'].map((text) => new TextEncoder().encode(text));
const leaves = entries.map(hashLeaf);
// RFC 9162 tree of 3 leaves: root = H(H(l0, l1), l2); the proof for leaf 1 is [l0, l2].
const root = hashChildren(hashChildren(leaves[0]!, leaves[1]!), leaves[2]!);

function attestation(overrides: Partial<Attestation> = {}): Attestation {
  return {
    logId: 'registry',
    type: 'Enrolled',
    index: '1',
    body: {},
    entry: encodeBase64(entries[1]!),
    leafHash: encodeHex(leaves[1]!),
    inclusionProof: { treeSize: '3', rootHash: encodeHex(root), hashes: [encodeHex(leaves[0]!), encodeHex(leaves[2]!)] },
    checkpoint: null,
    ...overrides,
  };
}

describe('checkAttestation', () => {
  it('verifies a correct inclusion proof', () => {
    expect(checkAttestation(attestation())).toEqual({ status: 'verified', treeSize: '3', rootHash: encodeHex(root) });
  });

  it('reports an entry that is not yet in a checkpoint as pending', () => {
    expect(checkAttestation(attestation({ inclusionProof: null }))).toEqual({ status: 'pending' });
  });

  it('catches a leaf hash that is not the hash of the entry', () => {
    expect(checkAttestation(attestation({ entry: encodeBase64(entries[2]!) }))).toMatchObject({ status: 'failed', reason: 'The leaf hash does not match the entry.' });
  });

  it('catches a proof that leads elsewhere, or has the wrong length', () => {
    const swapped = attestation({ inclusionProof: { treeSize: '3', rootHash: encodeHex(root), hashes: [encodeHex(leaves[2]!), encodeHex(leaves[0]!)] } });
    expect(checkAttestation(swapped)).toMatchObject({ status: 'failed' });
    const short = attestation({ inclusionProof: { treeSize: '3', rootHash: encodeHex(root), hashes: [encodeHex(leaves[0]!)] } });
    expect(checkAttestation(short)).toMatchObject({ status: 'failed' });
  });
});
