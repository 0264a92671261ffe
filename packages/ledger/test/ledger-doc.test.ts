// docs/protocol/ledger.md carries generated test vectors; this fails if the document drifts from
// the code (regenerate with `npm run vectors -w @townhall/ledger`), and checks the vectors verify.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ENTRY_TYPES, formatVerifierKey, parseVerifierKey, verifyReceipt } from '../src/index.ts';
import { DOC_VECTORS_END, DOC_VECTORS_START, buildDocVectors } from '../scripts/doc-vectors.ts';
import { LOG_SIGNER, ORIGIN, WITNESS_SIGNERS, buildFixtureLog } from '../scripts/fixtures.ts';

const doc = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/protocol/ledger.md'), 'utf8');

describe('docs/protocol/ledger.md', () => {
  test('the generated vector section is current', async () => {
    const from = doc.indexOf(DOC_VECTORS_START);
    const to = doc.indexOf(DOC_VECTORS_END);
    expect(from).toBeGreaterThan(0);
    expect(doc.slice(from, to + DOC_VECTORS_END.length)).toBe(await buildDocVectors());
  });

  test('the type-code table lists exactly the registry', () => {
    for (const [name, { code }] of Object.entries(ENTRY_TYPES)) {
      expect(doc, name).toContain(`| \`0x${code.toString(16).padStart(4, '0')}\` | ${name} |`);
    }
    expect(doc.match(/^\| `0x[0-9a-f]{4}` \|/gm)).toHaveLength(Object.keys(ENTRY_TYPES).length);
  });

  test('the receipt in the document verifies offline with the documented keys', () => {
    const receipt = doc.slice(doc.indexOf('### V7.')).split('```\n')[1]!;
    const { entries } = buildFixtureLog();
    const verified = verifyReceipt(receipt, {
      origin: ORIGIN,
      logKeys: [parseVerifierKey(formatVerifierKey(LOG_SIGNER))],
      policy: { witnesses: WITNESS_SIGNERS.map((w) => parseVerifierKey(formatVerifierKey(w))), threshold: 2 },
      entry: entries[8]!,
    });
    expect(verified.index).toBe(8n);
  });
});
