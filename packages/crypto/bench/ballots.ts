// Benchmark of part 1 of @townhall/crypto: ballot encryption with proofs, and ballot verification
// one by one vs. batched (one multi-scalar multiplication), in-process and on a worker pool.
// Run: npm run bench -w @townhall/crypto  (writes section `crypto-ballots` of docs/benchmarks.md).
import { availableParallelism, loadavg } from 'node:os';
import { markdownTable, writeBenchSection } from '../../../scripts/bench-report.ts';
import {
  G,
  cachedFixedBase,
  createSeededRandom,
  decodePoint,
  encryptBallot,
  multiplyBase,
  multiplyPublic,
  parseBallot,
  randomScalar,
  serializeBallot,
  verifyBallot,
  verifyBallotBatch,
  type BallotManifest,
} from '../src/index.ts';
import { createNodeVerificationPool } from '../src/workers/node.ts';

const loadAtStart = loadavg()[0]!;
const rng = createSeededRandom('crypto-ballots benchmark');
const electionKey = multiplyBase(randomScalar(rng));
const fingerprint = new Uint8Array(32).fill(42);

function manifestOf(contests: number, options: number, maxSelections: number): BallotManifest {
  return {
    contests: Array.from({ length: contests }, (_, c) => ({
      id: `contest-${c}`,
      title: `Contest ${c}`,
      minSelections: 0,
      maxSelections: maxSelections,
      options: Array.from({ length: options }, (_, o) => ({ id: `option-${o}`, label: `Option ${o}` })),
    })),
  };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => x.toFixed(1);
const log = (line: string) => process.stdout.write(`${line}\n`);

// --- 1. Encrypt + prove a 12 × 5 ballot --------------------------------------------------------
const bigManifest = manifestOf(12, 5, 2);
const bigChoices = Object.fromEntries(bigManifest.contests.map((c, i) => [c.id, [`option-${i % 5}`]]));
for (let i = 0; i < 3; i++) encryptBallot(bigManifest, bigChoices, electionKey, fingerprint);
const encryptTimes: number[] = [];
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  encryptBallot(bigManifest, bigChoices, electionKey, fingerprint);
  encryptTimes.push(performance.now() - started);
}
const encryptMedian = median(encryptTimes);
log(`encrypt+prove 12x5: median ${ms(encryptMedian)} ms, p95 ${ms(percentile(encryptTimes, 0.95))} ms`);

// --- 2. Where verification time goes: primitive costs ----------------------------------------
const K = cachedFixedBase(electionKey);
const samplePoints = Array.from({ length: 200 }, () => multiplyBase(randomScalar(rng)).toBytes());
const sampleScalars = Array.from({ length: 200 }, () => randomScalar(rng));
function perOp(run: (i: number) => void, count = 200): number {
  const started = performance.now();
  for (let i = 0; i < count; i++) run(i);
  return ((performance.now() - started) / count) * 1000;
}
const decodeUs = perOp((i) => decodePoint(samplePoints[i]!));
const decodedPoints = samplePoints.map((b) => decodePoint(b));
const varBaseUs = perOp((i) => multiplyPublic(decodedPoints[i]!, sampleScalars[i]!));
const fixedGUs = perOp((i) => multiplyPublic(G, sampleScalars[i]!));
const fixedKUs = perOp((i) => multiplyPublic(K, sampleScalars[i]!));
log(`decode ${decodeUs.toFixed(0)} µs, var-base mul ${varBaseUs.toFixed(0)} µs, G ${fixedGUs.toFixed(0)} µs, K ${fixedKUs.toFixed(0)} µs`);

// --- 3. Verify 1,000 ballots of 1 contest × 5 options -----------------------------------------
const BALLOTS = 1000;
const smallManifest = manifestOf(1, 5, 2);
const wire = Array.from({ length: BALLOTS }, (_, i) =>
  JSON.parse(JSON.stringify(serializeBallot(encryptBallot(smallManifest, { 'contest-0': [`option-${i % 5}`] }, electionKey, fingerprint, rng).ballot))),
);
const selections = BALLOTS * 5;
log(`prepared ${BALLOTS} ballots`);

let oneByOneDecodeMs = 0;
let started = performance.now();
for (const w of wire) {
  const parseStarted = performance.now();
  const parsed = parseBallot(w);
  oneByOneDecodeMs += performance.now() - parseStarted;
  verifyBallot(smallManifest, parsed, electionKey, fingerprint);
}
const oneByOneMs = performance.now() - started;
log(`one by one: ${ms(oneByOneMs)} ms (decode ${ms(oneByOneDecodeMs)})`);

started = performance.now();
const decoded = wire.map((w) => parseBallot(w));
const decodeMs = performance.now() - started;
const batch = verifyBallotBatch(smallManifest, decoded, electionKey, fingerprint);
const batchedMs = performance.now() - started;
if (!batch.isValid) throw new Error('benchmark ballots failed to verify');
log(`batched in-process: ${ms(batchedMs)} ms (decode ${ms(decodeMs)}, equations ${ms(batch.timings.equationsMs)}, msm ${ms(batch.timings.msmMs)})`);

async function poolRun(size: number): Promise<number> {
  const pool = createNodeVerificationPool(size);
  try {
    await pool.verifyBallots(smallManifest, wire.slice(0, 8 * size), electionKey, fingerprint); // warm up workers
    const begun = performance.now();
    const result = await pool.verifyBallots(smallManifest, wire, electionKey, fingerprint);
    if (!result.isValid) throw new Error('pool reported invalid ballots');
    return performance.now() - begun;
  } finally {
    await pool.close();
  }
}
const pool1Ms = await poolRun(1);
log(`pool of 1: ${ms(pool1Ms)} ms`);
const pool2Ms = await poolRun(2);
log(`pool of 2: ${ms(pool2Ms)} ms`);

// --- Report -------------------------------------------------------------------------------------
const speedup = oneByOneMs / batchedMs;
// Decoding the wire format costs the same in both modes; this is the gain on the checks alone.
const checkSpeedup = (oneByOneMs - oneByOneDecodeMs) / (batchedMs - decodeMs);
log(`speedup end to end ${speedup.toFixed(1)}x; of the checks alone (decoding excluded) ${checkSpeedup.toFixed(1)}x`);
const perSelectionBatched = batchedMs / selections;
const targets = [
  ['encrypt + prove a 12 × 5 ballot ≤ 250 ms (Node)', `${ms(encryptMedian)} ms median`, encryptMedian <= 250],
  ['batched ≥ 5× faster than one by one (1 core, end to end)', `${speedup.toFixed(1)}×`, speedup >= 5],
  ['≤ 2.5 ms per selection on one core (batched)', `${perSelectionBatched.toFixed(2)} ms`, perSelectionBatched <= 2.5],
] as const;
for (const [name, value, met] of targets) log(`${met ? 'MET    ' : 'NOT MET'} ${name}: ${value}`);

const markdown = [
  'Ballot encryption (12 contests × 5 options, 0–2 selections each: 60 ciphertexts, 60 selection proofs, 12 three-branch range proofs), 20 runs after 3 warm-ups:',
  '',
  markdownTable(['measure', 'median', 'p95'], [['encrypt + prove', `${ms(encryptMedian)} ms`, `${ms(percentile(encryptTimes, 0.95))} ms`]]),
  '',
  `Verification of ${BALLOTS} ballots (1 contest × 5 options, 0–2 selections; ${selections} selections; wire JSON → decoded → verified):`,
  '',
  markdownTable(
    ['mode', 'total', 'per ballot', 'per selection'],
    [
      ['one by one (parse + every equation separately), 1 core', `${ms(oneByOneMs)} ms`, `${(oneByOneMs / BALLOTS).toFixed(2)} ms`, `${(oneByOneMs / selections).toFixed(2)} ms`],
      ['batched in-process (one MSM), 1 core', `${ms(batchedMs)} ms`, `${(batchedMs / BALLOTS).toFixed(2)} ms`, `${perSelectionBatched.toFixed(2)} ms`],
      ['batched, pool of 1 worker thread', `${ms(pool1Ms)} ms`, `${(pool1Ms / BALLOTS).toFixed(2)} ms`, `${(pool1Ms / selections).toFixed(2)} ms`],
      ['batched, pool of 2 worker threads', `${ms(pool2Ms)} ms`, `${(pool2Ms / BALLOTS).toFixed(2)} ms`, `${(pool2Ms / selections).toFixed(2)} ms`],
    ],
  ),
  '',
  `Speed-up of batching: ${speedup.toFixed(1)}× end to end (wire JSON to verdict); ${checkSpeedup.toFixed(1)}× on the checks alone, since decoding (${ms(oneByOneDecodeMs)} ms one by one, ${ms(decodeMs)} ms batched) is the same work in both modes.`,
  '',
  `Where batched time goes (in-process): decoding points ${ms(decodeMs)} ms, structure + Fiat–Shamir hashing ${ms(batch.timings.equationsMs)} ms, multi-scalar multiplication ${ms(batch.timings.msmMs)} ms. Primitive costs: decode a point ${decodeUs.toFixed(0)} µs, variable-base multiplication ${varBaseUs.toFixed(0)} µs, fixed-base G ${fixedGUs.toFixed(0)} µs, fixed-base K (precomputed, W = 8) ${fixedKUs.toFixed(0)} µs.`,
  '',
  markdownTable(['target', 'measured', 'met'], targets.map(([name, value, met]) => [name, value, met ? 'yes' : 'no'])),
  '',
  `Machine has ${availableParallelism()} cores; 1-minute load average ${loadAtStart.toFixed(1)} at start and ${loadavg()[0]!.toFixed(1)} at the end (other processes shared the cores, so a load above 2 inflates every time and hides the gain of a second worker). Headless-Chromium encryption timing is not measured yet.`,
].join('\n');
writeBenchSection('crypto-ballots', 'Crypto: ballot encryption and verification', markdown);
log('wrote section crypto-ballots of docs/benchmarks.md');
