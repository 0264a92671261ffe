// Townhall ledger entries (docs/protocol/ledger.md "Entry encoding") and the hash chain.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ENTRY_HEADER_SIZE,
  ENTRY_TYPES,
  GENESIS_PREVIOUS_HASH,
  MAX_ENTRY_SIZE,
  decodeEntry,
  encodeEntry,
  encodeHex,
  entryLeafHash,
  hashLeaf,
  verifyChain,
  type EntryTypeName,
} from '../src/index.ts';
import { buildFixtureLog } from '../scripts/fixtures.ts';
import { expectLedgerError } from './helpers.ts';

const prev = new Uint8Array(32).fill(0x11);

function withBody(entry: Uint8Array, body: string): Uint8Array {
  const bytes = new TextEncoder().encode(body);
  const out = new Uint8Array(ENTRY_HEADER_SIZE + bytes.length);
  out.set(entry.subarray(0, ENTRY_HEADER_SIZE));
  new DataView(out.buffer).setUint32(ENTRY_HEADER_SIZE - 4, bytes.length, false);
  out.set(bytes, ENTRY_HEADER_SIZE);
  return out;
}

describe('entry encoding', () => {
  test('exact layout: magic, u16 type, u8 version, previous hash, u32 length, JCS body', () => {
    const entry = encodeEntry({ type: 'BallotCast', previousHash: prev, body: { z: 1, a: [true, null, 'é'] } });
    const body = '{"a":[true,null,"é"],"z":1}';
    const bodyBytes = new TextEncoder().encode(body);
    expect(encodeHex(entry)).toBe(
      encodeHex(new TextEncoder().encode('townhall/entry')) + '00' + '0208' + '01' + '11'.repeat(32) + bodyBytes.length.toString(16).padStart(8, '0') + encodeHex(bodyBytes),
    );
  });

  test('every registered type round-trips', () => {
    for (const type of Object.keys(ENTRY_TYPES) as EntryTypeName[]) {
      const body = { n: 1, s: 'x', nested: { b: [1, 2, { c: 'd' }] } };
      const decoded = decodeEntry(encodeEntry({ type, previousHash: prev, body }));
      expect(decoded).toMatchObject({ type, typeCode: ENTRY_TYPES[type].code, version: 1, previousHash: prev, body });
    }
  });

  test('type codes are unique', () => {
    const codes = Object.values(ENTRY_TYPES).map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test('property: encode ∘ decode is the identity on bytes for any JSON object body', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), (body) => {
        const entry = encodeEntry({ type: 'Enrolled', previousHash: prev, body: body as never });
        const decoded = decodeEntry(entry);
        expect(encodeHex(encodeEntry({ type: decoded.type, version: decoded.version, previousHash: decoded.previousHash, body: decoded.body }))).toBe(encodeHex(entry));
      }),
      { numRuns: 300 },
    );
  });

  test('non-canonical bodies are rejected with the canonical form as evidence', async () => {
    const entry = encodeEntry({ type: 'Enrolled', previousHash: prev, body: { a: 1, b: 2 } });
    for (const body of ['{"b":2,"a":1}', '{"a":1, "b":2}', '{"a":1.0,"b":2}', '{"a":1,"b":2,"a":1}', '{"a":1e0,"b":2}', '{"a":"\\u0041","b":2}']) {
      const error = await expectLedgerError(() => decodeEntry(withBody(entry, body)), 'NON_CANONICAL_ENTRY');
      expect(error.evidence).toHaveProperty('canonical');
    }
  });

  test('structural errors are MALFORMED_ENTRY', async () => {
    const entry = encodeEntry({ type: 'Enrolled', previousHash: prev, body: { a: 1 } });
    const trailing = new Uint8Array(entry.length + 1);
    trailing.set(entry);
    await expectLedgerError(() => decodeEntry(trailing), 'MALFORMED_ENTRY');
    await expectLedgerError(() => decodeEntry(entry.subarray(0, entry.length - 1)), 'MALFORMED_ENTRY');
    await expectLedgerError(() => decodeEntry(entry.subarray(0, 20)), 'MALFORMED_ENTRY');
    await expectLedgerError(() => decodeEntry(withBody(entry, '[1,2]')), 'MALFORMED_ENTRY');
    await expectLedgerError(() => decodeEntry(withBody(entry, '"text"')), 'MALFORMED_ENTRY');
    await expectLedgerError(() => decodeEntry(withBody(entry, '{"a":')), 'MALFORMED_ENTRY');
    const badUtf8 = withBody(entry, '{"a":"xx"}');
    badUtf8[badUtf8.length - 3] = 0xff;
    await expectLedgerError(() => decodeEntry(badUtf8), 'MALFORMED_ENTRY');
    const badMagic = entry.slice();
    badMagic[14] = 0x01;
    await expectLedgerError(() => decodeEntry(badMagic), 'MALFORMED_ENTRY');
  });

  test('unknown type codes and versions are UNKNOWN_ENTRY_TYPE', async () => {
    const entry = encodeEntry({ type: 'Enrolled', previousHash: prev, body: {} });
    const unknownType = entry.slice();
    unknownType[16] = 0xff;
    const error = await expectLedgerError(() => decodeEntry(unknownType), 'UNKNOWN_ENTRY_TYPE');
    expect(error.evidence).toEqual({ typeCode: 0x01ff, version: 1 });
    const unknownVersion = entry.slice();
    unknownVersion[17] = 2;
    await expectLedgerError(() => decodeEntry(unknownVersion), 'UNKNOWN_ENTRY_TYPE');
    await expectLedgerError(() => encodeEntry({ type: 'Enrolled', version: 2, previousHash: prev, body: {} }), 'UNKNOWN_ENTRY_TYPE');
  });

  test('entries above 65,535 bytes are ENTRY_TOO_LARGE both ways; exactly the limit is fine', async () => {
    const fits = encodeEntry({ type: 'BallotCast', previousHash: prev, body: { p: 'x'.repeat(MAX_ENTRY_SIZE - ENTRY_HEADER_SIZE - 8) } });
    expect(fits.length).toBe(MAX_ENTRY_SIZE);
    expect(decodeEntry(fits).type).toBe('BallotCast');
    const error = await expectLedgerError(
      () => encodeEntry({ type: 'BallotCast', previousHash: prev, body: { p: 'x'.repeat(MAX_ENTRY_SIZE - ENTRY_HEADER_SIZE - 7) } }),
      'ENTRY_TOO_LARGE',
    );
    expect(error.evidence).toEqual({ size: MAX_ENTRY_SIZE + 1, limit: MAX_ENTRY_SIZE });
    await expectLedgerError(() => decodeEntry(new Uint8Array(MAX_ENTRY_SIZE + 1)), 'ENTRY_TOO_LARGE');
  });

  test('bodies that are not plain JSON data are refused at encoding', async () => {
    for (const body of [{ a: undefined }, { a: NaN }, { a: Infinity }, { a: new Date(0) }, { a: 1n }, { a: '\ud800' }, [] as never, null as never]) {
      await expectLedgerError(() => encodeEntry({ type: 'Enrolled', previousHash: prev, body: body as never }), 'INVALID_ARGUMENT');
    }
    await expectLedgerError(() => encodeEntry({ type: 'Enrolled', previousHash: new Uint8Array(31), body: {} }), 'INVALID_ARGUMENT');
    await expectLedgerError(() => encodeEntry({ type: 'NoSuchType' as never, previousHash: prev, body: {} }), 'INVALID_ARGUMENT');
  });
});

describe('hash chain', () => {
  const { entries } = buildFixtureLog();

  test('a well-formed log replays, and its leaf hashes are the RFC 6962 leaf hashes', () => {
    const replay = verifyChain(entries);
    expect(replay.entries.map((e) => e.type)[0]).toBe('LogCreated');
    expect(replay.leafHashes.map(encodeHex)).toEqual(entries.map((e) => encodeHex(hashLeaf(e))));
    expect(encodeHex(replay.entries[0]!.previousHash)).toBe(encodeHex(GENESIS_PREVIOUS_HASH));
  });

  test('a run of the log replays from a known previous hash', () => {
    const replay = verifyChain(entries.slice(7), { startIndex: 7n, previousHash: entryLeafHash(entries[6]!) });
    expect(replay.entries).toHaveLength(entries.length - 7);
  });

  test('a broken link is CHAIN_BROKEN with the index and both hashes', async () => {
    const swapped = [...entries.slice(0, 4), entries[5]!, entries[4]!, ...entries.slice(6)];
    const error = await expectLedgerError(() => verifyChain(swapped), 'CHAIN_BROKEN');
    expect(error.evidence).toEqual({ index: 4n, expectedPrevious: entryLeafHash(entries[3]!), foundPrevious: entryLeafHash(entries[4]!) });
    const fromMiddle = await expectLedgerError(() => verifyChain(entries.slice(7), { startIndex: 7n, previousHash: entryLeafHash(entries[5]!) }), 'CHAIN_BROKEN');
    expect(fromMiddle.evidence).toMatchObject({ index: 7n });
  });

  test('the first entry must link to 32 zero bytes', async () => {
    await expectLedgerError(() => verifyChain(entries.slice(1)), 'CHAIN_BROKEN');
  });
});
