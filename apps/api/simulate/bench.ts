/**
 * Writes a simulator run into docs/benchmarks.md (section `simulate-<size>`), from the report that
 * `npm run simulate -- … --json` printed as its last line:
 *
 *   tsx simulate/bench.ts /tmp/townhall-bench/simulate-100k.log [section-id]
 *
 * The numbers are those of that real run (machine load included); nothing is re-measured here.
 */
import { readFileSync } from 'node:fs';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import type { SimulationReport } from './run.ts';

const [logFile, sectionId] = process.argv.slice(2).filter((a) => a !== '--');
if (!logFile) throw new Error('usage: tsx simulate/bench.ts <simulate log with --json report> [section id]');
const reportLine = readFileSync(logFile, 'utf8').trim().split('\n').reverse().find((l) => l.startsWith('{"electionId"'));
if (!reportLine) throw new Error(`${logFile} holds no simulation report (run the simulator with --json)`);
const report = JSON.parse(reportLine) as SimulationReport & { machine: { loadAverageAtStart?: number[] } };

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const size = report.electors >= 1000 ? `${Math.round(report.electors / 1000)}k` : String(report.electors);
const load = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(1)).join(' / ') : 'not recorded');
const phase = (name: string) => report.timings.find((t) => t.name === name);
const aggregation = phase('tally (aggregation)');
const decryption = phase('decryption');
const contests = report.result.length;
const options = report.result[0]?.counts.length ?? 0;

const markdown = [
  `\`npm run simulate -- --voters ${report.electors} --contests ${contests} --options ${options} --database-url <Postgres>\`: the whole election through the HTTP API of one in-process server on real Postgres (fsync on) with two in-process witnesses, clients in the same process (voters' cryptography in ${report.machine.cpus} worker threads). ${report.voters.toLocaleString('en-GB')} of ${report.electors.toLocaleString('en-GB')} electors voted; ${report.ballotsCast.toLocaleString('en-GB')} ballots cast (${report.revotes} re-votes), ${report.spoiled} spoiled; ${report.logSize} ledger entries; record ${(report.recordBytes / 2 ** 20).toFixed(1)} MiB. Published result ${report.isResultCorrect ? 'equal to' : '**different from**'} the plain tally of the simulated choices.`,
  '',
  `Load average (1 / 5 / 15 min) at the start: ${load(report.machine.loadAverageAtStart)}; at the end: ${load(report.machine.loadAverage)} — the machine was shared with other work, so rates are lower bounds.`,
  '',
  markdownTable(
    ['phase', 'items', 'seconds', 'items/s'],
    report.timings.map((t) => [t.name, t.count, seconds(t.ms), t.count > 1 ? (t.count / (t.ms / 1000)).toFixed(1) : '']),
  ),
  '',
  `Total ${seconds(report.totalMs)} s.`,
  '',
  `**Server-side tally of ${report.voters.toLocaleString('en-GB')} counted ballots**: aggregation (POST tally → TallyComputed) ${aggregation ? seconds(aggregation.ms) : '?'} s; ${report.decryptingTrustees.length} partial decryptions checked, Lagrange combination, baby-step giant-step and ResultPublished ${decryption ? seconds(decryption.ms) : '?'} s (trustees' own share computation included, it is small).`,
].join('\n');

writeBenchSection(sectionId ?? `simulate-${size}`, `Simulator: a ${report.electors.toLocaleString('en-GB')}-elector election end to end`, markdown);
process.stdout.write(`${markdown}\n`);
