import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/bytes.ts';
import { ENTRY_TYPES, decodeEntry } from '../src/entry.ts';
import { leafHash } from '../src/merkle.ts';
import { parseCheckpoint, parseNote, parseVerifierKey, verifyCosignature, verifyLogSignature } from '../src/note.ts';

// The vectors of docs/protocol/ledger.md §8 (V1, V4, V5), copied from the document: this
// implementation is written from the docs, so the docs' own vectors are its first test.
const LOG_KEY = 'townhall.example/townhall/election/demo-2026+d33cc1c9+AUNSyv2CkRugp+NKchI7yYetYANuIIdHSmBtxwj6NdW3';
const NORTH = 'witness.north.example/w1+6ddb150a+BL1zqVgM7EDiN04WULv7DMBKxcGfSe1M89P2KIWhK0uz';
const SOUTH = 'witness.south.example/w1+7d799bce+BJw3wIYbstaywU0Kqd3cvH1GR4Qg3AoKonDbID32hsHf';
const EAST = 'witness.east.example/w1+135db8b5+BA0q1IjRtCWlR+eCg7GKfLxS4PTluJhPqhQTbyLsyoDt';
const V1 =
  '746f776e68616c6c2f656e747279000001010000000000000000000000000000000000000000000000000000000000000000000000647b22656c656374696f6e4964223a2264656d6f2d32303236222c226b696e64223a22656c656374696f6e222c226f726967696e223a22746f776e68616c6c2e6578616d706c652f746f776e68616c6c2f656c656374696f6e2f64656d6f2d32303236227d';
const CHECKPOINT = 'townhall.example/townhall/election/demo-2026\n13\nGlfCACPCeOe8gFAQkVZme1HFHVlWJN0Qvd9BVSZ7w/8=\n';
const LOG_SIGNATURE = '— townhall.example/townhall/election/demo-2026 0zzByYbR8HhqCyOtF+ChdgeE6sAU0L2xIx/OSftxPbK7jrGWmXDiuNqiU74j0uloMWulx9q77vEksJmjLFR3MHmEUAw=\n';
const V5 = `${CHECKPOINT}\n${LOG_SIGNATURE}— witness.north.example/w1 bdsVCgAAAABpVbkAuQSfwPBUXZfDeFbOEXujTyNffS5NtG4PA7/2y2AtvDmaV19fe7Lo1q0svOHi2YfTqf8axOfhyjR1k9/M8KOMAQ==\n— witness.south.example/w1 fXmbzgAAAABpVbkA7Pw4ztBZU55eJ5q/qF4bkxECosEuq6wGS33Jj9gzduF9wFIaGfawV2bvhkfEi2jCSN+HINwj/bpHBvveONhjBw==\n`;

describe('ledger.md §2.1 type codes', () => {
  it('this implementation knows exactly the entry types the document lists, under the same codes', () => {
    const doc = readFileSync(new URL('../../../docs/protocol/ledger.md', import.meta.url), 'utf8');
    const documented = Object.fromEntries([...doc.matchAll(/^\| `0x([0-9a-f]{4})` \| (\w+) \|/gm)].map((m) => [parseInt(m[1]!, 16), m[2]!]));
    expect(Object.keys(documented).length).toBeGreaterThan(20);
    expect(ENTRY_TYPES).toEqual(documented);
  });
});

describe('ledger.md §8 vectors', () => {
  it('V1: the genesis entry decodes and its leaf hash is the documented one', () => {
    const entry = decodeEntry(fromHex(V1));
    expect(entry.type).toBe('LogCreated');
    expect(entry.body).toEqual({ electionId: 'demo-2026', kind: 'election', origin: 'townhall.example/townhall/election/demo-2026' });
    expect(toHex(leafHash(fromHex(V1)))).toBe('f4f7950248924d3116a29ab6766c3e7323a558eacd8e50b27825ae249569704c');
  });

  it('V1 mutated: a non-canonical body and a wrong length are refused', () => {
    const bytes = fromHex(V1);
    expect(() => decodeEntry(bytes.subarray(0, bytes.length - 1))).toThrow(/body length/);
    const spaced = new Uint8Array(bytes);
    spaced[54 + 1] = 0x20; // a space instead of the first quote
    expect(() => decodeEntry(spaced)).toThrow();
  });

  it('V4/V5: the checkpoint is signed by the log key and cosigned by north and south, not east', () => {
    const note = parseNote(V5);
    expect(parseCheckpoint(note.text)).toMatchObject({ origin: 'townhall.example/townhall/election/demo-2026', size: 13n });
    expect(verifyLogSignature(note, parseVerifierKey(LOG_KEY))).toBe(true);
    expect(verifyCosignature(note, parseVerifierKey(NORTH))).toEqual({ valid: true, timestamp: 1767225600n });
    expect(verifyCosignature(note, parseVerifierKey(SOUTH))).toEqual({ valid: true, timestamp: 1767225600n });
    expect(verifyCosignature(note, parseVerifierKey(EAST))).toBeUndefined();
  });

  it('V5 mutated: another size, or a cosignature under another timestamp, fails', () => {
    const resized = parseNote(V5.replace('\n13\n', '\n14\n'));
    expect(verifyLogSignature(resized, parseVerifierKey(LOG_KEY))).toBe(false);
    expect(verifyCosignature(resized, parseVerifierKey(NORTH))).toMatchObject({ valid: false });
    const retimed = parseNote(V5.replace('bdsVCgAAAABpVbkA', 'bdsVCgAAAABpVbkB'));
    expect(verifyCosignature(retimed, parseVerifierKey(NORTH))).toMatchObject({ valid: false });
  });

  it('refuses a verifier key whose key ID does not match', () => {
    expect(() => parseVerifierKey(LOG_KEY.replace('+d33cc1c9+', '+d33cc1ca+'))).toThrow(/key ID/);
  });
});
