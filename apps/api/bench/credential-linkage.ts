/**
 * Credential ↔ ballot linkage benchmark (section `credential-linkage` of docs/benchmarks.md): voters
 * act one at a time (credential, then cast at once: the worst case), and the ordering attacks of
 * simulate/linkage.ts are scored against the truth, with every credential entry appended at once
 * (epochs of one, as before credential epochs) and with the default epoch size. Also reports what
 * epochs cost the voter: credential and cast latency in the same runs.
 *
 * BENCH_LINKAGE_VOTERS (default 200), BENCH_LINKAGE_EPOCH (default 20, the server's default);
 * TEST_DATABASE_URL: the Postgres server to create the databases on.
 */
import { loadavg } from 'node:os';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { runLinkageElection, type LinkageRunReport } from '../simulate/linkage-run.ts';
import { adminUrl } from '../test/support/test-database.ts';

const VOTERS = Number(process.env.BENCH_LINKAGE_VOTERS ?? 200);
const EPOCH = Number(process.env.BENCH_LINKAGE_EPOCH ?? 20);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => value.toFixed(1);
/** "10 × 20" for ten epochs of 20, runs of equal sizes grouped in order. */
const epochSummary = (sizes: number[]) =>
  sizes
    .reduce<[number, number][]>((runs, size) => (runs.at(-1)?.[1] === size ? (runs.at(-1)![0]++, runs) : [...runs, [1, size]]), [])
    .map(([count, size]) => `${count} × ${size}`)
    .join(', ');

const loadAtStart = load();
const runs: { label: string; epochMin: number; report: LinkageRunReport }[] = [];
for (const [label, epochMin] of [
  ['before: each CredentialIssued appended at once', 1],
  [`after: epochs of at least ${EPOCH}, in pseudonym order`, EPOCH],
] as const) {
  process.stdout.write(`${label}: ${VOTERS} voters one at a time…\n`);
  runs.push({ label, epochMin, report: await runLinkageElection({ voters: VOTERS, epochMin, databaseUrl: adminUrl() }) });
}
const loadAtEnd = load();

const attacks = runs[0]!.report.outcomes.map((o) => o.attack);
const rateRows = attacks.map((attack) => [
  `\`${attack}\``,
  ...runs.map(({ report }) => {
    const o = report.outcomes.find((x) => x.attack === attack)!;
    return `${o.correct} of ${o.ballotKeys} (${(100 * o.rate).toFixed(1)} %)`;
  }),
]);
const latencyRows = runs.map(({ label, report }) => [
  label,
  ms(percentile(report.credentialMs, 50)),
  ms(percentile(report.credentialMs, 99)),
  ms(percentile(report.castMs, 50)),
  ms(percentile(report.castMs, 99)),
  epochSummary(report.epochSizes),
]);

const markdown = [
  `${VOTERS} electors vote one at a time, each obtaining a credential and casting at once (the worst case for ordering attacks); the election is then closed and its record read. Each attack names one pseudonym per ballot key from the record alone (simulate/linkage.ts); the simulation knows which is right.`,
  '',
  markdownTable(['attack', ...runs.map((r) => r.label)], rateRows),
  '',
  'What credential epochs cost the voter, in the same runs (milliseconds, one voter at a time, so no queueing):',
  '',
  markdownTable(['run', 'credential p50', 'credential p99', 'cast p50', 'cast p99', 'epochs seen in the log (CredentialIssued runs)'], latencyRows),
  '',
  'Casting is not delayed by epochs (ballots are appended as before); the credential request of the voter whose issuance completes an epoch also waits for that epoch to be appended.',
  '',
  `Load average (1 / 5 / 15 min) at the start: ${loadAtStart}; at the end: ${loadAtEnd}.`,
].join('\n');
writeBenchSection('credential-linkage', 'Linking credentials to ballots by log order (credential epochs)', markdown);
process.stdout.write(`${markdown}\n`);
