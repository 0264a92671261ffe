/**
 * `npm run simulate -- --voters N --contests C --options O [...]`: a whole election through the real
 * API (docs/simulator.md). Prints progress and phase timings; exits 1 if the published result is not
 * the plain tally of the simulated choices.
 *
 * `npm run simulate -- --repairs [--associations 5] [--contractors 3] [--jobs N] [...]`: a consortium's
 * repairs contracts through a simulated year; exits 1 if a payment differs from the plain
 * recomputation, a payment run does not sum up or a contract record does not verify.
 *
 * `npm run simulate -- --organisations [--organisations-count 200] [--members 10] [--appointments 500] [...]`:
 * organisations, their members and residents' appointments through the API; exits 1 if the registry
 * log is not exactly what the run did, does not verify, holds a person's data, or a public page differs.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../src/config/config.ts';
import { runSimulation } from './run.ts';
import { runRepairsSimulation } from './repairs.ts';
import { runOrganisationsSimulation } from './organisations.ts';

const USAGE = `Usage: npm run simulate -- --voters N [--contests 1] [--options 5] [--trustees 3] [--threshold 2]
         [--turnout 0.9] [--revote 0.05] [--spoil 0.01] [--concurrency 48] [--workers <cores>] [--pre-encrypt <ballots>]
         [--database-url postgres://…] [--out <file>] [--json]
       npm run simulate -- --repairs [--associations 5] [--contractors 3] [--jobs 600] [--late-rate 0.12] [--reject-rate 0.05]
         [--months 12] [--seed <random>] [--concurrency 8] [--database-url postgres://…] [--out <directory>] [--json]
       npm run simulate -- --organisations [--organisations-count 200] [--members 10] [--residents <appointments / 2, at least 10>]
         [--appointments 500] [--suspend-rate 0.1] [--revoke-rate 0.1] [--end-rate 0.2] [--seed <random>] [--concurrency 8]
         [--database-url postgres://…] [--json]`;

/** A flag's value that is out of range: printed with the usage, exit 2, like an unknown option. */
class UsageError extends Error {}

function number(name: string, text: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} ${JSON.stringify(text)} is not valid\n${USAGE}`);
  return n;
}
const STRING_OPTIONS = [
  'voters', 'contests', 'options', 'trustees', 'threshold', 'turnout', 'revote', 'spoil', 'concurrency', 'workers', 'pre-encrypt', 'database-url', 'out',
  'associations', 'contractors', 'jobs', 'late-rate', 'reject-rate', 'months', 'seed',
  'organisations-count', 'members', 'residents', 'appointments', 'suspend-rate', 'revoke-rate', 'end-rate',
] as const;
const positiveInteger = (n: number) => Number.isSafeInteger(n) && n > 0;
const share = (n: number) => n >= 0 && n <= 1;

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      ...Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
      json: { type: 'boolean' },
      repairs: { type: 'boolean' },
      organisations: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
  });
}

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    ({ values } = parseOptions(argv));
  } catch (error) {
    // An unknown option or a missing value: say which, and how to call it.
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const text = (name: (typeof STRING_OPTIONS)[number]) => (values as Record<string, string | boolean | undefined>)[name] as string | undefined;
  if (values.repairs && !values.help) return repairs(text, values.json === true);
  if (values.organisations && !values.help) return organisations(text, values.json === true);
  if (values.help || text('voters') === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const voters = number('voters', text('voters'), 0, positiveInteger);
  const trustees = number('trustees', text('trustees'), 3, (n) => positiveInteger(n) && n <= 255);
  const options = {
    voters,
    contests: number('contests', text('contests'), 1, (n) => positiveInteger(n) && n <= 100),
    options: number('options', text('options'), 5, (n) => positiveInteger(n) && n >= 2 && n <= 100),
    trustees,
    threshold: number('threshold', text('threshold'), Math.min(2, trustees), (n) => positiveInteger(n) && n <= trustees),
    turnout: number('turnout', text('turnout'), 0.9, share),
    revote: number('revote', text('revote'), 0.05, share),
    spoil: number('spoil', text('spoil'), 0.01, share),
    concurrency: number('concurrency', text('concurrency'), 48, positiveInteger),
    ...(text('workers') ? { workers: number('workers', text('workers'), 1, positiveInteger) } : {}),
    ...(text('pre-encrypt') !== undefined ? { preEncrypt: number('pre-encrypt', text('pre-encrypt'), 0, (n) => Number.isSafeInteger(n) && n >= 0) } : {}),
    ...(text('database-url') ? { databaseUrl: text('database-url')! } : {}),
    out: resolve(text('out') ?? resolve(repoRoot, '.data/simulations', `election-${voters}-${new Date().toISOString().replace(/[:.]/g, '-')}.record.jsonl`)),
  };
  process.stdout.write(
    `Simulating ${voters.toLocaleString('en-GB')} electors, ${options.contests} × ${options.options}, ${options.threshold} of ${trustees} trustees, turnout ${options.turnout}, re-vote ${options.revote}, spoil ${options.spoil}, on ${options.databaseUrl ? 'Postgres' : 'PGlite'}\n`,
  );
  const report = await runSimulation(options);
  const lines = [
    '',
    `Election ${report.electionId}: ${report.voters} voted of ${report.electors} electors, ${report.ballotsCast} ballots cast (${report.revotes} re-votes), ${report.spoiled} spoiled; ${report.logSize} ledger entries`,
    `Decrypted by trustees ${report.decryptingTrustees.join(', ')}`,
    ...report.result.map((contest) => `  ${contest.contestId}: ${contest.counts.map((c) => `${c.optionId} ${c.count}`).join(', ')}`),
    `Record: ${report.out} (${(report.recordBytes / 1024 / 1024).toFixed(1)} MiB)`,
    `Phase timings:`,
    ...report.timings.map((t) => `  ${t.name.padEnd(22)} ${(t.ms / 1000).toFixed(2).padStart(9)} s${t.count > 1 ? `  ${t.count} (${(t.count / (t.ms / 1000)).toFixed(1)}/s)` : ''}`),
    `  ${'total'.padEnd(22)} ${(report.totalMs / 1000).toFixed(2).padStart(9)} s`,
    report.isResultCorrect ? 'The published result equals the tally of the simulated choices.' : `MISMATCH: the published result differs from the simulated choices' tally ${JSON.stringify(report.expected)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  return report.isResultCorrect ? 0 : 1;
}

async function repairs(text: (name: (typeof STRING_OPTIONS)[number]) => string | undefined, isJson: boolean): Promise<number> {
  const options = {
    associations: number('associations', text('associations'), 5, (n) => positiveInteger(n) && n <= 20),
    contractors: number('contractors', text('contractors'), 3, (n) => positiveInteger(n) && n <= 50),
    jobs: number('jobs', text('jobs'), 600, positiveInteger),
    lateRate: number('late-rate', text('late-rate'), 0.12, share),
    rejectRate: number('reject-rate', text('reject-rate'), 0.05, share),
    // The simulated time starts months + 3 months ago; the calendar's bank holidays start in 2024.
    months: number('months', text('months'), 12, (n) => positiveInteger(n) && n <= 24),
    seed: number('seed', text('seed'), Math.floor(Math.random() * 2 ** 31), Number.isSafeInteger),
    concurrency: number('concurrency', text('concurrency'), 8, positiveInteger),
    ...(text('database-url') ? { databaseUrl: text('database-url')! } : {}),
    out: resolve(text('out') ?? resolve(repoRoot, '.data/simulations', `repairs-${new Date().toISOString().replace(/[:.]/g, '-')}`)),
  };
  process.stdout.write(
    `Simulating repairs: ${options.associations} associations, ${options.contractors} contractors, ${options.jobs} jobs over ${options.months} months, late ${options.lateRate}, rejected ${options.rejectRate}, seed ${options.seed}, on ${options.databaseUrl ? 'Postgres' : 'PGlite'}\n`,
  );
  const report = await runRepairsSimulation(options);
  const jobsTiming = report.timings.find((t) => t.name === 'jobs (order events)');
  const lines = [
    '',
    `Simulated ${report.simulatedFrom.slice(0, 10)} to ${report.simulatedTo.slice(0, 10)}: ${report.jobs.planned} jobs (${report.jobs.late} late, ${report.jobs.rejected} rejected and redone), ${report.jobs.confirmed} confirmed; ${report.orderEvents} order events, ${report.paymentRuns} payment runs`,
    ...(jobsTiming ? [`Order events through the API: ${(report.orderEvents / (jobsTiming.ms / 1000)).toFixed(1)}/s (payment runs and sign-ins included in the time)`] : []),
    ...report.contracts.map(
      (c) => `  ${c.contractId}: ${c.jobs} jobs, ${c.payments} payments (${c.discounted} with a bulk discount, ${c.reducedForLateness} reduced for lateness) in ${c.paymentRuns} runs, ${c.entries} entries; record ${c.isRecordValid ? 'verified' : `NOT VERIFIED (${c.failedChecks.join('; ')})`}; ${c.differences.length === 0 ? 'every payment equals the recomputation' : `${c.differences.length} DIFFERENCES`}`,
    ),
    ...report.contracts.flatMap((c) => c.differences.map((d) => `    ${c.contractId}: ${d}`)),
    `Records: ${options.out}`,
    `Phase timings:`,
    ...report.timings.map((t) => `  ${t.name.padEnd(32)} ${(t.ms / 1000).toFixed(2).padStart(9)} s${t.count > 1 ? `  ${t.count} (${(t.count / (t.ms / 1000)).toFixed(1)}/s)` : ''}`),
    `  ${'total'.padEnd(32)} ${(report.totalMs / 1000).toFixed(2).padStart(9)} s`,
    report.isCorrect
      ? 'Every payment equals the plain recomputation, every payment run sums up, every contract record verifies.'
      : `MISMATCH: see the differences and failed checks above (repeat with --seed ${report.seed})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (isJson) process.stdout.write(`${JSON.stringify(report)}\n`);
  return report.isCorrect ? 0 : 1;
}

async function organisations(text: (name: (typeof STRING_OPTIONS)[number]) => string | undefined, isJson: boolean): Promise<number> {
  const appointments = number('appointments', text('appointments'), 500, (n) => Number.isSafeInteger(n) && n >= 0 && n <= 1_000_000);
  // Each appointment is between two residents, one at a time between the same two (in each direction).
  const residents = number('residents', text('residents'), Math.max(10, Math.ceil(appointments / 2)), (n) => positiveInteger(n) && n <= 1_000_000 && appointments <= n * (n - 1));
  const options = {
    organisations: number('organisations-count', text('organisations-count'), 200, (n) => positiveInteger(n) && n <= 100_000),
    // Display names are unique within an organisation, drawn from 2,500 invented names.
    members: number('members', text('members'), 10, (n) => positiveInteger(n) && n <= 1_000),
    residents,
    appointments,
    suspendRate: number('suspend-rate', text('suspend-rate'), 0.1, share),
    revokeRate: number('revoke-rate', text('revoke-rate'), 0.1, share),
    endRate: number('end-rate', text('end-rate'), 0.2, share),
    seed: number('seed', text('seed'), Math.floor(Math.random() * 2 ** 31), Number.isSafeInteger),
    concurrency: number('concurrency', text('concurrency'), 8, positiveInteger),
    ...(text('database-url') ? { databaseUrl: text('database-url')! } : {}),
  };
  process.stdout.write(
    `Simulating organisations: ${options.organisations} organisations × ${options.members} members, ${options.residents} residents, ${options.appointments} appointments, suspended ${options.suspendRate}, revoked ${options.revokeRate}, ended ${options.endRate}, seed ${options.seed}, on ${options.databaseUrl ? 'Postgres' : 'PGlite'}\n`,
  );
  const report = await runOrganisationsSimulation(options);
  const n = (x: number) => x.toLocaleString('en-GB');
  const { organisations: o, memberships: m, appointments: a, registry: r } = report;
  const SHOWN = 20;
  const listed = (title: string, items: string[]) =>
    items.length === 0 ? [] : [`${title} (${n(items.length)}):`, ...items.slice(0, SHOWN).map((d) => `  ${d}`), ...(items.length > SHOWN ? [`  … and ${n(items.length - SHOWN)} more (--json lists them all)`] : [])];
  const lines = [
    '',
    `Organisations: ${n(o.registered)} registered (${Object.entries(o.byKind).map(([kind, count]) => `${kind} ${n(count)}`).join(', ')}); ${n(o.suspended)} suspended, ${n(o.reinstated)} reinstated, ${n(o.closed)} closed`,
    `Memberships: ${n(m.granted)} granted (${n(m.persons)} people with a new passkey, ${n(m.residents)} residents with their own account), ${n(m.revoked)} revoked, ${n(m.current)} current`,
    `Residents: ${n(report.residents)} enrolled; appointments: ${n(a.made)} made, ${n(a.accepted)} accepted, ${n(a.endedByAppointer + a.endedByRepresentative)} ended (${n(a.endedByAppointer)} by the appointer, ${n(a.endedByRepresentative)} by the representative)`,
    `Registry log: ${n(r.entries)} entries, ${r.isVerified ? `audited (root ${r.rootHash.slice(0, 16)}…, cosigned by ${r.cosigners.join(' and ')})` : `NOT VERIFIED: ${r.failure}`}`,
    `  ${Object.entries(r.byType).map(([type, count]) => `${type} ${n(count)}`).join(', ')}`,
    `Public pages checked: ${n(report.pagesChecked)}`,
    ...listed('DIFFERENCES', report.differences),
    ...listed('PERSONAL DATA IN THE LOG', report.personalData),
    `Phase timings:`,
    ...report.timings.map((t) => `  ${t.name.padEnd(32)} ${(t.ms / 1000).toFixed(2).padStart(9)} s${t.count > 1 ? `  ${n(t.count)} (${(t.count / (t.ms / 1000)).toFixed(1)}/s)` : ''}`),
    `  ${'total'.padEnd(32)} ${(report.totalMs / 1000).toFixed(2).padStart(9)} s`,
    report.isCorrect
      ? 'The registry log holds exactly the expected entries, verifies, holds no simulated person’s data, and every public page shows its status history and member count.'
      : `MISMATCH: see above (repeat with --seed ${report.seed})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (isJson) process.stdout.write(`${JSON.stringify(report)}\n`);
  return report.isCorrect ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`simulate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
