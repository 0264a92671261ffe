// C2SP tlog-cosignature (cosignature/v1, Ed25519, type 0x04).
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, test } from 'vitest';
import {
  COSIGNATURE_SIZE,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  addSignatures,
  computeKeyId,
  cosignCheckpoint,
  cosignatureMessage,
  createSigner,
  createVerifier,
  encodeUtf8,
  formatVerifierKey,
  openNote,
  parseNote,
  parseVerifierKey,
  readUint64BE,
} from './exports.ts';
import { LOG_SIGNER, WITNESS_SIGNERS, buildFixtureLog, publishCheckpoint } from '../scripts/fixtures.ts';
import { expectLedgerError, readVector } from './helpers.ts';

describe('tlog-cosignature', () => {
  test('the spec example: the cosignature is key ID ‖ u64 timestamp 1679315147 ‖ 64-byte signature', () => {
    const parsed = parseNote(readVector('c2sp/tlog-cosignature-example.txt'));
    const cosignature = parsed.signatures.find((s) => s.name === 'witness.example.com/w1')!;
    expect(cosignature.keyId).toBe(0x8d66cf3f);
    expect(cosignature.signature).toHaveLength(COSIGNATURE_SIZE);
    expect(readUint64BE(cosignature.signature, 0)).toBe(1679315147n);
  });

  test('the signed message is exactly the spec example message', () => {
    const parsed = parseNote(readVector('c2sp/tlog-checkpoint-example.txt'));
    expect(new TextDecoder().decode(cosignatureMessage(encodeUtf8(parsed.text), 1679315147n))).toBe(readVector('c2sp/tlog-cosignature-message-example.txt'));
  });

  test('a cosignature is an Ed25519 signature over that message, with key ID type 0x04', () => {
    const { tree } = buildFixtureLog();
    const note = publishCheckpoint(tree, 0);
    const witness = WITNESS_SIGNERS[0]!;
    const cosignature = cosignCheckpoint(note, witness, 1767225600n);
    expect(cosignature.keyId).toBe(computeKeyId(witness.name, 0x04, witness.publicKey));
    expect(readUint64BE(cosignature.signature, 0)).toBe(1767225600n);
    const message = cosignatureMessage(encodeUtf8(parseNote(note).text), 1767225600n);
    expect(ed25519.verify(cosignature.signature.subarray(8), message, witness.publicKey)).toBe(true);
    const opened = openNote(addSignatures(note, [cosignature]), [parseVerifierKey(formatVerifierKey(witness))]);
    expect(opened.verified).toEqual([expect.objectContaining({ name: witness.name, type: SIGNATURE_TYPE_COSIGNATURE_V1, timestamp: 1767225600n })]);
  });

  test('the same Ed25519 key as a type 0x01 and a type 0x04 key has different key IDs, so signatures do not cross', async () => {
    const seed = new Uint8Array(32).fill(9);
    const plain = createSigner('w.example', SIGNATURE_TYPE_ED25519, seed);
    const cosigner = createSigner('w.example', SIGNATURE_TYPE_COSIGNATURE_V1, seed);
    expect(plain.keyId).not.toBe(cosigner.keyId);
    const { tree } = buildFixtureLog();
    const note = publishCheckpoint(tree, 0);
    const cosigned = addSignatures(note, [cosignCheckpoint(note, cosigner, 5n)]);
    await expectLedgerError(() => openNote(cosigned, [createVerifier('w.example', SIGNATURE_TYPE_ED25519, plain.publicKey)]), 'UNKNOWN_KEY');
  });

  test('changing the timestamp or the checkpoint breaks the cosignature', async () => {
    const { tree } = buildFixtureLog();
    const note = publishCheckpoint(tree, 0);
    const witness = WITNESS_SIGNERS[1]!;
    const verifier = parseVerifierKey(formatVerifierKey(witness));
    const cosignature = cosignCheckpoint(note, witness, 100n);
    const laterTime = cosignature.signature.slice();
    laterTime[7] = 101;
    await expectLedgerError(() => openNote(addSignatures(note, [{ ...cosignature, signature: laterTime }]), [verifier]), 'BAD_SIGNATURE');
    const otherNote = note.replace('\n13\n', '\n12\n');
    await expectLedgerError(() => openNote(addSignatures(otherNote, [cosignature]), [verifier]), 'BAD_SIGNATURE');
  });

  test('timestamps above 2^63-1 are refused, and only cosigner keys cosign', async () => {
    const { tree } = buildFixtureLog();
    const note = publishCheckpoint(tree, 0);
    await expectLedgerError(() => cosignCheckpoint(note, WITNESS_SIGNERS[0]!, 1n << 63n), 'INVALID_ARGUMENT');
    await expectLedgerError(() => cosignCheckpoint(note, LOG_SIGNER, 1n), 'INVALID_ARGUMENT');
  });
});
