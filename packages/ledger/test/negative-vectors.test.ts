// Every golden negative vector under test/vectors/negative is rejected with its stated code, and
// the committed files are exactly what scripts/negative-vectors.ts produces.
import { describe, expect, test } from 'vitest';
import { parseVerifierKey, verifyChain, verifyConsistency, verifyInclusion, openNote, openNoteAsync, verifyReceipt, verifyReceiptAsync } from '../src/index.ts';
import { buildNegativeVectors, type NegativeVector } from '../scripts/negative-vectors.ts';
import { b64, expectLedgerError, hex, listVectors, readJsonVector } from './helpers.ts';

const files = listVectors('negative').filter((f) => f.endsWith('.json'));

function run(vector: NegativeVector): unknown {
  switch (vector.kind) {
    case 'inclusion':
      return verifyInclusion(hex(vector.leafHash), BigInt(vector.index), BigInt(vector.size), vector.proof.map(hex), hex(vector.root));
    case 'consistency':
      return verifyConsistency(BigInt(vector.size1), BigInt(vector.size2), vector.proof.map(hex), hex(vector.root1), hex(vector.root2));
    case 'note':
      return openNote(vector.note, vector.verifierKeys.map(parseVerifierKey));
    case 'receipt':
      return verifyReceipt(vector.receipt, {
        origin: vector.origin,
        logKeys: vector.logKeys.map(parseVerifierKey),
        policy: { witnesses: vector.witnessKeys.map(parseVerifierKey), threshold: vector.threshold },
        entry: b64(vector.entry),
      });
    case 'entries':
      return verifyChain(vector.entries.map(b64));
  }
}

describe('golden negative vectors', () => {
  test('there is a vector for every mutation family', () => {
    for (const prefix of ['inclusion-flipped-bit-', 'consistency-flipped-bit-', 'inclusion-wrong-leaf', 'inclusion-truncated-proof', 'inclusion-extended-proof', 'consistency-swapped-roots', 'note-wrong-key', 'note-signature-over-different-note', 'receipt-witness-policy-unmet', 'chain-swapped-entries']) {
      expect(files.some((f) => f.startsWith(prefix)), prefix).toBe(true);
    }
  });

  test.each(files)('%s is rejected with its code', async (file) => {
    const vector = readJsonVector<NegativeVector>(`negative/${file}`);
    await expectLedgerError(() => run(vector), vector.expectedError);
  });

  test.each(files.filter((f) => f.startsWith('note-') || f.startsWith('receipt-')))('%s is rejected the same way through WebCrypto', async (file) => {
    const vector = readJsonVector<NegativeVector>(`negative/${file}`);
    if (vector.kind === 'note') await expectLedgerError(() => openNoteAsync(vector.note, vector.verifierKeys.map(parseVerifierKey)), vector.expectedError);
    if (vector.kind === 'receipt') {
      await expectLedgerError(
        () =>
          verifyReceiptAsync(vector.receipt, {
            origin: vector.origin,
            logKeys: vector.logKeys.map(parseVerifierKey),
            policy: { witnesses: vector.witnessKeys.map(parseVerifierKey), threshold: vector.threshold },
            entry: b64(vector.entry),
          }),
        vector.expectedError,
      );
    }
  });

  test('the committed vectors are what the generator makes', async () => {
    const generated = await buildNegativeVectors();
    expect(files).toEqual(Object.keys(generated).map((name) => `${name}.json`).sort());
    for (const [name, vector] of Object.entries(generated)) expect(readJsonVector(`negative/${name}.json`), name).toEqual(vector);
  });
});
