import { describe, expect, it } from 'vitest';
import { MemoryTree, createReceipt, encodeEntry, encodeHex, generateKeyPair, hashLeaf, parseSignerKey, signCheckpoint } from '@townhall/ledger';
import { RECEIPT_FORMAT, checkReceipt, keysOfReceipt, parseReceiptFile, receiptFileText, receiptLedgerOf, type ReceiptLogKeys } from './receipt.ts';

const origin = 'localhost/townhall/election/test';
const tracking = (n: number) => n.toString(16).padStart(64, '0');

/** A small election log holding three BallotCast entries, its signed checkpoint, and a receipt for entry 1. */
async function fixture() {
  const log = generateKeyPair(origin);
  const tree = new MemoryTree();
  const entries = [1, 2, 3].map((n) =>
    encodeEntry({ type: 'BallotCast', previousHash: new Uint8Array(32), body: { fingerprint: 'ab'.repeat(32), trackingCode: tracking(n), ballot: {}, credential: {}, signature: '' } }),
  );
  for (const entry of entries) tree.appendEntry(entry);
  const note = signCheckpoint({ origin, size: tree.size, rootHash: tree.root() }, [parseSignerKey(log.signerKey)]);
  const proof = await createReceipt(tree, 1, note, { extra: entries[1] });
  const keys: ReceiptLogKeys = { origin, log: log.verifierKey, witnessPolicy: { quorum: 0, witnesses: [], isEnforced: false } };
  return { proof, keys, leafHash: encodeHex(hashLeaf(entries[1]!)) };
}

describe('ballot receipts checked in the browser', () => {
  it('verifies a receipt whose signed checkpoint includes the BallotCast of this tracking code', async () => {
    const { proof, keys, leafHash } = await fixture();
    expect(await checkReceipt(proof, keys, { trackingCode: tracking(2), leafHash })).toEqual({ status: 'verified', index: '1', treeSize: '3', cosignatures: 0 });
  });

  it('refuses a receipt for another ballot, another leaf, or under another log key', async () => {
    const { proof, keys, leafHash } = await fixture();
    expect(await checkReceipt(proof, keys, { trackingCode: tracking(3) })).toMatchObject({ status: 'failed', reason: 'the proven ledger entry is not this ballot' });
    expect(await checkReceipt(proof, keys, { trackingCode: tracking(2), leafHash: '00'.repeat(32) })).toMatchObject({ status: 'failed' });
    const stranger = generateKeyPair(origin);
    expect(await checkReceipt(proof, { ...keys, log: stranger.verifierKey }, { trackingCode: tracking(2) })).toMatchObject({ status: 'failed' });
  });

  it('writes and reads the receipt file, keeping the log keys for an offline check', async () => {
    const { proof, keys, leafHash } = await fixture();
    const text = receiptFileText({
      format: RECEIPT_FORMAT,
      version: 1,
      electionId: '7a43c787-aac4-437b-af8a-84a51f7b3145',
      electionTitle: 'Test',
      fingerprint: 'ab'.repeat(32),
      trackingCode: tracking(2),
      shortCode: '0000-0000-0000',
      ledgerIndex: '1',
      leafHash,
      proof,
      ledger: receiptLedgerOf(keys),
    });
    const read = parseReceiptFile(text)!;
    expect(read.trackingCode).toBe(tracking(2));
    expect(await checkReceipt(read.proof!, keysOfReceipt(read.ledger!), { trackingCode: read.trackingCode, leafHash: read.leafHash })).toMatchObject({ status: 'verified' });
    expect(parseReceiptFile('{"format":"something else"}')).toBeNull();
    expect(parseReceiptFile('not json')).toBeNull();
  });
});
