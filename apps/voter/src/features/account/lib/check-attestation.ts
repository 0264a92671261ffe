import { decodeBase64, decodeHex, encodeHex, hashLeaf, parseDecimalUint64, verifyInclusion } from '@townhall/ledger';
import type { Attestation } from '@townhall/protocol';

export type ProofCheck =
  | { status: 'verified'; treeSize: string; rootHash: string }
  | { status: 'pending' }
  | { status: 'failed'; reason: string };

/**
 * Checks an attestation in the browser rather than trusting the server's word: the leaf hash is
 * SHA-256(0x00 ‖ entry) (RFC 9162 §2.1.1) and the inclusion proof leads from it to the root it
 * names (§2.1.3.2). Whether that root is the one the witnesses cosigned is the checkpoint's
 * business: the verifier app checks signatures.
 */
export function checkAttestation(attestation: Attestation): ProofCheck {
  const entry = decodeBase64(attestation.entry);
  if (!entry) return { status: 'failed', reason: 'The entry is not valid base64.' };
  const leafHash = hashLeaf(entry);
  if (encodeHex(leafHash) !== attestation.leafHash.toLowerCase()) {
    return { status: 'failed', reason: 'The leaf hash does not match the entry.' };
  }
  const proof = attestation.inclusionProof;
  if (!proof) return { status: 'pending' };
  const index = parseDecimalUint64(attestation.index);
  const treeSize = parseDecimalUint64(proof.treeSize);
  const root = decodeHex(proof.rootHash);
  const hashes = proof.hashes.map((hash) => decodeHex(hash));
  if (index === undefined || treeSize === undefined || !root || hashes.some((hash) => !hash)) {
    return { status: 'failed', reason: 'The proof is malformed.' };
  }
  try {
    verifyInclusion(leafHash, index, treeSize, hashes as Uint8Array[], root);
    return { status: 'verified', treeSize: proof.treeSize, rootHash: proof.rootHash };
  } catch (error) {
    return { status: 'failed', reason: error instanceof Error ? error.message : 'The proof does not verify.' };
  }
}
