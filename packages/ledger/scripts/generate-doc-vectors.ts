// Rewrites the generated vector section of docs/protocol/ledger.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOC_VECTORS_END, DOC_VECTORS_START, buildDocVectors } from './doc-vectors.ts';

export const ledgerDocPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/protocol/ledger.md');
const doc = readFileSync(ledgerDocPath, 'utf8');
const from = doc.indexOf(DOC_VECTORS_START);
const to = doc.indexOf(DOC_VECTORS_END);
if (from < 0 || to < from) throw new Error('docs/protocol/ledger.md has no vector section markers');
writeFileSync(ledgerDocPath, doc.slice(0, from) + (await buildDocVectors()) + doc.slice(to + DOC_VECTORS_END.length));
console.log('updated the test vectors in docs/protocol/ledger.md');
