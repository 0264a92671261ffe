// C2SP tlog-checkpoint: the spec example byte for byte, strict parsing, Townhall origins.
import { describe, expect, test } from 'vitest';
import {
  electionLogOrigin,
  encodeBase64,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  registryLogOrigin,
  formatVerifierKey,
} from '../src/index.ts';
import { LOG_SIGNER, ORIGIN, buildFixtureLog, publishCheckpoint } from '../scripts/fixtures.ts';
import { expectLedgerError, readVector } from './helpers.ts';

describe('tlog-checkpoint', () => {
  test('the spec example parses and formats back byte for byte', () => {
    const note = readVector('c2sp/tlog-checkpoint-example.txt');
    const { text } = parseNote(note);
    const checkpoint = parseCheckpoint(text);
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.size).toBe(20852163n);
    expect(encodeBase64(checkpoint.rootHash)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(checkpoint.extensions).toEqual([]);
    expect(formatCheckpoint(checkpoint)).toBe(text);
  });

  test('extension lines are kept in order', () => {
    const text = 'o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next two\n';
    const checkpoint = parseCheckpoint(text);
    expect(checkpoint.extensions).toEqual(['ext one', 'ext two']);
    expect(formatCheckpoint(checkpoint)).toBe(text);
  });

  test('malformed checkpoints are MALFORMED_CHECKPOINT', async () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    for (const text of [
      `o\n1\n${root}`, // no final newline
      `o\n1\n`, // no root
      `\n1\n${root}\n`, // empty origin
      `o\n01\n${root}\n`, // leading zero
      `o\n-1\n${root}\n`,
      `o\n+1\n${root}\n`,
      `o\n18446744073709551616\n${root}\n`, // 2^64
      `o\n1 \n${root}\n`,
      `o\n1\n${root.slice(0, -4)}\n`, // 24 bytes
      `o\n1\n${root.replace('=', '')}\n`, // no padding
      `o\n1\n${root}\n\n`, // empty extension line
      `o\n1\n${root}\next\tension\n`,
    ]) {
      await expectLedgerError(() => parseCheckpoint(text), 'MALFORMED_CHECKPOINT');
    }
    expect(parseCheckpoint(`o\n18446744073709551615\n${root}\n`).size).toBe(18446744073709551615n);
  });

  test('a signed fixture checkpoint opens with the log key and names its origin', async () => {
    const { tree } = buildFixtureLog();
    const note = publishCheckpoint(tree, 0);
    const opened = openCheckpoint(note, [parseVerifierKey(formatVerifierKey(LOG_SIGNER))], { origin: ORIGIN });
    expect(opened.checkpoint).toMatchObject({ origin: ORIGIN, size: 13n });
    expect(encodeBase64(opened.checkpoint.rootHash)).toBe(encodeBase64(tree.root()));
    const error = await expectLedgerError(() => openCheckpoint(note, [parseVerifierKey(formatVerifierKey(LOG_SIGNER))], { origin: 'townhall.example/townhall/registry' }), 'ORIGIN_MISMATCH');
    expect(error.evidence).toEqual({ expected: 'townhall.example/townhall/registry', found: ORIGIN });
  });

  test('Townhall origin names', async () => {
    expect(registryLogOrigin('council.example.gov.uk')).toBe('council.example.gov.uk/townhall/registry');
    expect(electionLogOrigin('localhost:3000', 'mayor-2026')).toBe('localhost:3000/townhall/election/mayor-2026');
    for (const host of ['', 'https://x.example', 'X.example', 'a b', 'a+b', 'x.example/']) await expectLedgerError(() => registryLogOrigin(host), 'INVALID_ARGUMENT');
    for (const id of ['', 'a/b', 'a b', 'a+b', '-x']) await expectLedgerError(() => electionLogOrigin('x.example', id), 'INVALID_ARGUMENT');
  });
});
