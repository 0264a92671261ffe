// Repairs-contract evaluation benchmark (section `contracts-evaluate-year` of docs/benchmarks.md):
// a consortium of 5 associations and one contractor through a year of 1,000,000 jobs (target ≤ 60 s).
// The history is made first (not timed): every job raised, triaged, accepted, completed and
// confirmed, a fifth of them also scheduled, 8% of them late until July and 14% after, one terms
// amendment mid-year. Then evaluateContract runs over all of it (validation of every event, the
// canonical sort, the replay and the pricing), and then every job's explanation is made once.
// Run: npm run bench -w @townhall/contracts (with an 8 GiB heap: the whole year is held in memory at once).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ContractEventInput, ContractTermsInput } from '@townhall/protocol';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { evaluateContract, explainJob } from '../src/index.ts';
import { exampleTerms } from '../src/examples.ts';

const JOBS = Number(process.env.TOWNHALL_BENCH_JOBS ?? 1_000_000);
const TARGET_SECONDS = 60;
const ASSOCIATIONS = ['ha-central', 'ha-north', 'ha-south', 'ha-east', 'ha-west'];
const YEAR_START = Date.parse('2025-01-01T07:00:00Z');
const YEAR_MS = 330 * 86_400_000; // raised by late November, so every job completes within the year
const HOUR = 3_600_000;

// Deterministic pseudo-random numbers (xorshift32), so runs are comparable.
let state = 0x2545f491;
const random = (below: number) => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % below;
};

const base = exampleTerms();
const terms: ContractTermsInput = {
  ...base,
  contractId: 'bench-consortium-2025',
  parties: { ...base.parties, associations: ASSOCIATIONS },
  bulkDiscount: {
    scope: 'consortium',
    period: 'calendar-month',
    tiers: [
      { fromJob: 1, toJob: 20_000, discountBasisPoints: 0 },
      { fromJob: 20_001, toJob: 60_000, discountBasisPoints: 250 },
      { fromJob: 60_001, toJob: null, discountBasisPoints: 500 },
    ],
    excludedItemCodes: ['CALLOUT'],
  },
  lateDelivery: {
    windowMonths: 12,
    minimumJobs: 100,
    bands: [{ fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 }],
  },
};
const priorities = ['emergency', 'urgent', 'routine'] as const;
const items = ['TAP-01', 'MOULD-TREAT', 'CALLOUT'];
// Hours from triage to completion, by priority: [earliest, spread] on time, or (about 9% of jobs) past the service level.
const onTimeHours = { emergency: [6, 17], urgent: [6, 40], routine: [6, 400] } as const;
const lateHours = { emergency: [25, 48], urgent: [9 * 24, 168], routine: [40 * 24, 480] } as const;

function makeHistory(): ContractEventInput[] {
  const events: ContractEventInput[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let n = 0; n < JOBS; n++) {
    const orderId = `job-${n}`;
    const raised = YEAR_START + Math.floor((n / JOBS) * YEAR_MS) + random(HOUR);
    const triaged = raised + random(4 * HOUR);
    const priority = priorities[random(3)]!;
    // About 8% of jobs late in the first half of the year and 14% from July, so the 10% band
    // starts to apply part-way through the year.
    const isLate = random(100) < (n < JOBS / 2 ? 8 : 14);
    const [earliest, spread] = (isLate ? lateHours : onTimeHours)[priority];
    const completed = triaged + earliest * HOUR + random(spread * HOUR);
    const confirmed = completed + random(72 * HOUR);
    const association = ASSOCIATIONS[random(ASSOCIATIONS.length)]!;
    events.push(
      {
        type: 'order-raised',
        at: iso(raised),
        orderId,
        association,
        propertyRef: (n * 2654435761).toString(16).padStart(64, '0'),
      },
      {
        type: 'order-triaged',
        at: iso(triaged),
        orderId,
        itemCode: items[random(3)]!,
        quantity: 1 + random(3),
        priority,
        hazard: 'none',
      },
      { type: 'order-accepted', at: iso(triaged + HOUR), orderId },
    );
    if (n % 5 === 0) {
      events.push({
        type: 'order-scheduled',
        at: iso(triaged + 2 * HOUR),
        orderId,
        appointmentStart: iso(triaged + 3 * HOUR),
        appointmentEnd: iso(triaged + 5 * HOUR),
      });
    }
    events.push(
      { type: 'order-completed', at: iso(completed), orderId },
      { type: 'order-confirmed', at: iso(confirmed), orderId },
    );
  }
  const revision2 = {
    ...terms,
    revision: 2,
    catalogue: terms.catalogue!.map((item) => ({ ...item, unitPricePence: item.unitPricePence + 100 })),
  };
  events.push({ type: 'terms-amended', at: '2025-06-15T09:00:00Z', effectiveAt: '2025-06-30T23:00:00Z', terms: revision2 });
  return events;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const generateStart = performance.now();
const events = makeHistory();
const generateMs = performance.now() - generateStart;
const rssAfterHistory = process.memoryUsage().rss;

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const start = performance.now();
const cpuStart = cpuSeconds();
const evaluation = evaluateContract(terms, events);
const evaluateMs = performance.now() - start;
const evaluateCpu = cpuSeconds() - cpuStart;

if (evaluation.errors.length > 0)
  throw new Error(`the benchmark history has errors: ${JSON.stringify(evaluation.errors.slice(0, 3))}`);
const confirmed = evaluation.jobs.filter((j) => j.price !== null);
const late = confirmed.filter((j) => j.isLate).length;
const reduced = confirmed.filter((j) => j.price!.lateReductionPence > 0).length;
const paid = evaluation.totals.reduce((sum, t) => sum + t.associationPaysPence, 0n);
// Explanations are made on demand (a page prints one job's); time making every job's once.
const explainStart = performance.now();
let lines = 0;
for (const job of evaluation.jobs) lines += explainJob(evaluation, job).length;
const explainMs = performance.now() - explainStart;
const peakRss = process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
const seconds = evaluateMs / 1000;

const markdown = [
  markdownTable(
    ['measure', 'value', 'target', ''],
    [
      [
        `evaluate a consortium year (${JOBS.toLocaleString('en-GB')} jobs, ${events.length.toLocaleString('en-GB')} events)`,
        `${seconds.toFixed(1)} s`,
        `≤ ${TARGET_SECONDS} s`,
        seconds <= TARGET_SECONDS ? 'met' : 'missed',
      ],
      ['CPU time of the evaluation', `${evaluateCpu.toFixed(1)} s`, '—', '—'],
      ['throughput', `${Math.round(events.length / seconds).toLocaleString('en-GB')} events/s`, '—', '—'],
      [
        `explain every job once (${lines.toLocaleString('en-GB')} lines, made on demand)`,
        `${(explainMs / 1000).toFixed(1)} s`,
        '—',
        '—',
      ],
      ['peak RSS of the process (history, evaluation, explanations)', mib(peakRss), '—', '—'],
      ['RSS after making the history, before evaluating', mib(rssAfterHistory), '—', '—'],
      ['making the history (not timed above)', `${(generateMs / 1000).toFixed(1)} s`, '—', '—'],
    ],
  ),
  '',
  `Result: ${confirmed.length.toLocaleString('en-GB')} jobs priced, ${late.toLocaleString('en-GB')} late, ` +
    `${reduced.toLocaleString('en-GB')} priced under the late-delivery band, ` +
    `associations pay £${(paid / 100n).toLocaleString('en-GB')} in all. One process, one core; the time covers validating ` +
    `every event with its zod schema, the canonical sort, the replay and the pricing. Load average (1, 5, 15 min) ` +
    `at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} on this 2-core machine` +
    `${loadavg()[0]! > 2 ? '; other work was running alongside, so the time is an upper bound' : ''}.`,
].join('\n');

if (JOBS === 1_000_000)
  writeBenchSection('contracts-evaluate-year', 'Repairs contracts: evaluating a consortium year (@townhall/contracts)', markdown);
console.log(markdown);
