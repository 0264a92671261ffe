/**
 * `npm run simulate -- --voters N --contests C --options O [...]`: a whole election through the real
 * API (docs/simulator.md). Prints progress and phase timings; exits 1 if the published result is not
 * the plain tally of the simulated choices.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../src/config/config.ts';
import { runSimulation } from './run.ts';

const USAGE = `Usage: npm run simulate -- --voters N [--contests 1] [--options 5] [--trustees 3] [--threshold 2]
         [--turnout 0.9] [--revote 0.05] [--spoil 0.01] [--concurrency 48] [--workers <cores>] [--pre-encrypt <ballots>]
         [--database-url postgres://…] [--out <file>] [--json]`;

function number(name: string, text: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} ${JSON.stringify(text)} is not valid\n${USAGE}`);
  return n;
}
const STRING_OPTIONS = ['voters', 'contests', 'options', 'trustees', 'threshold', 'turnout', 'revote', 'spoil', 'concurrency', 'workers', 'pre-encrypt', 'database-url', 'out'] as const;
const positiveInteger = (n: number) => Number.isSafeInteger(n) && n > 0;
const share = (n: number) => n >= 0 && n <= 1;

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      ...Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
      json: { type: 'boolean' },
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simulate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
