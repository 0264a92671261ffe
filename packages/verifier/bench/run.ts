/**
 * Verifier benchmark: ballot-proof verification one by one vs. batched into one multi-scalar
 * multiplication (crypto.md §7), on ballots made for the fixture election's key, and a whole-record
 * verification of the 5-voter fixture. Writes its section of docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { fromBase64, fromHex } from '../src/bytes.ts';
import { decodeEntry } from '../src/entry.ts';
import { Point, TAG_CONTEST_RANGE, TAG_SELECTION, batchHolds, disjunctiveEquations, holds, type Equation } from '../src/group.ts';
import { parseRecord, verifyRecord } from '../src/index.ts';
import { makeBallot } from '../test/prover.ts';

const BALLOTS = Number(process.env.BENCH_BALLOTS ?? 200);
const fixture = readFileSync(new URL('../test/fixtures/election-5-voters.record.jsonl', import.meta.url), 'utf8');
const entries = fixture.split('\n').filter((l) => l.startsWith('{"kind":"entry"')).map((l) => decodeEntry(fromBase64(JSON.parse(l).bytes)));
const defined = entries.find((e) => e.type === 'ElectionDefined')!.body as { fingerprint: string; manifest: { contests: { id: string; options: { id: string }[] }[] } };
const fp = fromHex(defined.fingerprint);
const K = Point.fromBytes(fromHex((entries.find((e) => e.type === 'ElectionKeyPublished')!.body as { electionKey: string }).electionKey));
const contest = defined.manifest.contests[0]!;

const time = async <T>(work: () => T | Promise<T>): Promise<{ ms: number; value: T }> => {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
};

const ballots = Array.from({ length: BALLOTS }, (_, i) => makeBallot(fp, K, contest, i % contest.options.length));
const built = await time(() =>
  ballots.map((ballot) => {
    const equations: Equation[] = [];
    let A = Point.ZERO;
    let B = Point.ZERO;
    for (const s of ballot.contests[0]!.selections) {
      const bytes = fromHex(s.ciphertext);
      const alpha = Point.fromBytes(bytes.subarray(0, 32));
      const beta = Point.fromBytes(bytes.subarray(32));
      A = A.add(alpha);
      B = B.add(beta);
      equations.push(...disjunctiveEquations(TAG_SELECTION, fp, `ballot/${contest.id}/${s.optionId}`, K, alpha, beta, [0, 1], fromHex(s.proof)));
    }
    equations.push(...disjunctiveEquations(TAG_CONTEST_RANGE, fp, `ballot/${contest.id}`, K, A, B, [1], fromHex(ballot.contests[0]!.rangeProof)));
    return equations;
  }),
);
const all = built.value.flat();
const oneByOne = await time(() => all.every(holds));
const batched = await time(() => batchHolds(all));
if (!oneByOne.value || !batched.value) throw new Error('benchmark ballots do not verify');
const record = await time(async () => verifyRecord(await parseRecord(fixture)));
if (!record.value.isValid) throw new Error('the fixture does not verify');

const perBallot = (ms: number) => `${(ms / BALLOTS).toFixed(2)} ms`;
const rows = [
  ['decode + Fiat–Shamir + scalar checks', `${built.ms.toFixed(0)} ms`, perBallot(built.ms)],
  [`group equations one by one (${all.length})`, `${oneByOne.ms.toFixed(0)} ms`, perBallot(oneByOne.ms)],
  ['group equations batched (one weighted MSM, Pippenger)', `${batched.ms.toFixed(0)} ms`, perBallot(batched.ms)],
];
const markdown = [
  `${BALLOTS} ballots of 1 contest × ${contest.options.length} options (5 selection proofs + 1 range proof each), single thread. The machine is shared (load average around 10 on 2 cores while measured), so expect ±2× between runs.`,
  '',
  markdownTable(['step', 'total', 'per ballot'], rows),
  '',
  `Whole-record verification of the 5-voter fixture (31 entries, 15 checkpoints, all ${record.value.checks.length} checks): ${record.ms.toFixed(0)} ms.`,
].join('\n');
writeBenchSection('verifier', 'Observer verifier (packages/verifier)', markdown);
process.stdout.write(`${markdown}\n`);
