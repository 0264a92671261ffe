import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS, CHECKS_OF_FORMAT } from '../src/report.ts';

// The check ids live in one table (CHECKS, src/report.ts); the protocol's check tables must list the
// same ones, so a check added to the code is documented and a documented one exists.
const docs = (path: string) => readFileSync(new URL(`../../../docs/protocol/${path}`, import.meta.url), 'utf8');
/** The ids in the first column of the table under a heading (`| \`id\` | … |` rows). */
function tableIds(text: string, heading: string): string[] {
  const section = text.slice(text.indexOf(heading));
  const table = section.slice(section.indexOf('\n|'), section.indexOf('\n\n', section.indexOf('\n|') + 1));
  return [...table.matchAll(/^\| `([a-z-]+\.[a-z-]+)` \|/gm)].map((m) => m[1]!);
}

describe('the protocol documents every check the verifier reports', () => {
  it('record.md §4 lists the election record’s checks, in order', () => {
    expect(tableIds(docs('record.md'), '## 4. Verification')).toEqual(CHECKS_OF_FORMAT['townhall/election-record']);
  });

  it('contracts.md §12.2 lists the contract checks; the contract record has the record checks and those', () => {
    expect(tableIds(docs('contracts.md'), '### 12.2 Checks')).toEqual(Object.keys(CHECKS).filter((id) => id.startsWith('contract.')));
    expect(CHECKS_OF_FORMAT['townhall/contract-record'].filter((id) => !id.startsWith('contract.'))).toEqual([
      'record.format',
      'ledger.entries',
      'ledger.chain',
      'ledger.checkpoint-roots',
      'ledger.consistency',
      'ledger.checkpoint-signatures',
      'ledger.cosignatures',
      'registry.inclusion',
    ]);
  });
});
