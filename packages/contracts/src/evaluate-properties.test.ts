import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContractEventInput, ContractTermsInput } from '@townhall/protocol';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './calendars/england-and-wales.ts';
import { evaluateContract, explainJob, type ContractEvaluation } from './evaluate.ts';
import { exampleTerms } from './examples.ts';

// ---------------------------------------------------------------------------------------------
// Random consortium histories: terms with random clauses, jobs with random timings, all valid.

const ASSOCIATIONS = ['ha-central', 'ha-north', 'ha-south'];
const YEAR_START = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

const serviceLevel = fc.oneof(
  fc.record({ unit: fc.constant('hours' as const), amount: fc.integer({ min: 1, max: 96 }) }),
  fc.record({ unit: fc.constant('working-days' as const), amount: fc.integer({ min: 1, max: 15 }) }),
);

const tiersArbitrary = fc.uniqueArray(fc.integer({ min: 2, max: 12 }), { maxLength: 3 }).chain((starts) => {
  const froms = [1, ...[...starts].sort((a, b) => a - b)];
  return fc.tuple(...froms.map(() => fc.integer({ min: 0, max: 1_500 }))).map((bps) =>
    froms.map((fromJob, i) => ({
      fromJob,
      toJob: i + 1 < froms.length ? froms[i + 1]! - 1 : null,
      discountBasisPoints: bps[i]!,
    })),
  );
});

const termsArbitrary: fc.Arbitrary<ContractTermsInput> = fc
  .record({
    prices: fc.tuple(
      fc.integer({ min: 0, max: 500_000 }),
      fc.integer({ min: 1, max: 99_999 }),
      fc.integer({ min: 1, max: 3_333 }),
    ),
    fee: fc.integer({ min: 0, max: 500 }),
    levels: fc.tuple(serviceLevel, serviceLevel, serviceLevel),
    bulk: fc.option(
      fc.record({
        scope: fc.constantFrom('association' as const, 'consortium' as const),
        period: fc.constantFrom('calendar-month' as const, 'calendar-quarter' as const, 'contract-year' as const),
        tiers: tiersArbitrary,
        excludedItemCodes: fc.subarray(['CALLOUT']),
      }),
    ),
    late: fc.option(
      fc.record({
        windowMonths: fc.integer({ min: 1, max: 12 }),
        minimumJobs: fc.integer({ min: 1, max: 6 }),
        bands: fc
          .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 3 })
          .chain((shares) =>
            fc
              .tuple(...shares.map(() => fc.integer({ min: 1, max: 10_000 })))
              .map((cuts) =>
                [...shares]
                  .sort((a, b) => a - b)
                  .map((share, i) => ({ fromLateShareBasisPoints: share, priceReductionBasisPoints: cuts[i]! })),
              ),
          ),
      }),
    ),
  })
  .map(({ prices, fee, levels, bulk, late }) => {
    const base = exampleTerms();
    return {
      ...base,
      parties: { ...base.parties, host: { association: 'ha-central', feePerJobPence: fee } },
      catalogue: base.catalogue.map((item, i) => ({ ...item, unitPricePence: prices[i]! })),
      serviceLevels: { emergency: levels[0], urgent: levels[1], routine: levels[2] },
      bulkDiscount: bulk,
      lateDelivery: late,
    };
  });

interface JobPlan {
  association: string;
  item: string;
  quantity: number;
  priority: 'emergency' | 'urgent' | 'routine';
  hazard: 'none' | 'emergency';
  raisedMs: number;
  triageDelay: number;
  completeDelay: number;
  confirmDelay: number;
  isConfirmed: boolean;
}

const jobArbitrary: fc.Arbitrary<JobPlan> = fc.record({
  association: fc.constantFrom(...ASSOCIATIONS),
  item: fc.constantFrom('TAP-01', 'MOULD-TREAT', 'CALLOUT'),
  quantity: fc.integer({ min: 1, max: 3 }),
  priority: fc.constantFrom('emergency' as const, 'urgent' as const, 'routine' as const),
  hazard: fc.constantFrom('none' as const, 'none' as const, 'emergency' as const),
  // Raised in 2025 up to 1 December, at any millisecond (so some land on the same London day boundaries as others).
  raisedMs: fc.integer({ min: YEAR_START, max: Date.parse('2025-12-01T00:00:00Z') }),
  triageDelay: fc.integer({ min: 0, max: 3 * DAY }),
  completeDelay: fc.integer({ min: 0, max: 30 * DAY }),
  confirmDelay: fc.integer({ min: 0, max: 4 * DAY }),
  isConfirmed: fc.boolean(),
});

function historyOf(jobs: JobPlan[]): ContractEventInput[] {
  return jobs.flatMap((job, n) => {
    const orderId = `J${n}`;
    const iso = (ms: number) => new Date(ms).toISOString();
    const triaged = job.raisedMs + job.triageDelay;
    const completed = triaged + job.completeDelay;
    const events: ContractEventInput[] = [
      {
        type: 'order-raised',
        at: iso(job.raisedMs),
        orderId,
        association: job.association,
        propertyRef: n.toString(16).padStart(64, 'f'),
      },
      {
        type: 'order-triaged',
        at: iso(triaged),
        orderId,
        itemCode: job.item,
        quantity: job.quantity,
        priority: job.priority,
        hazard: job.hazard,
      },
      { type: 'order-accepted', at: iso(triaged), orderId },
      { type: 'order-completed', at: iso(completed), orderId },
    ];
    if (job.isConfirmed) events.push({ type: 'order-confirmed', at: iso(completed + job.confirmDelay), orderId });
    return events;
  });
}

// ---------------------------------------------------------------------------------------------
// A deliberately plain second implementation: loops over days, Intl for the London date,
// quadratic window counts, bigint rounding. It shares no code with the evaluator.

const londonFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const londonDate = (ms: number) => londonFormat.format(new Date(ms)); // en-CA prints YYYY-MM-DD
const holidays = new Set(Object.values(ENGLAND_AND_WALES_BANK_HOLIDAYS).flat());
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

function workingDayDue(fromMs: number, count: number): number {
  let date = londonDate(fromMs);
  for (let counted = 0; counted < count;) {
    date = nextDate(date);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(date)) counted += 1;
  }
  // The last instant whose London date is `date`: midnight UTC of the next day, minus one hour in BST.
  const gmtEnd = Date.parse(`${nextDate(date)}T00:00:00Z`) - 1;
  return londonDate(gmtEnd) === date ? gmtEnd : gmtEnd - 3_600_000;
}

function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

const halfUp = (pence: number, bp: number) => Number((2n * BigInt(pence) * BigInt(bp) + 10_000n) / 20_000n);

interface Expected {
  orderId: string;
  dueAt: string;
  isLate: boolean;
  figures: number[] | null;
}

function recompute(termsInput: ContractTermsInput, jobs: JobPlan[]): Expected[] {
  const terms = termsInput as Required<ContractTermsInput> & {
    bulkDiscount: NonNullable<ContractTermsInput['bulkDiscount']> | null;
  };
  const rows = jobs.map((job, n) => {
    const triaged = job.raisedMs + job.triageDelay;
    const completed = triaged + job.completeDelay;
    const level = terms.serviceLevels[job.priority];
    let due = level.unit === 'hours' ? triaged + level.amount * 3_600_000 : workingDayDue(triaged, level.amount);
    if (job.hazard === 'emergency') due = Math.min(due, job.raisedMs + 24 * 3_600_000);
    return { job, orderId: `J${n}`, due, isLate: completed > due, confirmedMs: completed + job.confirmDelay };
  });
  const confirmed = rows
    .filter((r) => r.job.isConfirmed)
    .sort((a, b) => a.confirmedMs - b.confirmedMs || (a.orderId < b.orderId ? -1 : 1));
  const figures = new Map<string, number[]>();
  confirmed.forEach((row, position) => {
    const date = londonDate(row.confirmedMs);
    const price = terms.catalogue.find((item) => item.code === row.job.item)!.unitPricePence * row.job.quantity;
    let bulkBp = 0;
    const bulk = terms.bulkDiscount;
    if (bulk && !(bulk.excludedItemCodes ?? []).includes(row.job.item)) {
      const period = (d: string) =>
        bulk.period === 'calendar-month'
          ? d.slice(0, 7)
          : bulk.period === 'calendar-quarter'
            ? `${d.slice(0, 4)}${Math.ceil(Number(d.slice(5, 7)) / 3)}`
            : d.slice(0, 4);
      const ordinal = confirmed
        .slice(0, position + 1)
        .filter((o) => period(londonDate(o.confirmedMs)) === period(date))
        .filter((o) => bulk.scope === 'consortium' || o.job.association === row.job.association)
        .filter((o) => !(bulk.excludedItemCodes ?? []).includes(o.job.item)).length;
      bulkBp = bulk.tiers.find((t) => ordinal >= t.fromJob && (t.toJob === null || ordinal <= t.toJob))?.discountBasisPoints ?? 0;
    }
    const bulkDiscount = halfUp(price, bulkBp);
    let lateBp = 0;
    const rule = terms.lateDelivery;
    if (rule) {
      const firstDate = nextDate(monthsBefore(date, rule.windowMonths));
      const inWindow = confirmed.slice(0, position + 1).filter((o) => londonDate(o.confirmedMs) >= firstDate);
      const late = inWindow.filter((o) => o.isLate).length;
      if (inWindow.length >= rule.minimumJobs) {
        for (const band of rule.bands)
          if (late * 10_000 >= band.fromLateShareBasisPoints * inWindow.length) lateBp = band.priceReductionBasisPoints;
      }
    }
    const lateReduction = halfUp(price - bulkDiscount, lateBp);
    const payment = price - bulkDiscount - lateReduction;
    const fee = row.job.association === 'ha-central' ? 0 : terms.parties.host.feePerJobPence;
    figures.set(row.orderId, [price, bulkDiscount, lateReduction, payment, fee, payment + fee]);
  });
  return rows.map((r) => ({
    orderId: r.orderId,
    dueAt: new Date(r.due).toISOString(),
    isLate: r.isLate,
    figures: figures.get(r.orderId) ?? null,
  }));
}

const summary = (evaluation: ContractEvaluation): Expected[] =>
  evaluation.jobs
    .map((j) => ({
      orderId: j.orderId,
      dueAt: j.dueAt!,
      isLate: j.isLate!,
      figures: j.price
        ? [
            j.price.basePence,
            j.price.bulkDiscountPence,
            j.price.lateReductionPence,
            j.price.contractorPaymentPence,
            j.price.hostFeePence,
            j.price.associationPaysPence,
          ]
        : null,
    }))
    .sort((a, b) => (a.orderId < b.orderId ? -1 : 1));

// The contract-year key of the reference is the calendar year: equal for a contract that starts on 1 January.
describe('the evaluator agrees with a plain recomputation on random histories', () => {
  it('every due date, lateness and figure, to the penny', () => {
    fc.assert(
      fc.property(termsArbitrary, fc.array(jobArbitrary, { minLength: 1, maxLength: 40 }), (terms, jobs) => {
        const evaluation = evaluateContract(terms, historyOf(jobs));
        expect(evaluation.errors).toEqual([]);
        const expected = recompute(terms, jobs).sort((a, b) => (a.orderId < b.orderId ? -1 : 1));
        expect(summary(evaluation)).toEqual(expected);
        const paid = expected.reduce((sum, e) => sum + BigInt(e.figures?.[5] ?? 0), 0n);
        expect(evaluation.totals.reduce((sum, t) => sum + t.associationPaysPence, 0n)).toBe(paid);
        // The explanation's money lines are the figures themselves.
        for (const j of evaluation.jobs.filter((j) => j.price)) {
          const pence = explainJob(evaluation, j)
            .filter((line) => line.pence !== null)
            .map((line) => line.pence);
          const p = j.price!;
          const money = [p.basePence, p.bulkDiscountPence, p.lateReductionPence, p.contractorPaymentPence, p.hostFeePence];
          expect(pence).toEqual([...money, p.associationPaysPence]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the same result for any order of the same events', () => {
  const withNoise = fc
    .tuple(termsArbitrary, fc.array(jobArbitrary, { minLength: 1, maxLength: 25 }), fc.nat())
    .map(([terms, jobs, seed]) => {
      const events: unknown[] = historyOf(jobs);
      // Some events that must be refused wherever they stand: a repeated confirmation, an unknown order.
      const confirmation = events.find((e) => (e as ContractEventInput).type === 'order-confirmed');
      if (confirmation && seed % 2 === 0) events.push({ ...(confirmation as object), at: '2025-12-30T12:00:00Z' });
      events.push({ type: 'order-completed', at: '2025-06-01T12:00:00Z', orderId: 'GHOST' });
      return { terms, events };
    });

  it('jobs, totals and errors do not depend on the input order', () => {
    fc.assert(
      fc.property(
        withNoise.chain(({ terms, events }) =>
          fc.tuple(fc.constant(terms), fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([terms, events, shuffled]) => {
          const a = evaluateContract(terms, events);
          const b = evaluateContract(terms, shuffled);
          expect(b.jobs).toEqual(a.jobs);
          expect(b.totals).toEqual(a.totals);
          const refused = (evaluation: ContractEvaluation, input: unknown[]) =>
            evaluation.errors.map((e) => `${e.code} ${JSON.stringify(input[e.index])}`).sort();
          expect(refused(b, shuffled)).toEqual(refused(a, events));
        },
      ),
      { numRuns: 100 },
    );
  });
});
