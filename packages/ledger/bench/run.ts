// Ledger proof benchmarks (section `ledger-proofs` of docs/benchmarks.md).
// Builds a 1,000,000-entry log with the sequencer's TreeBuilder into a C2SP tile store (what the
// API keeps in Postgres), then times proof generation from those stored tiles and offline
// receipt verification. Run: npm run bench -w @townhall/ledger
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import {
  MemoryTree,
  TreeBuilder,
  addSignatures,
  cosignCheckpoint,
  createReceipt,
  createTileHashSource,
  formatVerifierKey,
  generateConsistencyProof,
  generateInclusionProof,
  groupNodesIntoTiles,
  hashLeaf,
  parseVerifierKey,
  signCheckpoint,
  verifyConsistency,
  verifyReceipt,
  verifyReceiptAsync,
} from '../src/index.ts';
import { LOG_SIGNER, ORIGIN, WITNESS_SIGNERS } from '../scripts/fixtures.ts';

const SIZE = 1_000_000;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ms = (x: number) => `${x.toFixed(3)} ms`;

function stats(samples: number[]): { median: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)]!,
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

// Deterministic pseudo-random indices (xorshift), so runs are comparable.
let state = 0x2545f491;
const random = (below: number) => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % below;
};

globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const rssBefore = process.memoryUsage().rss;

// 1. Build: hash 1M entries, append to the tree builder in batches of 1,000 (one sequencer
//    transaction each), and append the emitted nodes to tiles.
const tiles = new Map<string, Uint8Array[]>();
const builder = TreeBuilder.empty();
const encoder = new TextEncoder();
let buildStart = performance.now();
const BATCH = 1_000;
for (let start = 0; start < SIZE; start += BATCH) {
  const leaves: Uint8Array[] = [];
  for (let i = start; i < start + BATCH; i++) leaves.push(hashLeaf(encoder.encode(`ballot ${i}: ${'x'.repeat(64)}`)));
  for (const append of groupNodesIntoTiles(builder.appendAll(leaves))) {
    const key = `${append.level}/${append.index}`;
    const parts = tiles.get(key) ?? [];
    parts.push(append.hashes);
    tiles.set(key, parts);
  }
}
const root = builder.root();
const buildMs = performance.now() - buildStart;
// Concatenate the appended parts, as a store would hold each tile as one byte string.
const tileStore = new Map<string, Uint8Array>();
let tileBytes = 0;
for (const [key, parts] of tiles) {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  tileStore.set(key, bytes);
  tileBytes += bytes.length;
}
tiles.clear();
globalThis.gc?.();
const heapAfterBuild = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const rssAfterBuild = process.memoryUsage().rss;

let tileReads = 0;
const source = createTileHashSource(async (requests) => {
  tileReads += requests.length;
  return requests.map((r) => tileStore.get(`${r.level}/${r.index}`)!);
});

// 2. Inclusion proofs at size 1,000,000 from stored tiles.
const RUNS = 2_000;
const inclusionSamples: number[] = [];
tileReads = 0;
for (let run = 0; run < RUNS + 100; run++) {
  const index = random(SIZE);
  const t0 = performance.now();
  await generateInclusionProof(source, index, SIZE);
  if (run >= 100) inclusionSamples.push(performance.now() - t0);
}
const inclusionTilesPerProof = tileReads / (RUNS + 100);

// 3. Consistency proofs from a random older size to 1,000,000.
const consistencySamples: number[] = [];
tileReads = 0;
for (let run = 0; run < RUNS + 100; run++) {
  const size1 = 1 + random(SIZE - 1);
  const t0 = performance.now();
  await generateConsistencyProof(source, size1, SIZE);
  if (run >= 100) consistencySamples.push(performance.now() - t0);
}
const consistencyTilesPerProof = tileReads / (RUNS + 100);

// Sanity: the tile-served proofs verify against the builder's roots.
{
  const size1 = 123_457;
  const oldRoot = (await TreeBuilder.fromSource(source, size1)).root();
  verifyConsistency(size1, SIZE, await generateConsistencyProof(source, size1, SIZE), oldRoot, root);
}

// 4. Offline receipt verification: log signature, 2-of-3 witness policy, inclusion proof.
const note = signCheckpoint({ origin: ORIGIN, size: SIZE, rootHash: root }, [LOG_SIGNER]);
const published = addSignatures(note, WITNESS_SIGNERS.slice(0, 2).map((w) => cosignCheckpoint(note, w, 1767225600n)));
const logKeys = [parseVerifierKey(formatVerifierKey(LOG_SIGNER))];
const witnesses = WITNESS_SIGNERS.map((w) => parseVerifierKey(formatVerifierKey(w)));
const receiptIndex = 765_432;
const receipt = await createReceipt(source, receiptIndex, published);
const receiptLeaf = hashLeaf(encoder.encode(`ballot ${receiptIndex}: ${'x'.repeat(64)}`));
const receiptSamples: number[] = [];
for (let run = 0; run < 550; run++) {
  const t0 = performance.now();
  verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses, threshold: 2 }, leafHash: receiptLeaf });
  if (run >= 50) receiptSamples.push(performance.now() - t0);
}

const receiptAsyncSamples: number[] = [];
for (let run = 0; run < 550; run++) {
  const t0 = performance.now();
  await verifyReceiptAsync(receipt, { origin: ORIGIN, logKeys, policy: { witnesses, threshold: 2 }, leafHash: receiptLeaf });
  if (run >= 50) receiptAsyncSamples.push(performance.now() - t0);
}

// 5. For comparison: the same proofs from a whole tree held in memory (every node stored).
const memoryStart = performance.now();
const memory = new MemoryTree();
for (let i = 0; i < SIZE; i++) memory.appendLeafHash(hashLeaf(encoder.encode(`ballot ${i}: ${'x'.repeat(64)}`)));
const memoryBuildMs = performance.now() - memoryStart;
const memorySamples: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const index = random(SIZE);
  const t0 = performance.now();
  await generateInclusionProof(memory, index, SIZE);
  memorySamples.push(performance.now() - t0);
}

const inc = stats(inclusionSamples);
const con = stats(consistencySamples);
const rec = stats(receiptSamples);
const mem = stats(memorySamples);
const recAsync = stats(receiptAsyncSamples);
const rows: (string | number)[][] = [
  ['inclusion proof, 1,000,000 entries, from stored tiles', ms(inc.median), ms(inc.p99), '≤ 2 ms', inc.median <= 2 ? 'met' : 'missed'],
  ['consistency proof, random old size → 1,000,000, from stored tiles', ms(con.median), ms(con.p99), '≤ 2 ms', con.median <= 2 ? 'met' : 'missed'],
  ['offline receipt verification, verifyReceiptAsync (WebCrypto Ed25519)', ms(recAsync.median), ms(recAsync.p99), '≤ 1 ms', recAsync.median <= 1 ? 'met' : 'missed'],
  ['offline receipt verification, verifyReceipt (pure-JS @noble Ed25519)', ms(rec.median), ms(rec.p99), '≤ 1 ms', rec.median <= 1 ? 'met' : 'missed'],
  ['inclusion proof, 1,000,000 entries, whole tree in memory (comparison)', ms(mem.median), ms(mem.p99), '—', '—'],
];
const markdown = [
  markdownTable(['operation', 'median', 'p99', 'target', ''], rows),
  '',
  markdownTable(
    ['build', 'value'],
    [
      ['hash 1,000,000 entries and append them (TreeBuilder, batches of 1,000) into tiles', `${(buildMs / 1000).toFixed(2)} s`],
      ['tile store: tiles / bytes', `${tileStore.size} / ${mib(tileBytes)}`],
      ['JS heap + ArrayBuffer growth after build (tile store retained)', mib(heapAfterBuild - heapBefore)],
      ['RSS growth after build', mib(rssAfterBuild - rssBefore)],
      ['tiles read per inclusion / consistency proof (one batched read each)', `${inclusionTilesPerProof.toFixed(1)} / ${consistencyTilesPerProof.toFixed(1)}`],
      ['whole in-memory tree (MemoryTree) build, for comparison', `${(memoryBuildMs / 1000).toFixed(2)} s`],
    ],
  ),
  '',
  `Runs: ${RUNS} proofs of each kind after 100 warm-up runs; 500 receipt verifications after 50. Tile reads come from an in-process map, so a Postgres round trip per proof (one query for all tiles) adds to the numbers above. Receipt verification checks one log signature and two cosignatures; verifyReceipt uses @noble/curves (pure JS) and is dominated by those three checks, verifyReceiptAsync runs them concurrently through WebCrypto. Load average (1, 5, 15 min) at the end of the run: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on this 2-core machine${loadavg()[0]! > 2 ? '; other work was running alongside, so these are upper bounds' : ''}.`,
].join('\n');

writeBenchSection('ledger-proofs', 'Ledger proofs (@townhall/ledger)', markdown);
console.log(markdown);
