import { describe, expect, it } from 'vitest';
import type { ContractEventInput, ContractTermsInput } from '@townhall/protocol';
import { ContractTermsInvalid, evaluateContract, explainJob, type ContractEvaluation, type JobResult } from './evaluate.ts';
import { exampleEvents, exampleTerms } from './examples.ts';
import { shareHalfUp } from './money.ts';
import { jobEvents, plusDays, termsWith } from './test-support.ts';

const job = (evaluation: ContractEvaluation, orderId: string): JobResult => {
  const found = evaluation.jobs.find((j) => j.orderId === orderId);
  if (!found) throw new Error(`no job ${orderId}`);
  return found;
};
const figures = (j: JobResult) => {
  const p = j.price!;
  return [
    p.basePence,
    p.bulkDiscountPence,
    p.lateReductionPence,
    p.contractorPaymentPence,
    p.hostFeePence,
    p.associationPaysPence,
  ];
};
const noBulk = (changes: Partial<ContractTermsInput> = {}) => termsWith({ bulkDiscount: null, ...changes });

/** `count` routine TAP-01 jobs confirmed one a day from `firstConfirmed`; the listed ones completed late. */
function dailyJobs(count: number, firstConfirmed: string, lateIndexes: number[], prefix = 'D'): ContractEventInput[] {
  return Array.from({ length: count }, (_, i) => {
    const confirmed = plusDays(firstConfirmed, i);
    const triaged = plusDays(confirmed, -45);
    // Routine is 20 working days (about 28 calendar days): 3 calendar days is on time, 40 is late.
    const completed = lateIndexes.includes(i) ? plusDays(triaged, 40) : plusDays(triaged, 3);
    return jobEvents(`${prefix}${i}`, { raised: triaged, triaged, completed, confirmed });
  }).flat();
}

describe('the worked example of docs/protocol/contracts.md §8', () => {
  const evaluation = evaluateContract(exampleTerms(), exampleEvents());

  it('has no errors and prices every job as the docs print', () => {
    expect(evaluation.errors).toEqual([]);
    expect(figures(job(evaluation, 'J1'))).toEqual([8500, 0, 0, 8500, 150, 8650]);
    expect(figures(job(evaluation, 'J4'))).toEqual([8500, 0, 0, 8500, 150, 8650]);
    expect(figures(job(evaluation, 'J5'))).toEqual([56250, 1406, 10969, 43875, 150, 44025]);
    expect(figures(job(evaluation, 'J6'))).toEqual([8500, 0, 1700, 6800, 0, 6800]);
  });

  it('gives the due dates the docs print (20 working days to 31 March; 3 working days across the clock change)', () => {
    expect(job(evaluation, 'J1').dueAt).toBe('2025-03-31T22:59:59.999Z');
    expect(job(evaluation, 'J5').dueAt).toBe('2025-04-02T22:59:59.999Z');
    expect(job(evaluation, 'J5').isLate).toBe(true);
    expect(job(evaluation, 'J6').dueAt).toBe('2025-04-02T09:00:00.000Z');
  });

  it('totals per association in bigint pence', () => {
    expect(evaluation.totals).toEqual([
      {
        association: 'ha-central',
        jobsConfirmed: 1,
        contractorPaymentPence: 6800n,
        hostFeePence: 0n,
        associationPaysPence: 6800n,
      },
      {
        association: 'ha-north',
        jobsConfirmed: 5,
        contractorPaymentPence: 77875n,
        hostFeePence: 750n,
        associationPaysPence: 78625n,
      },
    ]);
  });

  it('explains every figure of J5 line by line, naming the clause', () => {
    const lines = explainJob(evaluation, job(evaluation, 'J5'));
    expect(lines.map((l) => [l.figure, l.pence, l.clause])).toEqual([
      ['deadline', null, 'serviceLevels.urgent'],
      ['lateness', null, 'serviceLevels.urgent'],
      ['base-price', 56250, 'catalogue[1].unitPricePence'],
      ['bulk-discount', 1406, 'bulkDiscount.tiers[1]'],
      ['late-reduction', 10969, 'lateDelivery.bands[0]'],
      ['contractor-payment', 43875, 'catalogue, bulkDiscount, lateDelivery'],
      ['host-fee', 150, 'parties.host.feePerJobPence'],
      ['association-pays', 44025, 'parties'],
    ]);
    expect(lines[3]!.text).toBe('Job 5 of 2025-04 for ha-north, tier jobs 5–… at 250 bp: 56250 × 250 / 10000 = 1406 p (half up)');
    expect(lines[4]!.text).toBe(
      'Window 2024-04-05 – 2025-04-04: 1 of 5 confirmed jobs late (20.00%) ≥ 10.00%: 54844 × 2000 / 10000 = 10969 p (half up)',
    );
  });
});

describe('late delivery: 10% or more of jobs late in any 12 months → −20% on each job', () => {
  const rule = {
    windowMonths: 12,
    minimumJobs: 10,
    bands: [{ fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 }],
  };

  it('applies at exactly 10% (1 late of 10)', () => {
    const evaluation = evaluateContract(noBulk({ lateDelivery: rule }), dailyJobs(10, '2025-05-01T12:00:00Z', [0]));
    expect(evaluation.errors).toEqual([]);
    const tenth = job(evaluation, 'D9');
    expect(tenth.price!.late).toMatchObject({ jobsInWindow: 10, lateJobsInWindow: 1, bandIndex: 0 });
    expect(tenth.price!.lateReductionPence).toBe(1700);
    expect(tenth.price!.contractorPaymentPence).toBe(6800);
  });

  it('does not apply just below 10% (1 late of 11)', () => {
    const evaluation = evaluateContract(noBulk({ lateDelivery: rule }), dailyJobs(11, '2025-05-01T12:00:00Z', [0]));
    const eleventh = job(evaluation, 'D10');
    expect(eleventh.price!.late).toMatchObject({ jobsInWindow: 11, lateJobsInWindow: 1, bandIndex: null });
    expect(eleventh.price!.contractorPaymentPence).toBe(8500);
  });

  it('does not apply below minimumJobs, even at 100% late', () => {
    const evaluation = evaluateContract(noBulk({ lateDelivery: rule }), dailyJobs(3, '2025-05-01T12:00:00Z', [0, 1, 2]));
    expect(job(evaluation, 'D2').price!.lateReductionPence).toBe(0);
    expect(explainJob(evaluation, job(evaluation, 'D2')).find((l) => l.figure === 'late-reduction')!.text).toMatch(
      /fewer than the 10 the rule needs/,
    );
  });

  it('applies the highest band reached', () => {
    const bands = [
      { fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 },
      { fromLateShareBasisPoints: 2_500, priceReductionBasisPoints: 3_500 },
    ];
    const evaluation = evaluateContract(
      noBulk({ lateDelivery: { ...rule, minimumJobs: 1, bands } }),
      dailyJobs(4, '2025-05-01T12:00:00Z', [0]),
    );
    expect(job(evaluation, 'D3').price!.late).toMatchObject({ jobsInWindow: 4, lateJobsInWindow: 1, bandIndex: 1 }); // 25%
    expect(job(evaluation, 'D3').price!.lateReductionPence).toBe(2975);
  });
});

describe('rolling window boundaries (12 months ending on the day of confirmation)', () => {
  const terms = noBulk({
    endDate: '2026-12-31',
    lateDelivery: {
      windowMonths: 12,
      minimumJobs: 1,
      bands: [{ fromLateShareBasisPoints: 5_000, priceReductionBasisPoints: 2_000 }],
    },
  });
  const lateJob = jobEvents('L', {
    raised: '2024-12-01T10:00:00Z',
    triaged: '2025-01-02T10:00:00Z',
    completed: '2025-01-14T10:00:00Z',
    confirmed: '2025-01-15T10:00:00Z',
  });
  const lateTerms = { ...terms, startDate: '2024-12-01' };
  // L is due 20 working days after 2 January 2025 (30 January): make it late with a completion after.
  const lateJobLate = lateJob.map((e) =>
    e.type === 'order-completed'
      ? { ...e, at: '2025-02-10T10:00:00Z' }
      : e.type === 'order-confirmed'
        ? { ...e, at: '2025-02-11T10:00:00Z' }
        : e,
  );
  const onTimeConfirmedOn = (date: string) =>
    jobEvents('A', {
      raised: `${date}T08:00:00Z`,
      triaged: `${date}T08:00:00Z`,
      completed: `${date}T09:00:00Z`,
      confirmed: `${date}T10:00:00Z`,
    });

  it('counts a job confirmed on the first day of the window', () => {
    const evaluation = evaluateContract(lateTerms, [...lateJobLate, ...onTimeConfirmedOn('2026-02-11')]);
    expect(evaluation.errors).toEqual([]);
    expect(job(evaluation, 'A').price!.late).toMatchObject({ windowFrom: '2025-02-12', jobsInWindow: 1, lateJobsInWindow: 0 });
    const dayBefore = evaluateContract(lateTerms, [...lateJobLate, ...onTimeConfirmedOn('2026-02-10')]);
    expect(job(dayBefore, 'A').price!.late).toMatchObject({
      windowFrom: '2025-02-11',
      jobsInWindow: 2,
      lateJobsInWindow: 1,
      bandIndex: 0,
    });
    expect(job(dayBefore, 'A').price!.lateReductionPence).toBe(1700);
  });
});

describe('bulk-discount tier boundaries', () => {
  const tiers = [
    { fromJob: 1, toJob: 4, discountBasisPoints: 0 },
    { fromJob: 5, toJob: 9, discountBasisPoints: 250 },
    { fromJob: 10, toJob: null, discountBasisPoints: 500 },
  ];
  const confirmOn = (orderId: string, association: string, confirmed: string, item = 'TAP-01') =>
    jobEvents(orderId, {
      association,
      raised: plusDays(confirmed, -2),
      triaged: plusDays(confirmed, -2),
      item,
      completed: plusDays(confirmed, -1),
      confirmed,
    });

  it('gives job 4 no discount, job 5 the second tier and job 10 the third; a new month starts again', () => {
    const events = Array.from({ length: 10 }, (_, i) =>
      confirmOn(`M${i + 1}`, 'ha-north', `2025-05-${String(10 + i).padStart(2, '0')}T10:00:00Z`),
    ).flat();
    events.push(...confirmOn('N1', 'ha-north', '2025-06-01T10:00:00Z'));
    const evaluation = evaluateContract(
      termsWith({ lateDelivery: null, bulkDiscount: { scope: 'association', period: 'calendar-month', tiers } }),
      events,
    );
    expect(evaluation.errors).toEqual([]);
    expect(job(evaluation, 'M4').price!.bulkDiscountPence).toBe(0);
    expect(job(evaluation, 'M5').price!.bulk).toMatchObject({ ordinal: 5, tierIndex: 1, discountBasisPoints: 250 });
    expect(job(evaluation, 'M5').price!.bulkDiscountPence).toBe(213); // 212.5 rounds half up
    expect(job(evaluation, 'M9').price!.bulkDiscountPence).toBe(213);
    expect(job(evaluation, 'M10').price!.bulkDiscountPence).toBe(425);
    expect(job(evaluation, 'N1').price!.bulk).toMatchObject({ period: '2025-06', ordinal: 1, discountBasisPoints: 0 });
  });

  it('counts every association when the scope is the consortium, and never counts excluded items', () => {
    const events = [
      ...confirmOn('A1', 'ha-north', '2025-05-10T10:00:00Z'),
      ...confirmOn('A2', 'ha-south', '2025-05-11T10:00:00Z'),
      ...confirmOn('X1', 'ha-south', '2025-05-12T10:00:00Z', 'CALLOUT'),
      ...confirmOn('A3', 'ha-central', '2025-05-13T10:00:00Z'),
    ];
    const consortium = evaluateContract(
      termsWith({
        lateDelivery: null,
        bulkDiscount: { scope: 'consortium', period: 'calendar-month', tiers, excludedItemCodes: ['CALLOUT'] },
      }),
      events,
    );
    expect(job(consortium, 'A3').price!.bulk).toMatchObject({ scope: 'consortium', ordinal: 3 });
    expect(job(consortium, 'X1').price!.bulk).toBeNull();
    const perAssociation = evaluateContract(
      termsWith({ lateDelivery: null, bulkDiscount: { scope: 'association', period: 'calendar-month', tiers } }),
      events,
    );
    expect(job(perAssociation, 'A3').price!.bulk).toMatchObject({ scope: 'association', ordinal: 1 });
  });

  it('counts quarters and contract years', () => {
    const events = [
      ...confirmOn('Q1', 'ha-north', '2025-03-31T10:00:00Z'),
      ...confirmOn('Q2', 'ha-north', '2025-04-01T10:00:00Z'),
    ];
    const quarter = evaluateContract(
      termsWith({ lateDelivery: null, bulkDiscount: { scope: 'association', period: 'calendar-quarter', tiers } }),
      events,
    );
    expect(job(quarter, 'Q2').price!.bulk).toMatchObject({ period: '2025-Q2', ordinal: 1 });
    const year = evaluateContract(
      termsWith({ lateDelivery: null, bulkDiscount: { scope: 'association', period: 'contract-year', tiers } }),
      events,
    );
    expect(job(year, 'Q2').price!.bulk).toMatchObject({ period: 'contract year 1 (from 2025-01-01)', ordinal: 2 });
  });
});

describe('deadlines: weekends, bank holidays and clock changes', () => {
  it('gives an urgent job triaged the day before Good Friday until the end of the following Thursday', () => {
    const triaged = '2025-04-17T09:00:00Z';
    const onTime = evaluateContract(
      exampleTerms(),
      jobEvents('E', { raised: triaged, triaged, priority: 'urgent', completed: '2025-04-24T22:59:59.999Z' }),
    );
    expect(job(onTime, 'E').dueAt).toBe('2025-04-24T22:59:59.999Z'); // midnight BST
    expect(job(onTime, 'E').isLate).toBe(false);
    const late = evaluateContract(
      exampleTerms(),
      jobEvents('E', { raised: triaged, triaged, priority: 'urgent', completed: '2025-04-24T23:00:00.000Z' }),
    );
    expect(job(late, 'E').isLate).toBe(true);
  });

  it('keeps 24 hours as 24 elapsed hours across the spring clock change', () => {
    const evaluation = evaluateContract(
      exampleTerms(),
      jobEvents('E', { raised: '2025-03-29T12:00:00Z', triaged: '2025-03-29T12:00:00Z', priority: 'emergency' }),
    );
    expect(job(evaluation, 'E').dueAt).toBe('2025-03-30T12:00:00.000Z'); // 13:00 BST on the Sunday
  });

  it('ends a working-day deadline at midnight GMT after the autumn clock change', () => {
    const evaluation = evaluateContract(
      termsWith({
        serviceLevels: {
          emergency: { unit: 'hours', amount: 4 },
          urgent: { unit: 'working-days', amount: 1 },
          routine: { unit: 'working-days', amount: 20 },
        },
      }),
      jobEvents('E', { raised: '2025-10-24T15:00:00Z', triaged: '2025-10-24T15:00:00Z', priority: 'urgent' }),
    );
    expect(job(evaluation, 'E').dueAt).toBe('2025-10-27T23:59:59.999Z');
  });

  it("runs Awaab's Law timers from the report, and the safety work from the investigation", () => {
    const evaluation = evaluateContract(
      exampleTerms(),
      jobEvents('H', {
        raised: '2025-06-06T16:00:00Z', // Friday
        triaged: '2025-06-09T09:00:00Z',
        item: 'MOULD-TREAT',
        priority: 'routine',
        hazard: 'significant',
        investigated: '2025-06-16T10:00:00Z', // Monday
        summary: '2025-06-20T10:00:00Z', // Friday: 4 working days, one too many
        completed: '2025-06-23T10:00:00Z',
        confirmed: '2025-06-24T10:00:00Z',
      }),
    );
    expect(evaluation.errors).toEqual([]);
    const h = job(evaluation, 'H');
    expect(h.deadlines.map((d) => [d.name, d.dueAt, d.isMet, d.isContractual])).toEqual([
      ['service-level', '2025-07-07T22:59:59.999Z', true, true],
      ['hazard-investigation', '2025-06-20T22:59:59.999Z', true, false],
      ['hazard-written-summary', '2025-06-19T22:59:59.999Z', false, false],
      ['hazard-safety-work', '2025-06-23T22:59:59.999Z', true, true],
    ]);
    expect(h.dueAt).toBe('2025-06-23T22:59:59.999Z'); // the statutory safety work is sooner than routine
    expect(h.isLate).toBe(false);
  });

  it('holds an emergency hazard to 24 hours from the report, even when triaged later', () => {
    const evaluation = evaluateContract(
      exampleTerms(),
      jobEvents('H', {
        raised: '2025-06-06T16:00:00Z',
        triaged: '2025-06-06T20:00:00Z',
        item: 'MOULD-TREAT',
        priority: 'emergency',
        hazard: 'emergency',
      }),
    );
    expect(job(evaluation, 'H').dueAt).toBe('2025-06-07T16:00:00.000Z');
  });
});

describe('amendments apply from their effective time onward', () => {
  const revision2 = (effectiveAt: string, at = '2025-05-20T09:00:00Z'): ContractEventInput => ({
    type: 'terms-amended',
    at,
    effectiveAt,
    terms: {
      ...termsWith({ bulkDiscount: null }),
      revision: 2,
      catalogue: exampleTerms().catalogue.map((item) => (item.code === 'TAP-01' ? { ...item, unitPricePence: 9_000 } : item)),
    },
  });
  const tapJob = (orderId: string, triaged: string) =>
    jobEvents(orderId, { raised: triaged, triaged, completed: plusDays(triaged, 1), confirmed: '2025-06-10T10:00:00Z' });

  it('prices a job triaged before the effective time under the old terms, even when confirmed after', () => {
    const evaluation = evaluateContract(termsWith({ bulkDiscount: null, lateDelivery: null }), [
      revision2('2025-05-31T23:00:00Z'), // 00:00 BST on 1 June
      ...tapJob('OLD', '2025-05-31T22:59:59.999Z'),
      ...tapJob('NEW', '2025-05-31T23:00:00Z'), // 00:00 BST on 1 June
    ]);
    expect(evaluation.errors).toEqual([]);
    expect(evaluation.revisions.map(({ revision, effectiveAt }) => ({ revision, effectiveAt }))).toEqual([
      { revision: 1, effectiveAt: null },
      { revision: 2, effectiveAt: '2025-05-31T23:00:00Z' },
    ]);
    expect(job(evaluation, 'OLD').termsRevision).toBe(1);
    expect(job(evaluation, 'OLD').price!.basePence).toBe(8_500);
    expect(job(evaluation, 'NEW').termsRevision).toBe(2);
    expect(job(evaluation, 'NEW').price!.basePence).toBe(9_000);
  });

  it('refuses a retroactive amendment, a skipped revision and a new contractor', () => {
    const retroactive = evaluateContract(exampleTerms(), [revision2('2025-05-01T00:00:00Z')]);
    expect(retroactive.errors).toMatchObject([
      { index: 0, code: 'AMENDMENT_INVALID', message: expect.stringMatching(/not retroactive/) },
    ]);
    const skipped = revision2('2025-06-01T00:00:00Z') as Extract<ContractEventInput, { type: 'terms-amended' }>;
    const skippedEvaluation = evaluateContract(exampleTerms(), [{ ...skipped, terms: { ...skipped.terms, revision: 3 } }]);
    expect(skippedEvaluation.errors[0]!.message).toMatch(/revision 3 does not follow revision 1/);
    const newContractor = {
      ...skipped,
      terms: { ...skipped.terms, parties: { ...skipped.terms.parties, contractor: 'other-ltd' } },
    };
    expect(evaluateContract(exampleTerms(), [newContractor]).errors[0]!.message).toMatch(/contractor cannot change/);
  });
});

describe('events that break the lifecycle are errors with the event index', () => {
  const base = jobEvents('B', { raised: '2025-05-01T09:00:00Z', triaged: '2025-05-01T10:00:00Z' });

  it('reports a completion before acceptance', () => {
    const raised = base[0]!;
    const triaged = base[1]!;
    const evaluation = evaluateContract(exampleTerms(), [
      raised,
      triaged,
      { type: 'order-completed', at: '2025-05-02T10:00:00Z', orderId: 'B' },
    ]);
    expect(evaluation.errors).toEqual([
      {
        index: 2,
        orderId: 'B',
        code: 'LIFECYCLE_VIOLATION',
        message: 'order-completed (event 2) for order B in state "triaged": allowed only after accepted, scheduled, rejected',
      },
    ]);
    expect(job(evaluation, 'B').state).toBe('triaged');
  });

  it('reports a second confirmation and pays once', () => {
    const events = jobEvents('B', {
      raised: '2025-05-01T09:00:00Z',
      triaged: '2025-05-01T10:00:00Z',
      completed: '2025-05-02T10:00:00Z',
      confirmed: '2025-05-03T10:00:00Z',
    });
    const evaluation = evaluateContract(exampleTerms(), [
      ...events,
      { type: 'order-confirmed', at: '2025-05-04T10:00:00Z', orderId: 'B' },
    ]);
    expect(evaluation.errors).toMatchObject([
      { index: 5, code: 'LIFECYCLE_VIOLATION', message: expect.stringMatching(/state "confirmed"/) },
    ]);
    expect(evaluation.totals[0]!.jobsConfirmed).toBe(1);
  });

  it('lets a rejected job be done again and measures the last completion', () => {
    const events = [
      ...jobEvents('B', { raised: '2025-05-01T09:00:00Z', triaged: '2025-05-01T10:00:00Z', completed: '2025-05-02T10:00:00Z' }),
      { type: 'order-rejected', at: '2025-05-03T10:00:00Z', orderId: 'B', reason: 'not-fixed' },
      { type: 'order-completed', at: '2025-07-01T10:00:00Z', orderId: 'B' },
      { type: 'order-confirmed', at: '2025-07-02T10:00:00Z', orderId: 'B' },
    ] as ContractEventInput[];
    const evaluation = evaluateContract(exampleTerms(), events);
    expect(evaluation.errors).toEqual([]);
    expect(job(evaluation, 'B')).toMatchObject({
      state: 'confirmed',
      rejections: 1,
      completedAt: '2025-07-01T10:00:00.000Z',
      isLate: true,
    });
  });

  it('names every other refusal', () => {
    const events: unknown[] = [
      { type: 'order-accepted', at: '2025-05-01T10:00:00Z', orderId: 'NOPE' },
      ...jobEvents('D', { raised: '2025-05-01T09:00:00Z' }),
      ...jobEvents('D', { raised: '2025-05-01T09:30:00Z' }),
      ...jobEvents('U', { raised: '2025-05-01T09:00:00Z', association: 'ha-elsewhere' }),
      ...jobEvents('O', { raised: '2026-01-01T09:00:00Z' }),
      {
        type: 'order-triaged',
        at: '2025-05-01T10:00:00Z',
        orderId: 'D',
        itemCode: 'NOT-IN-CATALOGUE',
        quantity: 1,
        priority: 'routine',
        hazard: 'none',
      },
      { type: 'order-raised', at: '2025-05-01T09:00:00Z', orderId: 'P', association: 'ha-north', propertyRef: '12 High Street' },
      { type: 'hazard-investigated', at: '2025-05-01T10:00:00Z', orderId: 'D' },
    ];
    const evaluation = evaluateContract(exampleTerms(), events);
    expect(evaluation.errors.map((e) => [e.index, e.code])).toEqual([
      [0, 'UNKNOWN_ORDER'],
      [2, 'DUPLICATE_ORDER'],
      [3, 'UNKNOWN_ASSOCIATION'],
      [4, 'OUTSIDE_CONTRACT_DATES'],
      [5, 'UNKNOWN_ITEM'],
      [6, 'EVENT_INVALID'],
      [7, 'LIFECYCLE_VIOLATION'],
    ]);
    expect(evaluation.errors[5]!.message).toMatch(/propertyRef: must be a 64-hex-digit keyed hash/);
  });

  it('refuses invalid terms with messages that name the field', () => {
    expect(() => evaluateContract(termsWith({ endDate: '2024-12-31' }), [])).toThrow(ContractTermsInvalid);
    expect(() => evaluateContract(termsWith({ endDate: '2024-12-31' }), [])).toThrow(
      /endDate: endDate \(2024-12-31\) is before startDate/,
    );
  });

  it('reports a deadline the calendar cannot compute', () => {
    const evaluation = evaluateContract(
      termsWith({ startDate: '2030-01-01', endDate: '2030-12-31' }),
      jobEvents('C', { raised: '2030-12-30T10:00:00Z', triaged: '2030-12-30T10:00:00Z', priority: 'routine' }),
    );
    expect(evaluation.errors[0]).toMatchObject({
      index: 1,
      code: 'CALENDAR_RANGE',
      message: expect.stringMatching(/no bank-holiday dates for 2031/),
    });
  });
});

describe('rounding (rule R1: half up to the penny, per job, bulk discount before late reduction)', () => {
  it('rounds an exact half penny up and anything below down', () => {
    expect(shareHalfUp(1, 5_000)).toBe(1); // 0.5 p
    expect(shareHalfUp(3, 5_000)).toBe(2); // 1.5 p
    expect(shareHalfUp(1, 4_999)).toBe(0); // 0.4999 p
    expect(shareHalfUp(56_250, 250)).toBe(1406); // 1406.25 p
    expect(shareHalfUp(54_844, 2_000)).toBe(10969); // 10968.8 p
    expect(shareHalfUp(10_000_000 * 1_000, 10_000)).toBe(10_000_000_000);
  });

  it('applies the late reduction to the price after the bulk discount', () => {
    // 8501 p: bulk 250 bp = 212.525 → 213; 8288 × 2000 bp = 1657.6 → 1658; 8501 − 213 − 1658 = 6630.
    const tiers = [{ fromJob: 1, toJob: null, discountBasisPoints: 250 }];
    const terms = termsWith({
      catalogue: [{ code: 'TAP-01', description: 'Tap', unitPricePence: 8_501, specification: 'x' }],
      bulkDiscount: { scope: 'association', period: 'calendar-month', tiers },
      lateDelivery: {
        windowMonths: 1,
        minimumJobs: 1,
        bands: [{ fromLateShareBasisPoints: 1, priceReductionBasisPoints: 2_000 }],
      },
    });
    const evaluation = evaluateContract(
      terms,
      jobEvents('R', {
        raised: '2025-05-01T09:00:00Z',
        triaged: '2025-05-01T09:00:00Z',
        completed: '2025-07-01T09:00:00Z',
        confirmed: '2025-07-02T09:00:00Z',
      }),
    );
    expect(figures(job(evaluation, 'R'))).toEqual([8501, 213, 1658, 6630, 150, 6780]);
  });
});
