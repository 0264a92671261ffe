import {
  CONTRACT_EVENT_TYPES,
  ContractEvent,
  ContractTerms,
  type CatalogueItem,
  type ContractTermsInput,
  type Hazard,
  type OrderState,
  type Priority,
  type ServiceLevel,
} from '@townhall/protocol';
import {
  CalendarRangeError,
  addWorkingDays,
  bankHolidayCalendar,
  dateOfDay,
  dayOfDate,
  endOfLondonDay,
  isoInstant,
  londonDay,
  subtractMonths,
  type BankHolidayCalendar,
} from './calendar.ts';
import { basisPointsOfShare, formatBasisPoints, formatPence, shareHalfUp } from './money.ts';

/**
 * The repairs-contract evaluator (docs/protocol/contracts.md §4): terms + event history → every
 * job's deadlines, lateness and payment, each figure explained line by line. Pure and
 * deterministic: no clock, no I/O, no floating point for money, the same answer for any order
 * of the same events.
 */

export const EVALUATION_ERROR_CODES = [
  'EVENT_INVALID',
  'LIFECYCLE_VIOLATION',
  'UNKNOWN_ORDER',
  'DUPLICATE_ORDER',
  'UNKNOWN_ASSOCIATION',
  'UNKNOWN_ITEM',
  'OUTSIDE_CONTRACT_DATES',
  'HAZARD_STEP_INVALID',
  'AMENDMENT_INVALID',
  'CALENDAR_RANGE',
] as const;
export type EvaluationErrorCode = (typeof EVALUATION_ERROR_CODES)[number];

/** An event the evaluator refused. `index` is its position in the input; the event is not applied. */
export interface EvaluationError {
  index: number;
  orderId: string | null;
  code: EvaluationErrorCode;
  message: string;
}

/** The terms an evaluation was given are invalid; `issues` name the fields. */
export class ContractTermsInvalid extends Error {
  constructor(readonly issues: string[]) {
    super(`contract terms are invalid: ${issues.join('; ')}`);
  }
}

export type DeadlineName =
  'service-level' | 'emergency-hazard' | 'hazard-investigation' | 'hazard-written-summary' | 'hazard-safety-work';

export interface Deadline {
  name: DeadlineName;
  /** The instant the clock started (ISO). */
  from: string;
  /** The last instant on time (ISO): `from` + hours, or the end of the last working day in London. */
  dueAt: string;
  /** The step that stops the clock, when it has happened. */
  doneAt: string | null;
  /** null while the step has not happened. */
  isMet: boolean | null;
  /** Whether this deadline decides the job's lateness for pricing (the contractor's completion). */
  isContractual: boolean;
  /** The terms clause it comes from, e.g. `serviceLevels.routine`. */
  clause: string;
}

export type ExplanationFigure =
  | 'deadline'
  | 'lateness'
  | 'base-price'
  | 'bulk-discount'
  | 'late-reduction'
  | 'contractor-payment'
  | 'host-fee'
  | 'association-pays';

/** One line of a job's explanation: a figure, the clause of the terms it comes from and the working. */
export interface ExplanationLine {
  figure: ExplanationFigure;
  /** The figure in pence, for money lines. */
  pence: number | null;
  clause: string;
  text: string;
}

export interface BulkDiscountBasis {
  scope: 'association' | 'consortium';
  period: string;
  /** The job's 1-based place among the counted jobs confirmed in the period and scope. */
  ordinal: number;
  /** Index into bulkDiscount.tiers, or null when the ordinal falls in no tier. */
  tierIndex: number | null;
  discountBasisPoints: number;
}

export interface LateDeliveryBasis {
  windowFrom: string;
  windowTo: string;
  jobsInWindow: number;
  lateJobsInWindow: number;
  /** Index into lateDelivery.bands, or null when no band applies. */
  bandIndex: number | null;
  priceReductionBasisPoints: number;
}

export interface JobPrice {
  basePence: number;
  bulkDiscountPence: number;
  lateReductionPence: number;
  /** What the ordering association pays the contractor for the job. */
  contractorPaymentPence: number;
  /** What the ordering association pays the host (0 when it is the host). */
  hostFeePence: number;
  associationPaysPence: number;
  bulk: BulkDiscountBasis | null;
  late: LateDeliveryBasis | null;
}

export interface JobResult {
  orderId: string;
  association: string;
  propertyRef: string;
  state: OrderState;
  /** The terms revision governing the job: the one in force when it was triaged. */
  termsRevision: number | null;
  itemCode: string | null;
  quantity: number | null;
  priority: Priority | null;
  hazard: Hazard | null;
  raisedAt: string;
  triagedAt: string | null;
  appointment: { start: string; end: string } | null;
  /** The last completion (after a rejection the work is done again). */
  completedAt: string | null;
  confirmedAt: string | null;
  rejections: number;
  deadlines: Deadline[];
  /** The earliest contractual deadline, against which the completion is measured. */
  dueAt: string | null;
  /** null until the job is completed. */
  isLate: boolean | null;
  /** Computed when the job is confirmed. */
  price: JobPrice | null;
}

export interface AssociationTotals {
  association: string;
  jobsConfirmed: number;
  contractorPaymentPence: bigint;
  hostFeePence: bigint;
  associationPaysPence: bigint;
}

export interface ContractEvaluation {
  contractId: string;
  /** Every revision of the terms in force at some time, with the instant it took effect (null: from the start). */
  revisions: { revision: number; effectiveAt: string | null; terms: ContractTerms }[];
  /** Every order, in the canonical order of their order-raised events. */
  jobs: JobResult[];
  /** Per association, sorted by association id; bigint because a year of sums may pass 2^53. */
  totals: AssociationTotals[];
  errors: EvaluationError[];
}

// ---------------------------------------------------------------------------------------------

interface Revision {
  terms: ContractTerms;
  effectiveMs: number;
  effectiveAt: string | null;
  catalogue: Map<string, CatalogueItem>;
  associations: Set<string>;
  excluded: Set<string>;
  startDay: number;
  endDay: number;
  calendar: BankHolidayCalendar;
}

interface Job {
  result: JobResult;
  revision: Revision | null;
  raisedMs: number;
  raisedDay: number;
  triagedMs: number;
  investigatedMs: number | null;
  summaryMs: number | null;
  completedMs: number | null;
  /** Due instants of result.deadlines, index for index, and of the earliest contractual one. */
  deadlineMs: number[];
  dueMs: number | null;
  unitPricePence: number;
}

interface Sorted {
  event: ContractEvent;
  index: number;
  ms: number;
  rank: number;
  orderId: string;
  json: string | null;
}

function termsIssues(error: { issues: { path: PropertyKey[]; message: string }[] }, prefix: string): string[] {
  return error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`);
}

function prepareRevision(terms: ContractTerms, effectiveMs: number, effectiveAt: string | null): Revision {
  return {
    terms,
    effectiveMs,
    effectiveAt,
    catalogue: new Map(terms.catalogue.map((item) => [item.code, item])),
    associations: new Set(terms.parties.associations),
    excluded: new Set(terms.bulkDiscount?.excludedItemCodes ?? []),
    startDay: dayOfDate(terms.startDate),
    endDay: dayOfDate(terms.endDate),
    calendar: bankHolidayCalendar(terms.calendar),
  };
}

/**
 * Canonical order (docs §3): by instant, then the event type's rank in the lifecycle table, then
 * order id, then the event's JSON. Two histories with the same events therefore replay alike.
 */
function compareCanonical(a: Sorted, b: Sorted): number {
  if (a.ms !== b.ms) return a.ms - b.ms;
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.orderId !== b.orderId) return a.orderId < b.orderId ? -1 : 1;
  a.json ??= JSON.stringify(a.event);
  b.json ??= JSON.stringify(b.event);
  return a.json < b.json ? -1 : a.json > b.json ? 1 : 0;
}

const iso = isoInstant;

function serviceLevelText(level: ServiceLevel): string {
  return level.unit === 'hours' ? `${level.amount} hours` : `${level.amount} working days`;
}

/** Prefix sums over confirmations in canonical order, for the rolling late-delivery window. */
class ConfirmationWindow {
  private days: number[] = [];
  private lateBefore: number[] = [0];

  add(day: number, isLate: boolean): void {
    this.days.push(day);
    this.lateBefore.push(this.lateBefore[this.lateBefore.length - 1]! + (isLate ? 1 : 0));
  }

  /** Jobs confirmed on days ≥ fromDay so far (the days are non-decreasing), and how many were late. */
  countFrom(fromDay: number): { jobs: number; late: number } {
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.days[mid]! < fromDay) lo = mid + 1;
      else hi = mid;
    }
    const n = this.days.length;
    return { jobs: n - lo, late: this.lateBefore[n]! - this.lateBefore[lo]! };
  }
}

type Period = 'calendar-month' | 'calendar-quarter' | 'contract-year';
const PERIODS: readonly Period[] = ['calendar-month', 'calendar-quarter', 'contract-year'];

/**
 * The period a day falls in, as a number: months or quarters since year 0, or the contract year
 * counted from 0 at startDate. Contract year n + 1 starts on the n-th anniversary of startDate; a
 * 29 February start has its anniversary on 1 March in other years.
 */
function periodNumber(period: Period, day: number, startDay: number): number {
  const date = new Date(day * 86_400_000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (period === 'calendar-month') return year * 12 + month;
  if (period === 'calendar-quarter') return year * 4 + Math.floor(month / 3);
  const start = new Date(startDay * 86_400_000);
  const beforeAnniversary = month * 32 + date.getUTCDate() < start.getUTCMonth() * 32 + start.getUTCDate();
  return year - start.getUTCFullYear() - (beforeAnniversary ? 1 : 0);
}

function periodLabel(period: Period, number: number, startDate: string): string {
  if (period === 'calendar-month') return `${Math.floor(number / 12)}-${String((number % 12) + 1).padStart(2, '0')}`;
  if (period === 'calendar-quarter') return `${Math.floor(number / 4)}-Q${(number % 4) + 1}`;
  return `contract year ${number + 1} (from ${startDate})`;
}

// ---------------------------------------------------------------------------------------------

export function evaluateContract(initialTerms: ContractTermsInput, events: readonly unknown[]): ContractEvaluation {
  const parsedTerms = ContractTerms.safeParse(initialTerms);
  if (!parsedTerms.success) throw new ContractTermsInvalid(termsIssues(parsedTerms.error, ''));
  const revisions: Revision[] = [prepareRevision(parsedTerms.data, Number.NEGATIVE_INFINITY, null)];
  const contractId = parsedTerms.data.contractId;

  const errors: EvaluationError[] = [];
  const refuse = (item: Sorted | { index: number; orderId: string | null }, code: EvaluationErrorCode, message: string) =>
    errors.push({ index: item.index, orderId: item.orderId === '' ? null : item.orderId, code, message });

  // 1. Validate every event; keep the valid ones with their sort keys.
  const sorted: Sorted[] = [];
  events.forEach((raw, index) => {
    const parsed = ContractEvent.safeParse(raw);
    if (!parsed.success) {
      const orderId =
        typeof raw === 'object' && raw !== null && typeof (raw as { orderId?: unknown }).orderId === 'string'
          ? (raw as { orderId: string }).orderId
          : null;
      refuse({ index, orderId }, 'EVENT_INVALID', `event ${index} is invalid: ${termsIssues(parsed.error, '').join('; ')}`);
      return;
    }
    const event = parsed.data;
    sorted.push({
      event,
      index,
      ms: Date.parse(event.at),
      rank: CONTRACT_EVENT_TYPES[event.type].rank,
      orderId: event.type === 'terms-amended' ? '' : event.orderId,
      json: null,
    });
  });
  // 2. Canonical order.
  sorted.sort(compareCanonical);

  const termsAt = (ms: number): Revision => {
    for (let i = revisions.length - 1; i > 0; i--) if (revisions[i]!.effectiveMs <= ms) return revisions[i]!;
    return revisions[0]!;
  };

  const jobs = new Map<string, Job>();
  const window = new ConfirmationWindow();
  // Bulk-volume counters keyed by a number: (period kind, period number, scope) where scope 0 is
  // the consortium and n > 0 the n-th association seen.
  const bulkCounts = new Map<number, number>();
  const associationNumbers = new Map<string, number>();
  const counterKey = (kind: number, period: number, scope: number) => (kind * 2 ** 20 + period) * 2 ** 12 + scope;
  const totals = new Map<string, AssociationTotals>();

  // 3. Replay.
  for (const item of sorted) {
    const event = item.event;
    if (event.type === 'terms-amended') {
      const latest = revisions[revisions.length - 1]!;
      const effectiveMs = Date.parse(event.effectiveAt);
      const problem =
        event.terms.contractId !== contractId
          ? `terms.contractId "${event.terms.contractId}" is not this contract ("${contractId}")`
          : event.terms.revision !== latest.terms.revision + 1
            ? `terms.revision ${event.terms.revision} does not follow revision ${latest.terms.revision}`
            : event.terms.parties.contractor !== latest.terms.parties.contractor
              ? 'terms.parties.contractor cannot change by amendment: that is a new contract'
              : effectiveMs < item.ms
                ? `effectiveAt ${event.effectiveAt} is before the amendment was recorded (${event.at}): amendments are not retroactive`
                : effectiveMs < latest.effectiveMs
                  ? `effectiveAt ${event.effectiveAt} is before revision ${latest.terms.revision} takes effect`
                  : null;
      if (problem) refuse(item, 'AMENDMENT_INVALID', `terms-amended (event ${item.index}): ${problem}`);
      else revisions.push(prepareRevision(event.terms, effectiveMs, event.effectiveAt));
      continue;
    }

    if (event.type === 'order-raised') {
      if (jobs.has(event.orderId)) {
        refuse(item, 'DUPLICATE_ORDER', `order-raised (event ${item.index}): order ${event.orderId} was raised already`);
        continue;
      }
      const revision = termsAt(item.ms);
      const day = londonDay(item.ms);
      if (!revision.associations.has(event.association)) {
        refuse(
          item,
          'UNKNOWN_ASSOCIATION',
          `order-raised (event ${item.index}): association "${event.association}" is not a party to the contract`,
        );
        continue;
      }
      if (day < revision.startDay || day > revision.endDay) {
        refuse(
          item,
          'OUTSIDE_CONTRACT_DATES',
          `order-raised (event ${item.index}): raised on ${dateOfDay(day)}, ` +
            `outside the contract's ${revision.terms.startDate} – ${revision.terms.endDate}`,
        );
        continue;
      }
      jobs.set(event.orderId, {
        result: {
          orderId: event.orderId,
          association: event.association,
          propertyRef: event.propertyRef,
          state: 'raised',
          termsRevision: null,
          itemCode: null,
          quantity: null,
          priority: null,
          hazard: null,
          raisedAt: iso(item.ms),
          triagedAt: null,
          appointment: null,
          completedAt: null,
          confirmedAt: null,
          rejections: 0,
          deadlines: [],
          dueAt: null,
          isLate: null,
          price: null,
        },
        revision: null,
        raisedMs: item.ms,
        raisedDay: day,
        triagedMs: 0,
        investigatedMs: null,
        summaryMs: null,
        completedMs: null,
        deadlineMs: [],
        dueMs: null,
        unitPricePence: 0,
      });
      continue;
    }

    const job = jobs.get(event.orderId);
    if (!job) {
      refuse(item, 'UNKNOWN_ORDER', `${event.type} (event ${item.index}): order ${event.orderId} was never raised`);
      continue;
    }
    const result = job.result;
    const rule = CONTRACT_EVENT_TYPES[event.type];
    if (!(rule.from as readonly OrderState[]).includes(result.state)) {
      refuse(
        item,
        'LIFECYCLE_VIOLATION',
        `${event.type} (event ${item.index}) for order ${event.orderId} in state "${result.state}": ` +
          `allowed only after ${rule.from.join(', ')}`,
      );
      continue;
    }

    try {
      switch (event.type) {
        case 'order-triaged': {
          const revision = termsAt(item.ms);
          const entry = revision.catalogue.get(event.itemCode);
          if (!entry) {
            refuse(
              item,
              'UNKNOWN_ITEM',
              `order-triaged (event ${item.index}): item code "${event.itemCode}" ` +
                `is not in the catalogue of revision ${revision.terms.revision}`,
            );
            continue;
          }
          const deadlines = triageDeadlines(revision, job, item.ms, event.priority, event.hazard);
          job.revision = revision;
          job.triagedMs = item.ms;
          job.unitPricePence = entry.unitPricePence;
          result.termsRevision = revision.terms.revision;
          result.itemCode = event.itemCode;
          result.quantity = event.quantity;
          result.priority = event.priority;
          result.hazard = event.hazard;
          result.triagedAt = iso(item.ms);
          result.deadlines = deadlines.map((d) => d.deadline);
          job.deadlineMs = deadlines.map((d) => d.dueMs);
          setEarliestContractual(job);
          break;
        }
        case 'hazard-investigated': {
          if (result.hazard !== 'significant') {
            refuse(
              item,
              'HAZARD_STEP_INVALID',
              `hazard-investigated (event ${item.index}): order ${event.orderId} is not a significant damp-and-mould hazard`,
            );
            continue;
          }
          if (job.investigatedMs !== null) {
            refuse(
              item,
              'LIFECYCLE_VIOLATION',
              `hazard-investigated (event ${item.index}): order ${event.orderId} was investigated already`,
            );
            continue;
          }
          job.investigatedMs = item.ms;
          const revision = job.revision!;
          const timers = revision.terms.dampAndMould;
          const day = londonDay(item.ms);
          markDone(job, 'hazard-investigation', item.ms);
          for (const { deadline, dueMs } of [
            workingDayDeadline(
              revision,
              'hazard-written-summary',
              item.ms,
              day,
              timers.writtenSummaryWorkingDays,
              false,
              'dampAndMould.writtenSummaryWorkingDays',
            ),
            workingDayDeadline(
              revision,
              'hazard-safety-work',
              item.ms,
              day,
              timers.safetyWorkWorkingDays,
              true,
              'dampAndMould.safetyWorkWorkingDays',
            ),
          ]) {
            result.deadlines.push(deadline);
            job.deadlineMs.push(dueMs);
          }
          setEarliestContractual(job);
          break;
        }
        case 'hazard-summary-issued': {
          if (result.hazard !== 'significant' || job.investigatedMs === null || job.summaryMs !== null) {
            refuse(
              item,
              'HAZARD_STEP_INVALID',
              `hazard-summary-issued (event ${item.index}): order ${event.orderId} ` +
                (result.hazard !== 'significant'
                  ? 'is not a significant damp-and-mould hazard'
                  : job.summaryMs !== null
                    ? 'has its summary already'
                    : 'was not investigated yet'),
            );
            continue;
          }
          job.summaryMs = item.ms;
          markDone(job, 'hazard-written-summary', item.ms);
          break;
        }
        case 'order-accepted':
          break;
        case 'order-scheduled':
          result.appointment = { start: iso(Date.parse(event.appointmentStart)), end: iso(Date.parse(event.appointmentEnd)) };
          break;
        case 'order-completed': {
          if (result.hazard === 'significant' && job.investigatedMs === null) {
            refuse(
              item,
              'LIFECYCLE_VIOLATION',
              `order-completed (event ${item.index}): the safety work on order ${event.orderId} came before the hazard investigation`,
            );
            continue;
          }
          job.completedMs = item.ms;
          result.completedAt = iso(item.ms);
          result.deadlines.forEach((deadline, i) => {
            if (deadline.isContractual) {
              deadline.doneAt = result.completedAt;
              deadline.isMet = item.ms <= job.deadlineMs[i]!;
            }
          });
          result.isLate = job.dueMs === null ? false : item.ms > job.dueMs;
          break;
        }
        case 'order-rejected':
          result.rejections += 1;
          break;
        case 'order-confirmed': {
          result.confirmedAt = iso(item.ms);
          price(job, item.ms);
          break;
        }
      }
      // The state an event leads to comes from the one lifecycle table.
      if (rule.to !== null) result.state = rule.to;
    } catch (error) {
      if (!(error instanceof CalendarRangeError)) throw error;
      refuse(item, 'CALENDAR_RANGE', `${event.type} (event ${item.index}): ${error.message}`);
    }
  }

  /** Steps 4–8 of docs §4, at the instant the job is confirmed, with the terms it was triaged under. */
  function price(job: Job, confirmedMs: number): void {
    const result = job.result;
    const revision = job.revision!;
    const terms = revision.terms;
    const day = londonDay(confirmedMs);
    const basePence = job.unitPricePence * result.quantity!;

    // Bulk volume: every counted job increments the counter of every (period, scope) pair, so a
    // scheme changed by amendment mid-period still sees the jobs confirmed earlier in the period.
    let bulk: BulkDiscountBasis | null = null;
    if (!revision.excluded.has(result.itemCode!)) {
      let association = associationNumbers.get(result.association);
      if (association === undefined) {
        association = associationNumbers.size + 1;
        associationNumbers.set(result.association, association);
      }
      for (let kind = 0; kind < PERIODS.length; kind++) {
        const period = periodNumber(PERIODS[kind]!, day, revision.startDay);
        for (const scope of [0, association]) {
          const key = counterKey(kind, period, scope);
          bulkCounts.set(key, (bulkCounts.get(key) ?? 0) + 1);
        }
      }
      const scheme = terms.bulkDiscount;
      if (scheme) {
        const period = periodNumber(scheme.period, day, revision.startDay);
        const key = counterKey(PERIODS.indexOf(scheme.period), period, scheme.scope === 'association' ? association : 0);
        const ordinal = bulkCounts.get(key)!;
        const tierIndex = scheme.tiers.findIndex(
          (tier) => ordinal >= tier.fromJob && (tier.toJob === null || ordinal <= tier.toJob),
        );
        bulk = {
          scope: scheme.scope,
          period: periodLabel(scheme.period, period, terms.startDate),
          ordinal,
          tierIndex: tierIndex < 0 ? null : tierIndex,
          discountBasisPoints: tierIndex < 0 ? 0 : scheme.tiers[tierIndex]!.discountBasisPoints,
        };
      }
    }
    const bulkDiscountPence = bulk ? shareHalfUp(basePence, bulk.discountBasisPoints) : 0;
    const discountedPence = basePence - bulkDiscountPence;

    // Late delivery: the window ends on the day of confirmation and includes this job.
    window.add(day, result.isLate === true);
    let late: LateDeliveryBasis | null = null;
    const rule = terms.lateDelivery;
    if (rule) {
      const fromDay = subtractMonths(day, rule.windowMonths) + 1;
      const { jobs: jobsInWindow, late: lateJobsInWindow } = window.countFrom(fromDay);
      let bandIndex: number | null = null;
      if (jobsInWindow >= rule.minimumJobs) {
        // Integer comparison late/jobs ≥ bp/10000 ⇔ late × 10000 ≥ bp × jobs: exactly 10% triggers a 10% band.
        rule.bands.forEach((band, i) => {
          if (lateJobsInWindow * 10_000 >= band.fromLateShareBasisPoints * jobsInWindow) bandIndex = i;
        });
      }
      late = {
        windowFrom: dateOfDay(fromDay),
        windowTo: dateOfDay(day),
        jobsInWindow,
        lateJobsInWindow,
        bandIndex,
        priceReductionBasisPoints: bandIndex === null ? 0 : rule.bands[bandIndex]!.priceReductionBasisPoints,
      };
    }
    const lateReductionPence = late ? shareHalfUp(discountedPence, late.priceReductionBasisPoints) : 0;
    const contractorPaymentPence = discountedPence - lateReductionPence;
    const hostFeePence = result.association === terms.parties.host.association ? 0 : terms.parties.host.feePerJobPence;
    result.price = {
      basePence,
      bulkDiscountPence,
      lateReductionPence,
      contractorPaymentPence,
      hostFeePence,
      associationPaysPence: contractorPaymentPence + hostFeePence,
      bulk,
      late,
    };

    let sum = totals.get(result.association);
    if (!sum) {
      sum = {
        association: result.association,
        jobsConfirmed: 0,
        contractorPaymentPence: 0n,
        hostFeePence: 0n,
        associationPaysPence: 0n,
      };
      totals.set(result.association, sum);
    }
    sum.jobsConfirmed += 1;
    sum.contractorPaymentPence += BigInt(contractorPaymentPence);
    sum.hostFeePence += BigInt(hostFeePence);
    sum.associationPaysPence += BigInt(contractorPaymentPence + hostFeePence);
  }

  return {
    contractId,
    revisions: revisions.map((r) => ({ revision: r.terms.revision, effectiveAt: r.effectiveAt, terms: r.terms })),
    jobs: [...jobs.values()].map((job) => job.result),
    totals: [...totals.values()].sort((a, b) => (a.association < b.association ? -1 : a.association > b.association ? 1 : 0)),
    errors: errors.sort((a, b) => a.index - b.index),
  };
}

// ---------------------------------------------------------------------------------------------
// Deadlines (docs §5)

interface TimedDeadline {
  deadline: Deadline;
  dueMs: number;
}

function timed(name: DeadlineName, fromMs: number, dueMs: number, isContractual: boolean, clause: string): TimedDeadline {
  return { deadline: { name, from: iso(fromMs), dueAt: iso(dueMs), doneAt: null, isMet: null, isContractual, clause }, dueMs };
}

function hoursDeadline(name: DeadlineName, fromMs: number, hours: number, isContractual: boolean, clause: string): TimedDeadline {
  // Hours are absolute: 24 hours across a clock change are still 24 hours of elapsed time.
  return timed(name, fromMs, fromMs + hours * 3_600_000, isContractual, clause);
}

function workingDayDeadline(
  revision: Revision,
  name: DeadlineName,
  fromMs: number,
  fromDay: number,
  days: number,
  isContractual: boolean,
  clause: string,
): TimedDeadline {
  return timed(name, fromMs, endOfLondonDay(addWorkingDays(revision.calendar, fromDay, days)), isContractual, clause);
}

function triageDeadlines(revision: Revision, job: Job, triagedMs: number, priority: Priority, hazard: Hazard): TimedDeadline[] {
  const terms = revision.terms;
  const level = terms.serviceLevels[priority];
  const clause = `serviceLevels.${priority}`;
  const deadlines = [
    level.unit === 'hours'
      ? hoursDeadline('service-level', triagedMs, level.amount, true, clause)
      : workingDayDeadline(revision, 'service-level', triagedMs, londonDay(triagedMs), level.amount, true, clause),
  ];
  // Awaab's Law clocks start when the landlord became aware: the tenant's report (order-raised).
  if (hazard === 'emergency') {
    deadlines.push(
      hoursDeadline('emergency-hazard', job.raisedMs, terms.dampAndMould.emergencyHours, true, 'dampAndMould.emergencyHours'),
    );
  } else if (hazard === 'significant') {
    deadlines.push(
      workingDayDeadline(
        revision,
        'hazard-investigation',
        job.raisedMs,
        job.raisedDay,
        terms.dampAndMould.investigationWorkingDays,
        false,
        'dampAndMould.investigationWorkingDays',
      ),
    );
  }
  return deadlines;
}

function markDone(job: Job, name: DeadlineName, ms: number): void {
  const i = job.result.deadlines.findIndex((d) => d.name === name);
  if (i >= 0) {
    job.result.deadlines[i]!.doneAt = iso(ms);
    job.result.deadlines[i]!.isMet = ms <= job.deadlineMs[i]!;
  }
}

function setEarliestContractual(job: Job): void {
  let earliest: number | null = null;
  job.result.deadlines.forEach((d, i) => {
    if (d.isContractual && (earliest === null || job.deadlineMs[i]! < earliest)) earliest = job.deadlineMs[i]!;
  });
  job.dueMs = earliest;
  job.result.dueAt = earliest === null ? null : iso(earliest);
}

// ---------------------------------------------------------------------------------------------
// Explanation (docs §7): one line per figure, each naming its clause.

const DEADLINE_LABEL: Record<DeadlineName, string> = {
  'service-level': 'Service level',
  'emergency-hazard': "Emergency damp-and-mould hazard (Awaab's Law)",
  'hazard-investigation': "Hazard investigation (Awaab's Law)",
  'hazard-written-summary': "Written summary to the tenant (Awaab's Law)",
  'hazard-safety-work': "Safety work (Awaab's Law)",
};

const jobsText = (n: number) => `${n} confirmed job${n === 1 ? '' : 's'}`;

/**
 * The explanation of one job of an evaluation, line by line. Made on demand rather than kept for
 * every job: a consortium year has millions of lines, and a page or a verifier prints one job's.
 */
export function explainJob(evaluation: ContractEvaluation, result: JobResult): ExplanationLine[] {
  const terms = evaluation.revisions.find((r) => r.revision === result.termsRevision)?.terms;
  if (!terms) return [];
  const catalogueIndex = terms.catalogue.findIndex((item) => item.code === result.itemCode);
  const unitPricePence = terms.catalogue[catalogueIndex]!.unitPricePence;
  const lines: ExplanationLine[] = [];
  const line = (figure: ExplanationFigure, pence: number | null, clause: string, text: string) =>
    lines.push({ figure, pence, clause, text });

  for (const deadline of result.deadlines) {
    const level =
      deadline.name === 'service-level'
        ? `${result.priority}, ${serviceLevelText(terms.serviceLevels[result.priority!])} from triage`
        : deadline.clause.replace('dampAndMould.', '');
    const outcome =
      deadline.doneAt === null
        ? 'not done'
        : deadline.isMet
          ? `done ${deadline.doneAt}, on time`
          : `done ${deadline.doneAt}, late`;
    line(
      'deadline',
      null,
      deadline.clause,
      `${DEADLINE_LABEL[deadline.name]} (${level}): from ${deadline.from}, due by ${deadline.dueAt}; ${outcome}`,
    );
  }
  if (result.completedAt === null) return lines;
  line(
    'lateness',
    null,
    result.deadlines.find((d) => d.isContractual && d.dueAt === result.dueAt)?.clause ?? 'serviceLevels',
    result.isLate
      ? `Completed ${result.completedAt}, after the contractual due time ${result.dueAt}: late`
      : `Completed ${result.completedAt}, by the contractual due time ${result.dueAt}: on time`,
  );
  const price = result.price;
  if (!price) return lines;
  line(
    'base-price',
    price.basePence,
    `catalogue[${catalogueIndex}].unitPricePence`,
    `${result.itemCode}: ${unitPricePence} p × ${result.quantity} = ${price.basePence} p ` +
      `(${formatPence(price.basePence)}), terms revision ${terms.revision}`,
  );
  const bulk = price.bulk;
  if (!bulk) {
    line(
      'bulk-discount',
      0,
      'bulkDiscount',
      terms.bulkDiscount ? `${result.itemCode} is excluded from bulk discounts: 0 p` : 'No bulk discount in these terms: 0 p',
    );
  } else {
    const tier = bulk.tierIndex === null ? null : terms.bulkDiscount!.tiers[bulk.tierIndex]!;
    const scope = bulk.scope === 'association' ? `for ${result.association}` : 'across the consortium';
    line(
      'bulk-discount',
      price.bulkDiscountPence,
      bulk.tierIndex === null ? 'bulkDiscount.tiers' : `bulkDiscount.tiers[${bulk.tierIndex}]`,
      tier
        ? `Job ${bulk.ordinal} of ${bulk.period} ${scope}, ` +
            `tier jobs ${tier.fromJob}–${tier.toJob ?? '…'} at ${bulk.discountBasisPoints} bp: ` +
            `${price.basePence} × ${bulk.discountBasisPoints} / 10000 = ${price.bulkDiscountPence} p (half up)`
        : `Job ${bulk.ordinal} of ${bulk.period} ${scope} falls in no tier: 0 p`,
    );
  }
  const late = price.late;
  const discounted = price.basePence - price.bulkDiscountPence;
  if (!late) {
    line('late-reduction', 0, 'lateDelivery', 'No late-delivery rule in these terms: 0 p');
  } else {
    const sharePrinted = formatBasisPoints(basisPointsOfShare(late.lateJobsInWindow, late.jobsInWindow));
    const share = `${late.lateJobsInWindow} of ${jobsText(late.jobsInWindow)} late (${sharePrinted})`;
    const band = late.bandIndex === null ? null : terms.lateDelivery!.bands[late.bandIndex]!;
    const window = `Window ${late.windowFrom} – ${late.windowTo}`;
    line(
      'late-reduction',
      price.lateReductionPence,
      late.bandIndex === null ? 'lateDelivery' : `lateDelivery.bands[${late.bandIndex}]`,
      band
        ? `${window}: ${share} ≥ ${formatBasisPoints(band.fromLateShareBasisPoints)}: ` +
            `${discounted} × ${band.priceReductionBasisPoints} / 10000 = ${price.lateReductionPence} p (half up)`
        : late.jobsInWindow < terms.lateDelivery!.minimumJobs
          ? `${window}: ${jobsText(late.jobsInWindow)}, fewer than the ${terms.lateDelivery!.minimumJobs} the rule needs: 0 p`
          : `${window}: ${share}, below ${formatBasisPoints(terms.lateDelivery!.bands[0]!.fromLateShareBasisPoints)}: 0 p`,
    );
  }
  line(
    'contractor-payment',
    price.contractorPaymentPence,
    'catalogue, bulkDiscount, lateDelivery',
    `${price.basePence} − ${price.bulkDiscountPence} − ${price.lateReductionPence} = ${price.contractorPaymentPence} p ` +
      `(${formatPence(price.contractorPaymentPence)}) to ${terms.parties.contractor}`,
  );
  line(
    'host-fee',
    price.hostFeePence,
    'parties.host.feePerJobPence',
    price.hostFeePence === 0 && result.association === terms.parties.host.association
      ? `${result.association} hosts the contract: no fee`
      : `Fee per job to the host ${terms.parties.host.association}: ${price.hostFeePence} p`,
  );
  line(
    'association-pays',
    price.associationPaysPence,
    'parties',
    `${result.association} pays ${price.contractorPaymentPence} + ${price.hostFeePence} = ${price.associationPaysPence} p ` +
      `(${formatPence(price.associationPaysPence)})`,
  );
  return lines;
}
