/**
 * The repairs simulator's own arithmetic (docs/simulator.md, "Repairs"): the price of every confirmed
 * job recomputed plainly from the terms, in the order the contract log confirmed them, with lateness
 * as the simulator planned it (it completes a late job days after any deadline, an on-time one hours
 * before). Deliberately independent of packages/contracts: no deadlines, no calendar, one loop over
 * the confirmations (contracts.md §4 step 6, §6 rule R1), so that a fault in the evaluator shows up
 * as a difference rather than being repeated here.
 */
import { decodeEntry } from '@townhall/ledger';
import { OrderConfirmedBody, PaymentComputedBody, PaymentRunBody, type ContractPayment, type ContractTermsInput } from '@townhall/protocol';

/** What the simulator knows of a job it had confirmed. */
export interface PlannedJob {
  orderId: string;
  association: string;
  itemCode: string;
  quantity: number;
  /** Completed (the last time) after its contractual due time, by the simulator's plan. */
  isLate: boolean;
}

export interface RecordCheck {
  payments: number;
  /** Payments with a bulk discount; payments reduced for late delivery (so the run exercised both rules). */
  discounted: number;
  reducedForLateness: number;
  paymentRuns: number;
  /** Each difference between the record and the plain recomputation, as a sentence with both values. */
  differences: string[];
}

type Plain = Omit<ContractPayment, 'termsRevision'>;

/** Rule R1 (contracts.md §6): a share of an amount, rounded half up to the penny. */
const share = (pence: number, basisPoints: number) => Math.floor((pence * basisPoints + 5_000) / 10_000);

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The civil date in London of an instant, `YYYY-MM-DD` (contracts.md §5.2). */
export const londonDateOf = (at: string) => londonDate.format(new Date(at));

/** `date` moved by whole months, the day clamped to the month's last day (contracts.md §4 step 6.3). */
function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return `${first.toISOString().slice(0, 8)}${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The bulk-discount period a London date falls in (contract years run from `startDate`). */
function periodOf(terms: ContractTermsInput, date: string): string {
  const period = terms.bulkDiscount!.period;
  if (period === 'calendar-month') return date.slice(0, 7);
  if (period === 'calendar-quarter') return `${date.slice(0, 4)}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;
  let year = 0;
  while (addMonths(terms.startDate, 12 * (year + 1)) <= date) year += 1;
  return `year-${year}`;
}

/**
 * Prices the confirmations, given in the log's order, under terms with the rules the simulator uses
 * (one revision; bulk discount by association or consortium; one late-delivery rule).
 */
export function recomputePayments(terms: ContractTermsInput, confirmations: { job: PlannedJob; confirmedAt: string }[]): Map<string, Plain> {
  const prices = new Map(terms.catalogue.map((item) => [item.code, item.unitPricePence]));
  const counted = new Map<string, number>();
  const confirmedSoFar: { date: string; isLate: boolean }[] = [];
  const payments = new Map<string, Plain>();
  for (const { job, confirmedAt } of confirmations) {
    const date = londonDateOf(confirmedAt);
    const basePence = prices.get(job.itemCode)! * job.quantity;

    let bulkDiscountPence = 0;
    const bulk = terms.bulkDiscount;
    if (bulk && !(bulk.excludedItemCodes ?? []).includes(job.itemCode)) {
      const key = `${bulk.scope === 'association' ? job.association : 'consortium'} ${periodOf(terms, date)}`;
      const ordinal = (counted.get(key) ?? 0) + 1;
      counted.set(key, ordinal);
      const tier = bulk.tiers.find((t) => ordinal >= t.fromJob && (t.toJob === null || ordinal <= t.toJob));
      bulkDiscountPence = share(basePence, tier?.discountBasisPoints ?? 0);
    }

    let lateReductionPence = 0;
    confirmedSoFar.push({ date, isLate: job.isLate });
    const late = terms.lateDelivery;
    if (late) {
      const from = nextDay(addMonths(date, -late.windowMonths));
      const inWindow = confirmedSoFar.filter((c) => c.date >= from && c.date <= date);
      const lateJobs = inWindow.filter((c) => c.isLate).length;
      const band = inWindow.length >= late.minimumJobs ? late.bands.filter((b) => lateJobs * 10_000 >= b.fromLateShareBasisPoints * inWindow.length).at(-1) : undefined;
      lateReductionPence = share(basePence - bulkDiscountPence, band?.priceReductionBasisPoints ?? 0);
    }

    const contractorPaymentPence = basePence - bulkDiscountPence - lateReductionPence;
    const hostFeePence = job.association === terms.parties.host.association ? 0 : terms.parties.host.feePerJobPence;
    payments.set(job.orderId, {
      orderId: job.orderId,
      association: job.association,
      basePence,
      bulkDiscountPence,
      lateReductionPence,
      contractorPaymentPence,
      hostFeePence,
      associationPaysPence: contractorPaymentPence + hostFeePence,
    });
  }
  return payments;
}

const FIELDS = ['association', 'basePence', 'bulkDiscountPence', 'lateReductionPence', 'contractorPaymentPence', 'hostFeePence', 'associationPaysPence'] as const;

/**
 * Checks a contract record (its JSON Lines) against the plan: every confirmed job has exactly one
 * PaymentComputed, equal field by field to the plain recomputation; every payment run holds payments
 * as computed, each job paid once, and its totals are the sums of its lines; every job is paid.
 */
export function checkRecordPayments(terms: ContractTermsInput, record: string, jobs: ReadonlyMap<string, PlannedJob>): RecordCheck {
  const differences: string[] = [];
  const confirmations: { job: PlannedJob; confirmedAt: string }[] = [];
  const computed = new Map<string, ContractPayment>();
  const runs: ReturnType<typeof PaymentRunBody.parse>[] = [];
  for (const line of record.split('\n')) {
    if (!line.startsWith('{"kind":"entry"')) continue;
    const entry = decodeEntry(Buffer.from((JSON.parse(line) as { bytes: string }).bytes, 'base64'));
    if (entry.type === 'OrderConfirmed') {
      const { event } = OrderConfirmedBody.parse(entry.body);
      const job = jobs.get(event.orderId);
      if (job) confirmations.push({ job, confirmedAt: event.at });
      else differences.push(`order ${event.orderId} was confirmed in the log, but the simulation never confirmed it`);
    } else if (entry.type === 'PaymentComputed') {
      const payment = PaymentComputedBody.parse(entry.body);
      if (computed.has(payment.orderId)) differences.push(`order ${payment.orderId} has more than one PaymentComputed`);
      computed.set(payment.orderId, payment);
    } else if (entry.type === 'PaymentRun') {
      runs.push(PaymentRunBody.parse(entry.body));
    }
  }

  const expected = recomputePayments(terms, confirmations);
  for (const orderId of jobs.keys()) if (!expected.has(orderId)) differences.push(`order ${orderId} was confirmed by the simulation, but the log has no OrderConfirmed for it`);
  for (const [orderId, plain] of expected) {
    const payment = computed.get(orderId);
    if (!payment) {
      differences.push(`order ${orderId}: no PaymentComputed in the log`);
      continue;
    }
    for (const field of FIELDS) {
      if (payment[field] !== plain[field]) differences.push(`order ${orderId}: ${field} is ${payment[field]} in the log, ${plain[field]} recomputed`);
    }
  }
  for (const orderId of computed.keys()) if (!expected.has(orderId)) differences.push(`order ${orderId}: a PaymentComputed without a confirmation`);

  const paid = new Set<string>();
  for (const run of runs) {
    let contractor = 0n;
    let hostFees = 0n;
    let total = 0n;
    for (const item of run.payments) {
      if (paid.has(item.orderId)) differences.push(`run ${run.runId}: order ${item.orderId} was already paid by an earlier run`);
      paid.add(item.orderId);
      const payment = computed.get(item.orderId);
      if (!payment || payment.association !== run.association) differences.push(`run ${run.runId} of ${run.association}: order ${item.orderId} is not one of its confirmed jobs`);
      else if (item.contractorPaymentPence !== payment.contractorPaymentPence || item.hostFeePence !== payment.hostFeePence || item.associationPaysPence !== payment.associationPaysPence) {
        differences.push(`run ${run.runId}: order ${item.orderId} pays ${JSON.stringify(item)}, its PaymentComputed says ${JSON.stringify(payment)}`);
      }
      contractor += BigInt(item.contractorPaymentPence);
      hostFees += BigInt(item.hostFeePence);
      total += BigInt(item.associationPaysPence);
    }
    const sums = { contractorTotalPence: contractor, hostFeeTotalPence: hostFees, totalPence: total };
    for (const [field, sum] of Object.entries(sums) as [keyof typeof sums, bigint][]) {
      if (BigInt(run[field]) !== sum) differences.push(`run ${run.runId}: ${field} is ${run[field]}, its lines sum to ${sum}`);
    }
  }
  for (const orderId of computed.keys()) if (!paid.has(orderId)) differences.push(`order ${orderId}: confirmed and priced, but in no payment run`);
  const all = [...computed.values()];
  return {
    payments: computed.size,
    discounted: all.filter((p) => p.bulkDiscountPence > 0).length,
    reducedForLateness: all.filter((p) => p.lateReductionPence > 0).length,
    paymentRuns: runs.length,
    differences,
  };
}
