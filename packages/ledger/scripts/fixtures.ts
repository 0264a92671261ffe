/**
 * Deterministic fixtures shared by the tests, the negative-vector generator and the doc-vector
 * generator: fixed keys (seeds are SHA-256 of a label), a small election log and its checkpoint.
 * Ed25519 is deterministic, so everything derived here is byte-for-byte reproducible.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  GENESIS_PREVIOUS_HASH,
  MemoryTree,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  addSignatures,
  cosignCheckpoint,
  createSigner,
  electionLogOrigin,
  encodeEntry,
  entryLeafHash,
  signCheckpoint,
  type EntryBody,
  type EntryTypeName,
  type NoteSigner,
} from '../src/index.ts';

export const seed = (label: string): Uint8Array => sha256(new TextEncoder().encode(label));

export const ORIGIN = electionLogOrigin('townhall.example', 'demo-2026');
export const LOG_SIGNER: NoteSigner = createSigner(ORIGIN, SIGNATURE_TYPE_ED25519, seed('townhall-test/log-key'));
/** A different key under the same name, as an impostor log would use. */
export const IMPOSTOR_SIGNER: NoteSigner = createSigner(ORIGIN, SIGNATURE_TYPE_ED25519, seed('townhall-test/impostor-key'));
export const WITNESS_SIGNERS: readonly NoteSigner[] = ['witness.north.example/w1', 'witness.south.example/w1', 'witness.east.example/w1'].map((name) =>
  createSigner(name, SIGNATURE_TYPE_COSIGNATURE_V1, seed(`townhall-test/${name}`)),
);
/** 2026-01-01T00:00:00Z */
export const COSIGN_TIME = 1767225600n;

const BODIES: [EntryTypeName, EntryBody][] = [
  ['LogCreated', { origin: ORIGIN, kind: 'election', electionId: 'demo-2026' }],
  ['ElectionDefined', { electionId: 'demo-2026', title: 'Demo council election', contests: [{ id: 'c1', options: ['a', 'b', 'c'], min: 0, max: 1 }] }],
  ['TrusteeCommitted', { trustee: 1, commitments: ['AA==', 'AQ=='] }],
  ['TrusteeCommitted', { trustee: 2, commitments: ['Ag==', 'Aw=='] }],
  ['ElectionKeyPublished', { key: 'BA==' }],
  ['IssuerKeyPublished', { keyId: 'issuer-1', spki: 'BQ==' }],
  ['ElectionOpened', { at: '2026-01-01T08:00:00Z' }],
  ['CredentialIssued', { pseudonym: 'p-0001' }],
  ['BallotCast', { tracking: 't-0001', ballot: 'Bg==' }],
  ['CredentialIssued', { pseudonym: 'p-0002' }],
  ['BallotCast', { tracking: 't-0002', ballot: 'Bw==' }],
  ['BallotSpoiled', { tracking: 't-0003', randomness: 'CA==' }],
  ['ElectionClosed', { at: '2026-01-08T20:00:00Z', ballots: 2 }],
];

/** A 13-entry hash-chained election log. */
export function buildFixtureLog(): { entries: Uint8Array[]; tree: MemoryTree } {
  const entries: Uint8Array[] = [];
  const tree = new MemoryTree();
  let previousHash = GENESIS_PREVIOUS_HASH;
  for (const [type, body] of BODIES) {
    const entry = encodeEntry({ type, previousHash, body });
    entries.push(entry);
    tree.appendEntry(entry);
    previousHash = entryLeafHash(entry);
  }
  return { entries, tree };
}

/** The log-signed checkpoint for `tree`, cosigned by the first `witnesses` witnesses. */
export function publishCheckpoint(tree: MemoryTree, witnesses: number, signer: NoteSigner = LOG_SIGNER): string {
  const note = signCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root() }, [signer]);
  const cosignatures = WITNESS_SIGNERS.slice(0, witnesses).map((w) => cosignCheckpoint(note, w, COSIGN_TIME));
  return cosignatures.length === 0 ? note : addSignatures(note, cosignatures);
}
