// Writes test/vectors/negative/<name>.json (removing stale files). Run: npm run vectors -w @townhall/ledger
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNegativeVectors } from './negative-vectors.ts';

const directory = resolve(dirname(fileURLToPath(import.meta.url)), '../test/vectors/negative');
mkdirSync(directory, { recursive: true });
for (const file of readdirSync(directory)) if (file.endsWith('.json')) rmSync(join(directory, file));
const vectors = await buildNegativeVectors();
for (const [name, vector] of Object.entries(vectors)) writeFileSync(join(directory, `${name}.json`), `${JSON.stringify(vector, null, 2)}\n`);
console.log(`wrote ${Object.keys(vectors).length} negative vectors to ${directory}`);
