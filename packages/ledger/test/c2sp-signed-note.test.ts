// C2SP signed-note, checked against the golang.org/x/mod/sumdb/note vectors (the reference
// implementation) and the example in the spec.
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, test } from 'vitest';
import {
  MAX_NOTE_SIGNATURES,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  computeKeyId,
  createSigner,
  formatKeyId,
  formatSignerKey,
  formatVerifierKey,
  generateKeyPair,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  encodeBase64,
} from '../src/index.ts';
import { expectLedgerError, readJsonVector, readVector } from './helpers.ts';

const go = readJsonVector('go-sumdb-note/note.json');
const peter = () => parseVerifierKey(go.peterVerifierKey);
const enoch = () => parseVerifierKey(go.enochVerifierKey);

describe('keys', () => {
  test('the reference verifier and signer keys parse, and agree', () => {
    const v = peter();
    const s = parseSignerKey(go.peterSignerKey);
    expect(v).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3, type: SIGNATURE_TYPE_ED25519 });
    expect(s.keyId).toBe(v.keyId);
    expect(encodeBase64(s.publicKey)).toBe(encodeBase64(v.publicKey));
    expect(formatVerifierKey(v)).toBe(go.peterVerifierKey);
    expect(enoch().keyId).toBe(0xaf0cfe78);
  });

  test('key ID = SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]', () => {
    const v = peter();
    expect(formatKeyId(computeKeyId('PeterNeumann', 0x01, v.publicKey))).toBe('c74f20a3');
    expect(computeKeyId('PeterNeumann', 0x04, v.publicKey)).not.toBe(v.keyId);
  });

  test('every substring and every one-character change of a verifier key is rejected', async () => {
    const key = go.peterVerifierKey as string;
    for (let i = 0; i <= key.length; i++) {
      for (let j = i + 1; j <= key.length; j++) {
        if (i === 0 && j === key.length) continue;
        await expectLedgerError(() => parseVerifierKey(key.slice(i, j)), 'MALFORMED_KEY');
      }
    }
    for (let i = 0; i < key.length; i++) {
      const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      await expectLedgerError(() => parseVerifierKey(changed), 'MALFORMED_KEY');
    }
    for (const bad of go.badVerifierKeys as string[]) await expectLedgerError(() => parseVerifierKey(bad), 'MALFORMED_KEY');
  });

  test('every substring and every one-character change of a signer key is rejected', async () => {
    const key = go.peterSignerKey as string;
    for (let i = 0; i <= key.length; i += 3) {
      for (let j = i + 1; j <= key.length; j += 2) {
        if (i === 0 && j === key.length) continue;
        await expectLedgerError(() => parseSignerKey(key.slice(i, j)), 'MALFORMED_KEY');
      }
    }
    for (let i = 0; i < key.length; i++) {
      const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      await expectLedgerError(() => parseSignerKey(changed), 'MALFORMED_KEY');
    }
  });

  test('small-order and non-canonical public keys are refused', async () => {
    const identity = new Uint8Array(32);
    identity[0] = 1; // the neutral point: any "signature" would be about nothing
    await expectLedgerError(() => formatVerifierKey({ name: 'x', type: 1, publicKey: identity }), 'MALFORMED_KEY');
    const nonCanonical = new Uint8Array(32).fill(0xff);
    nonCanonical[31] = 0x7f;
    await expectLedgerError(() => formatVerifierKey({ name: 'x', type: 1, publicKey: nonCanonical }), 'MALFORMED_KEY');
  });

  test('names with spaces, plus signs or control characters are refused', async () => {
    const seed = new Uint8Array(32).fill(3);
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u0085b', 'a\tb', 'a\u3000b']) {
      await expectLedgerError(() => createSigner(name, SIGNATURE_TYPE_ED25519, seed), 'MALFORMED_KEY');
    }
  });

  test('generated key pairs round-trip through their strings, for both signature types', () => {
    for (const type of [SIGNATURE_TYPE_ED25519, SIGNATURE_TYPE_COSIGNATURE_V1] as const) {
      const { signerKey, verifierKey } = generateKeyPair('witness.example/w9', type);
      const signer = parseSignerKey(signerKey);
      const verifier = parseVerifierKey(verifierKey);
      expect(verifier.keyId).toBe(signer.keyId);
      expect(verifier.type).toBe(type);
      const note = signNote('hello\n', [signer], { timestamp: 1n });
      expect(openNote(note, [verifier]).verified).toHaveLength(1);
    }
    const seed = ed25519.utils.randomSecretKey();
    expect(parseSignerKey(formatSignerKey('a.example/b', 1, seed)).name).toBe('a.example/b');
  });
});

describe('signing and opening notes', () => {
  const text = go.text as string;
  const peterSig = go.peterSignatureLine as string;
  const enochSig = go.enochSignatureLine as string;

  test('signing the reference text reproduces the reference note byte for byte', () => {
    expect(signNote(text, [parseSignerKey(go.peterSignerKey)])).toBe(`${text}\n${peterSig}`);
  });

  test('one known and one unknown signature: the unknown one is ignored', () => {
    const opened = openNote(`${text}\n${peterSig}${enochSig}`, [peter()]);
    expect(opened.text).toBe(text);
    expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(opened.unverified.map((s) => [s.name, s.keyId])).toEqual([['EnochRoot', 0xaf0cfe78]]);
  });

  test('both known: both verified', () => {
    const opened = openNote(`${text}\n${peterSig}${enochSig}`, [peter(), enoch()]);
    expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(opened.unverified).toEqual([]);
  });

  test('no known key is UNKNOWN_KEY, listing the signers seen', async () => {
    const error = await expectLedgerError(() => openNote(`${text}\n${peterSig}${enochSig}`, []), 'UNKNOWN_KEY');
    expect(error.evidence).toEqual({ signers: [{ name: 'PeterNeumann', keyId: 0xc74f20a3 }, { name: 'EnochRoot', keyId: 0xaf0cfe78 }] });
  });

  test('a duplicated verifier is AMBIGUOUS_KEY only when its key signed', async () => {
    await expectLedgerError(() => openNote(`${text}\n${enochSig}`, [enoch(), peter(), enoch()]), 'AMBIGUOUS_KEY');
    expect(openNote(`${text}\n${peterSig}`, [enoch(), peter(), enoch()]).verified).toHaveLength(1);
  });

  test('more than 100 signatures is malformed, verified or not', async () => {
    await expectLedgerError(() => openNote(`${text}\n${peterSig.repeat(MAX_NOTE_SIGNATURES + 1)}`, [peter()]), 'MALFORMED_NOTE');
    await expectLedgerError(() => openNote(`${text}\n${peterSig.repeat(MAX_NOTE_SIGNATURES + 1)}`, []), 'MALFORMED_NOTE');
  });

  test('a corrupted signature from a known key rejects the whole note', async () => {
    const corrupted = `${text}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
    const error = await expectLedgerError(() => openNote(corrupted, [peter()]), 'BAD_SIGNATURE');
    expect(error.evidence).toEqual({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    await expectLedgerError(() => openNote(`${text.replace('cryptography', 'cryptographY')}\n${peterSig}`, [peter()]), 'BAD_SIGNATURE');
  });

  test('repeated signatures are kept once; corrupted unknown ones are just unverified', () => {
    const enochABCD = `${enochSig.slice(0, 60)}ABCD${enochSig.slice(60)}`;
    const opened = openNote(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${enochABCD}`, [peter()]);
    expect(opened.verified).toHaveLength(1);
    expect(opened.unverified).toHaveLength(2);
  });

  test('malformed notes are MALFORMED_NOTE', async () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    const bad: (string | Uint8Array)[] = [
      text,
      `${text}\n`,
      `${text}\n${peterSig.slice(0, -1)}`,
      `\u0001${text}\n${peterSig}`,
      Uint8Array.from([0xff, ...bytes(`${text}\n${peterSig}`)]),
      `${text}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${text}\n${peterSig}Unexpected line.\n`,
      `${text}\n\u2014 PeterNeumann AAAA\n`,
      `${text}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n`,
      `${text}\n\u2014  PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${text.slice(0, 10)}\ud800${text.slice(10)}\n${peterSig}`,
    ];
    for (const note of bad) await expectLedgerError(() => openNote(note, [peter()]), 'MALFORMED_NOTE');
  });

  test('the note text may contain blank lines: the last blank line separates the signatures', () => {
    const multi = 'first paragraph\n\nsecond paragraph\n';
    const signer = parseSignerKey(go.peterSignerKey);
    const note = signNote(multi, [signer]);
    expect(openNote(note, [peter()]).text).toBe(multi);
  });

  test('the spec example parses: text with an empty line, one signature, key ID from its first 4 bytes', () => {
    const example = readVector('c2sp/signed-note-example.txt');
    const parsed = parseNote(example);
    expect(parsed.text).toBe('Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]).toMatchObject({ name: 'quasimodo.example/salvatore', keyId: 0x367ba04b });
    expect(parsed.signatures[0]!.signature).toHaveLength(64);
  });
});
