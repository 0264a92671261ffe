import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseRollCsv, rollCharsetOf, type RollCharset, type RollRow } from './roll-csv.ts';

const HEADER = 'elector_number,given_name,family_name,address,postcode,date_of_birth,district';
const row = (number: string, given: string, family: string) => `${number},${given},${family},"1 Road",DB1 1AA,1990-02-03,CAS`;

/** Parses `bytes` fed `chunkSize` bytes at a time (1: every character and line break split across chunks). */
async function parse(bytes: Uint8Array, chunkSize: number, charset: RollCharset = 'auto') {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(Buffer.from(bytes.subarray(i, i + chunkSize)));
  const rows: RollRow[] = [];
  const result = await parseRollCsv(Readable.from(chunks, { objectMode: false }), {
    districtCodes: new Set(['CAS']),
    charset,
    onRows: async (batch) => void rows.push(...batch),
    today: new Date('2026-01-01'),
  });
  return { names: rows.map((r) => `${r.givenName} ${r.familyName}`), problems: result.problems.map((p) => `${p.line}.${p.column}`) };
}

describe('parseRollCsv: encodings, whatever the chunks', () => {
  it.each([1, 2, 3, 7, 65_536])('reads UTF-8 with a BOM, with CR LF or CR line ends, in chunks of %i bytes', async (size) => {
    for (const end of ['\r\n', '\r']) {
      const text = `\uFEFF${HEADER}${end}${row('X-1', 'Zoë', 'Ó Súilleabháin')}${end}${row('X-2', 'Łukasz', 'Żak 𝒜')}${end}`;
      expect(await parse(new TextEncoder().encode(text), size)).toEqual({ names: ['Zoë Ó Súilleabháin', 'Łukasz Żak 𝒜'], problems: [] });
    }
  });

  it.each([1, 5, 65_536])('reads Windows-1252 when the file is not UTF-8, in chunks of %i bytes', async (size) => {
    const bytes = new Uint8Array(iconv.encode(`${HEADER}\r\n${row('X-1', 'Ann', 'Lee')}\r\n${row('X-2', 'Renée', 'O’Brien')}\r\n`, 'windows-1252'));
    expect(await parse(bytes, size)).toEqual({ names: ['Ann Lee', 'Renée O’Brien'], problems: [] });
  });

  it.each([1, 4, 65_536])('names the first line that breaks the encoding the file started with, in chunks of %i bytes', async (size) => {
    const utf8 = Buffer.from(`${HEADER}\r\n${row('X-1', 'Ann', 'Lee')}\r\n${row('X-2', 'Zoë', 'Lee')}\r\n`);
    const mixed = Buffer.concat([utf8, iconv.encode(`${row('X-3', 'Renée', 'Lee')}\r\n`, 'windows-1252')]);
    expect((await parse(new Uint8Array(mixed), size)).problems).toEqual(['4.(file)']);
    const declared = iconv.encode(`${HEADER}\n${row('X-1', 'Ann', 'Lee')}\n\n${row('X-2', 'Renée', 'Lee')}\n`, 'windows-1252');
    expect((await parse(new Uint8Array(declared), size, 'utf-8')).problems).toEqual(['4.(file)']);
  });

  it('reads the charset an upload declares', () => {
    expect(['text/csv', 'text/csv; charset=UTF-8', 'text/csv;charset="windows-1252"', 'text/csv; charset=iso-8859-1', 'text/csv; charset=shift_jis'].map(rollCharsetOf)).toEqual([
      'auto',
      'utf-8',
      'windows-1252',
      'windows-1252',
      undefined,
    ]);
  });
});
