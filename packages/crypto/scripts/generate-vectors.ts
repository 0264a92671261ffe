// Writes the protocol test vectors into test/vectors/townhall/protocol-vectors.json and into
// docs/protocol/crypto.md (between the vector markers).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProtocolVectors, renderVectorsMarkdown, VECTORS_END, VECTORS_START } from './protocol-vectors.ts';

const jsonFile = fileURLToPath(new URL('../test/vectors/townhall/protocol-vectors.json', import.meta.url));
const docFile = fileURLToPath(new URL('../../../docs/protocol/crypto.md', import.meta.url));

const vectors = buildProtocolVectors();
writeFileSync(jsonFile, `${JSON.stringify(vectors, null, 2)}\n`);
const doc = readFileSync(docFile, 'utf8');
const from = doc.indexOf(VECTORS_START);
const to = doc.indexOf(VECTORS_END);
if (from < 0 || to < from) throw new Error(`${docFile} has no vector markers`);
writeFileSync(docFile, doc.slice(0, from) + renderVectorsMarkdown(vectors) + doc.slice(to + VECTORS_END.length));
process.stdout.write(`wrote ${jsonFile} and the vectors of ${docFile}\n`);
