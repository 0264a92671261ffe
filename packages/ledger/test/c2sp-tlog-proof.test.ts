// Receipts in the C2SP tlog-proof@v1 format, verified offline with a witness policy.
import { describe, expect, test } from 'vitest';
import {
  createReceipt,
  decodeBase64,
  encodeHex,
  formatReceipt,
  formatVerifierKey,
  hashLeaf,
  parseReceipt,
  parseVerifierKey,
  verifyReceipt,
  verifyReceiptAsync,
} from '../src/index.ts';
import { LOG_SIGNER, ORIGIN, WITNESS_SIGNERS, buildFixtureLog, publishCheckpoint } from '../scripts/fixtures.ts';
import { expectLedgerError, readVector } from './helpers.ts';

const logKeys = [parseVerifierKey(formatVerifierKey(LOG_SIGNER))];
const witnesses = WITNESS_SIGNERS.map((w) => parseVerifierKey(formatVerifierKey(w)));

describe('tlog-proof receipts', () => {
  const { entries, tree } = buildFixtureLog();
  const published = publishCheckpoint(tree, 2);

  test('the header lines are laid out exactly as in the spec example', () => {
    const head = readVector('c2sp/tlog-proof-example-head.txt');
    const lines = head.trimEnd().split('\n');
    const receipt = formatReceipt({
      index: 73894n,
      extra: decodeBase64(lines[1]!.slice('extra '.length))!,
      proof: lines.slice(3).map((l) => decodeBase64(l)!),
      checkpointNote: published,
    });
    expect(receipt.startsWith(`${head}\n`)).toBe(true);
    expect(receipt.slice(head.length + 1)).toBe(published);
  });

  test('every entry of the fixture log gets a receipt that verifies offline under a 2-of-3 policy', async () => {
    for (let i = 0; i < entries.length; i++) {
      const receipt = await createReceipt(tree, i, published);
      const verified = verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses, threshold: 2 }, entry: entries[i]! });
      expect(verified.index).toBe(BigInt(i));
      expect(verified.checkpoint.size).toBe(13n);
      expect(verified.cosignatures.map((c) => c.name)).toEqual(WITNESS_SIGNERS.slice(0, 2).map((w) => w.name));
      expect(verified.cosignatures.every((c) => c.timestamp === 1767225600n)).toBe(true);
    }
  });

  test('the WebCrypto path agrees with the pure-JS path', async () => {
    for (let i = 0; i < entries.length; i++) {
      const receipt = await createReceipt(tree, i, published);
      const options = { origin: ORIGIN, logKeys, policy: { witnesses, threshold: 2 }, entry: entries[i]! };
      expect(await verifyReceiptAsync(receipt, options)).toEqual(verifyReceipt(receipt, options));
    }
  });

  test('a receipt can carry its entry as extra data, and round-trips through parse/format', async () => {
    const receipt = await createReceipt(tree, 8, published, { extra: entries[8]! });
    const verified = verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses, threshold: 1 } });
    expect(encodeHex(verified.leafHash)).toBe(encodeHex(hashLeaf(entries[8]!)));
    expect(formatReceipt(parseReceipt(receipt))).toBe(receipt);
  });

  test('the policy counts distinct known witnesses only', async () => {
    const receipt = await createReceipt(tree, 3, published);
    const error = await expectLedgerError(
      () => verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses: witnesses.slice(1), threshold: 2 }, entry: entries[3]! }),
      'WITNESS_POLICY_UNMET',
    );
    expect(error.evidence).toEqual({ required: 2, verified: [`${WITNESS_SIGNERS[1]!.name}+${WITNESS_SIGNERS[1]!.keyId.toString(16).padStart(8, '0')}`] });
    expect(verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses: witnesses.slice(1), threshold: 1 }, entry: entries[3]! }).cosignatures).toHaveLength(1);
  });

  test('a checkpoint cosigned but not signed by the log is UNKNOWN_KEY', async () => {
    const receipt = await createReceipt(tree, 3, published);
    await expectLedgerError(() => verifyReceipt(receipt, { origin: ORIGIN, logKeys: [witnesses[2]!] as never, policy: { witnesses, threshold: 0 }, entry: entries[3]! }), 'INVALID_ARGUMENT');
    const otherLog = parseVerifierKey(formatVerifierKey({ name: ORIGIN, type: 1, publicKey: WITNESS_SIGNERS[2]!.publicKey }));
    await expectLedgerError(() => verifyReceipt(receipt, { origin: ORIGIN, logKeys: [otherLog], policy: { witnesses, threshold: 0 }, entry: entries[3]! }), 'UNKNOWN_KEY');
  });

  test('malformed receipts are MALFORMED_PROOF', async () => {
    const receipt = await createReceipt(tree, 3, published);
    const bad = [
      receipt.replace('index 3', 'index 03'),
      receipt.replace('index 3', 'index'),
      receipt.replace('index 3\n', ''),
      receipt.replace('\nindex 3\n', '\nindex 3\nnot base64!\n'),
      receipt.replace('\nindex 3\n', '\nextra !!\nindex 3\n'),
      receipt.replace('\n\n', '\n'),
    ];
    for (const text of bad) await expectLedgerError(() => parseReceipt(text), 'MALFORMED_PROOF');
    await expectLedgerError(() => verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses, threshold: 4 }, entry: entries[3]! }), 'INVALID_ARGUMENT');
    await expectLedgerError(() => verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses, threshold: 1 } }), 'INVALID_ARGUMENT');
  });
});
