/**
 * Golden negative vectors: each is a valid object from the fixture log with exactly one
 * mutation, and the LedgerError code a verifier must raise for it. `npm run vectors` writes them
 * to test/vectors/negative/<name>.json; a test checks the committed files are what this makes.
 */
import {
  RECEIPT_HEADER,
  addSignatures,
  consistencyProofLength,
  createReceipt,
  encodeBase64,
  encodeEntry,
  encodeHex,
  formatVerifierKey,
  generateConsistencyProof,
  generateInclusionProof,
  hashLeaf,
  inclusionProofLength,
  parseNote,
  signNote,
  formatNote,
  hashChildren as nodeHash,
  MemoryTree,
  type LedgerErrorCode,
} from '../src/index.ts';
import { IMPOSTOR_SIGNER, LOG_SIGNER, ORIGIN, WITNESS_SIGNERS, buildFixtureLog, publishCheckpoint } from './fixtures.ts';

export type NegativeVector =
  | { kind: 'inclusion'; description: string; leafHash: string; index: string; size: string; proof: string[]; root: string; expectedError: LedgerErrorCode }
  | { kind: 'consistency'; description: string; size1: string; size2: string; proof: string[]; root1: string; root2: string; expectedError: LedgerErrorCode }
  | { kind: 'note'; description: string; note: string; verifierKeys: string[]; expectedError: LedgerErrorCode }
  | {
      kind: 'receipt';
      description: string;
      receipt: string;
      origin: string;
      logKeys: string[];
      witnessKeys: string[];
      threshold: number;
      entry: string;
      expectedError: LedgerErrorCode;
    }
  | { kind: 'entries'; description: string; entries: string[]; expectedError: LedgerErrorCode };

const hex = encodeHex;
const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const copy = bytes.slice();
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
};

export async function buildNegativeVectors(): Promise<Record<string, NegativeVector>> {
  const { entries, tree } = buildFixtureLog();
  const vectors: Record<string, NegativeVector> = {};
  const size = tree.size;
  const root = tree.root();

  // Inclusion of entry 6 in the 13-entry tree.
  const index = 6n;
  const leafHash = hashLeaf(entries[6]!);
  const proof = await generateInclusionProof(tree, index, size);
  const inclusion = (description: string, expectedError: LedgerErrorCode, change: Partial<{ leafHash: Uint8Array; index: bigint; size: bigint; proof: Uint8Array[]; root: Uint8Array }>): NegativeVector => ({
    kind: 'inclusion',
    description,
    leafHash: hex(change.leafHash ?? leafHash),
    index: String(change.index ?? index),
    size: String(change.size ?? size),
    proof: (change.proof ?? proof).map(hex),
    root: hex(change.root ?? root),
    expectedError,
  });
  vectors['inclusion-wrong-leaf'] = inclusion('leaf hash of a different entry', 'ROOT_MISMATCH', { leafHash: hashLeaf(entries[7]!) });
  vectors['inclusion-truncated-proof'] = inclusion('last proof hash removed', 'PROOF_WRONG_LENGTH', { proof: proof.slice(0, -1) });
  vectors['inclusion-extended-proof'] = inclusion('trailing garbage: an extra hash after the proof', 'PROOF_WRONG_LENGTH', { proof: [...proof, new Uint8Array(32)] });
  vectors['inclusion-preceding-garbage'] = inclusion('an extra hash before the proof', 'PROOF_WRONG_LENGTH', { proof: [root, ...proof] });
  vectors['inclusion-empty-proof'] = inclusion('all proof hashes removed', 'PROOF_WRONG_LENGTH', { proof: [] });
  vectors['inclusion-wrong-root'] = inclusion('root of the tree one entry smaller', 'ROOT_MISMATCH', { root: rootOf(tree, size - 1n) });
  vectors['inclusion-sibling-index'] = inclusion('index of the sibling leaf (same proof length)', 'ROOT_MISMATCH', { index: index ^ 1n });
  vectors['inclusion-index-out-of-range'] = inclusion('index equal to the tree size', 'INDEX_OUT_OF_RANGE', { index: size });
  const doubledSize = size * 2n;
  vectors['inclusion-size-doubled'] = inclusion(
    'tree size doubled',
    inclusionProofLength(index, doubledSize) === proof.length ? 'ROOT_MISMATCH' : 'PROOF_WRONG_LENGTH',
    { size: doubledSize },
  );
  proof.forEach((_, n) => {
    vectors[`inclusion-flipped-bit-${n}`] = inclusion(`lowest bit of proof hash ${n} flipped`, 'ROOT_MISMATCH', {
      proof: proof.map((h, i) => (i === n ? flipBit(h, 0) : h)),
    });
  });

  // Consistency from 5 (not a power of two) to 13.
  const size1 = 5n;
  const root1 = rootOf(tree, size1);
  const cproof = await generateConsistencyProof(tree, size1, size);
  const consistency = (description: string, expectedError: LedgerErrorCode, change: Partial<{ size1: bigint; size2: bigint; proof: Uint8Array[]; root1: Uint8Array; root2: Uint8Array }>): NegativeVector => ({
    kind: 'consistency',
    description,
    size1: String(change.size1 ?? size1),
    size2: String(change.size2 ?? size),
    proof: (change.proof ?? cproof).map(hex),
    root1: hex(change.root1 ?? root1),
    root2: hex(change.root2 ?? root),
    expectedError,
  });
  vectors['consistency-swapped-roots'] = consistency('old and new roots swapped', 'ROOT_MISMATCH', { root1: root, root2: root1 });
  vectors['consistency-wrong-root1'] = consistency('old root of size 4 instead of 5', 'ROOT_MISMATCH', { root1: rootOf(tree, 4n) });
  vectors['consistency-wrong-root2'] = consistency('new root of size 12 instead of 13', 'ROOT_MISMATCH', { root2: rootOf(tree, 12n) });
  vectors['consistency-truncated-proof'] = consistency('last proof hash removed', 'PROOF_WRONG_LENGTH', { proof: cproof.slice(0, -1) });
  vectors['consistency-extended-proof'] = consistency('trailing garbage: an extra hash after the proof', 'PROOF_WRONG_LENGTH', { proof: [...cproof, new Uint8Array(32)] });
  vectors['consistency-empty-proof'] = consistency('all proof hashes removed', 'PROOF_WRONG_LENGTH', { proof: [] });
  vectors['consistency-old-size-above-new'] = consistency('old size larger than new size', 'INDEX_OUT_OF_RANGE', { size1: size + 1n });
  vectors['consistency-same-size-different-roots'] = consistency('equal sizes, different roots, empty proof', 'ROOT_MISMATCH', { size1: size, root1: rootOf(tree, 12n), proof: [] });
  // A consistency (or inclusion) proof alone does not bind the larger size when its last hash is
  // a right-border subtree: the same proof also "verifies" 5 → 16 against the size-13 root. The
  // signed checkpoint binds size and root together. This mutation changes the proof's length.
  const otherSize2 = [8n, 6n, 26n, 32n].find((s2) => consistencyProofLength(size1, s2) !== cproof.length)!;
  vectors['consistency-size2-changed'] = consistency(`new size ${otherSize2} instead of 13`, 'PROOF_WRONG_LENGTH', { size2: otherSize2 });
  cproof.forEach((_, n) => {
    vectors[`consistency-flipped-bit-${n}`] = consistency(`lowest bit of proof hash ${n} flipped`, 'ROOT_MISMATCH', {
      proof: cproof.map((h, i) => (i === n ? flipBit(h, 0) : h)),
    });
  });

  // Signed notes (the checkpoint of the fixture log).
  const logKey = formatVerifierKey(LOG_SIGNER);
  const checkpointNote = publishCheckpoint(tree, 0);
  const parsed = parseNote(checkpointNote);
  const note = (description: string, expectedError: LedgerErrorCode, text: string, verifierKeys = [logKey]): NegativeVector => ({ kind: 'note', description, note: text, verifierKeys, expectedError });
  vectors['note-wrong-key'] = note('signed by another key with the same name', 'UNKNOWN_KEY', signNote(parsed.text, [IMPOSTOR_SIGNER]));
  const otherText = parsed.text.replace(/\n13\n/, '\n14\n');
  vectors['note-signature-over-different-note'] = note('the log signature moved onto a checkpoint with another size', 'BAD_SIGNATURE', formatNote(otherText, parsed.signatures));
  vectors['note-flipped-signature-bit'] = note('one bit of the signature flipped', 'BAD_SIGNATURE', formatNote(parsed.text, [{ ...parsed.signatures[0]!, signature: flipBit(parsed.signatures[0]!.signature, 9) }]));
  vectors['note-missing-blank-line'] = note('no blank line between text and signatures', 'MALFORMED_NOTE', checkpointNote.replace('\n\n', '\n'));
  vectors['note-no-final-newline'] = note('signature line without its newline', 'MALFORMED_NOTE', checkpointNote.slice(0, -1));
  vectors['note-control-character'] = note('a tab in the origin line', 'MALFORMED_NOTE', checkpointNote.replace('townhall.example', 'townhall\texample'));
  vectors['note-hyphen-instead-of-em-dash'] = note('signature line starts with "-" instead of an em dash', 'MALFORMED_NOTE', checkpointNote.replace('\u2014', '-'));
  vectors['note-ambiguous-keys'] = note('the same verifier key configured twice', 'AMBIGUOUS_KEY', checkpointNote, [logKey, logKey]);

  // Receipts for entry 8 (a BallotCast) against the checkpoint cosigned by two of three witnesses.
  const witnessKeys = WITNESS_SIGNERS.map(formatVerifierKey);
  const published = publishCheckpoint(tree, 2);
  const receipt = await createReceipt(tree, 8n, published);
  const receiptVector = (description: string, expectedError: LedgerErrorCode, change: Partial<{ receipt: string; origin: string; threshold: number; entry: Uint8Array }>): NegativeVector => ({
    kind: 'receipt',
    description,
    receipt: change.receipt ?? receipt,
    origin: change.origin ?? ORIGIN,
    logKeys: [logKey],
    witnessKeys,
    threshold: change.threshold ?? 2,
    entry: encodeBase64(change.entry ?? entries[8]!),
    expectedError,
  });
  vectors['receipt-wrong-entry'] = receiptVector('another entry than the one the receipt is for', 'ROOT_MISMATCH', { entry: entries[9]! });
  vectors['receipt-witness-policy-unmet'] = receiptVector('three cosignatures required, two present', 'WITNESS_POLICY_UNMET', { threshold: 3 });
  vectors['receipt-wrong-origin'] = receiptVector('verifier expects another election log', 'ORIGIN_MISMATCH', { origin: ORIGIN.replace('demo-2026', 'other-2026') });
  const receiptLines = receipt.split('\n');
  const lastCosignature = receiptLines.findLastIndex((line) => line.startsWith('\u2014 witness'));
  const forged = receiptLines.map((line, i) => (i === lastCosignature ? line.replace(/.(=*)$/, (m, pad) => (m[0] === 'A' ? 'B' : 'A') + pad) : line)).join('\n');
  vectors['receipt-forged-cosignature'] = receiptVector('last base64 symbol of a cosignature changed', 'BAD_SIGNATURE', { receipt: forged });
  const smaller = new MemoryTree();
  entries.slice(0, 12).forEach((e) => smaller.appendEntry(e));
  const olderCosignatures = parseNote(publishCheckpoint(smaller, 2)).signatures.filter((s) => s.name.startsWith('witness'));
  const replayed = addSignatures(publishCheckpoint(tree, 0), olderCosignatures);
  vectors['receipt-cosignature-replayed'] = receiptVector('cosignatures of the previous checkpoint attached to this one', 'BAD_SIGNATURE', {
    receipt: receipt.slice(0, receipt.indexOf('\n\n') + 2) + replayed,
  });
  vectors['receipt-truncated-proof'] = receiptVector('last inclusion proof line removed', 'PROOF_WRONG_LENGTH', {
    receipt: receipt.replace(/\n[^\n]*\n\n/, '\n\n'),
  });
  vectors['receipt-wrong-index'] = receiptVector('index 9 instead of 8', 'ROOT_MISMATCH', { receipt: receipt.replace('\nindex 8\n', '\nindex 9\n') });
  vectors['receipt-wrong-header'] = receiptVector('first line is not c2sp.org/tlog-proof@v1', 'MALFORMED_PROOF', { receipt: receipt.replace(RECEIPT_HEADER, 'c2sp.org/tlog-proof@v2') });
  vectors['receipt-impostor-log'] = receiptVector('checkpoint signed by an impostor key under the log name', 'UNKNOWN_KEY', {
    receipt: await createReceipt(tree, 8n, publishCheckpoint(tree, 0, IMPOSTOR_SIGNER)),
    threshold: 0,
  });

  // Entry encoding and the hash chain.
  const b64 = (list: Uint8Array[]) => list.map(encodeBase64);
  const entriesVector = (description: string, expectedError: LedgerErrorCode, list: Uint8Array[]): NegativeVector => ({ kind: 'entries', description, entries: b64(list), expectedError });
  vectors['chain-swapped-entries'] = entriesVector('entries 7 and 8 swapped', 'CHAIN_BROKEN', [...entries.slice(0, 7), entries[8]!, entries[7]!, ...entries.slice(9)]);
  vectors['chain-missing-entry'] = entriesVector('entry 5 removed', 'CHAIN_BROKEN', [...entries.slice(0, 5), ...entries.slice(6)]);
  const withTrailing = new Uint8Array(entries[3]!.length + 1);
  withTrailing.set(entries[3]!);
  vectors['entry-trailing-bytes'] = entriesVector('one zero byte after entry 3', 'MALFORMED_ENTRY', [...entries.slice(0, 3), withTrailing]);
  const nonCanonical = entries[1]!.slice();
  const bodyText = new TextDecoder().decode(nonCanonical.subarray(54));
  const reordered = new TextEncoder().encode(bodyText.replace('{"contests"', '{"title":"Demo council election","contests"').replace(',"title":"Demo council election"}', '}'));
  const header = nonCanonical.slice(0, 54);
  new DataView(header.buffer).setUint32(50, reordered.length, false);
  vectors['entry-non-canonical-body'] = entriesVector('body keys not in JCS order', 'NON_CANONICAL_ENTRY', [entries[0]!, concat(header, reordered)]);
  const unknownType = entries[0]!.slice();
  unknownType[15] = 0x7f;
  vectors['entry-unknown-type'] = entriesVector('type code 0x7f01', 'UNKNOWN_ENTRY_TYPE', [unknownType]);
  const wrongMagic = entries[0]!.slice();
  wrongMagic[0] = 0x54; // "Townhall"
  vectors['entry-wrong-magic'] = entriesVector('magic starts with "T"', 'MALFORMED_ENTRY', [wrongMagic]);
  const oversize = encodeEntry({ type: 'BallotCast', previousHash: new Uint8Array(32), body: { pad: 'x'.repeat(65_535 - 54 - 10) } });
  const tooBig = concat(oversize.slice(0, 50), u32(oversize.length - 54 + 1), oversize.subarray(54), Uint8Array.of(0x20));
  vectors['entry-oversize'] = entriesVector('65,536 bytes, one over the limit', 'ENTRY_TOO_LARGE', [tooBig]);

  return Object.fromEntries(Object.entries(vectors).sort(([a], [b]) => a.localeCompare(b)));
}

function rootOf(tree: MemoryTree, size: bigint): Uint8Array {
  // Recompute from leaf-level nodes so this does not lean on the code under test for proofs.
  const leaves = tree.getNodeHashes(Array.from({ length: Number(size) }, (_, i) => ({ level: 0, index: BigInt(i) })));
  let level = leaves;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}
