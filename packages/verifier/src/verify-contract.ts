import { evaluateContract, type ContractEvaluation, type JobResult } from '@townhall/contracts';
import {
  ADMINISTRATOR_ROLE,
  CONTRACT_EVENT_TYPES,
  ENTRY_TYPE_REGISTRY,
  FINANCE_ROLE,
  REPAIRS_ROLE,
  contractApprovalChallenge,
  contractTermsHash,
  type ContractAgreedBody,
  type ContractAmendedBody,
  type ContractApproval,
  type ContractEventType,
  type ContractPayment,
  type OrderState,
  type PaymentRunBody,
} from '@townhall/protocol';
import type { z } from 'zod';
import { fromBase64Url } from './bytes.ts';
import type { Entry } from './entry.ts';
import { readLines, type RecordSource } from './lines.ts';
import { CONTRACT_LINES, CONTRACT_RECORD_FORMAT, RecordLineReader, checkRecordCounts, type ContractHeaderLine, type ContractKeysLine, type RecordItem } from './record.ts';
import { CHECKS_OF_FORMAT, ReportBuilder, type ContractStatement, type PaymentFigures, type PaymentRunStatement, type PaymentStatement, type ProgressEvent, type VerificationReport } from './report.ts';
import { LedgerStream } from './verify-ledger.ts';
import { readAssertion, verifyAssertionSignature } from './webauthn.ts';

/**
 * The contract record's checks (docs/protocol/contracts.md §12) over a contract's log: its sequence,
 * the parties' approvals and the steps' members against the registry, the order lifecycle, and every
 * payment recomputed with the published evaluator (`@townhall/contracts`, pure: the terms and the
 * events in, the prices out). A contract's history is held in memory: the evaluator needs all of it.
 */

type Terms = z.infer<typeof ContractAgreedBody>['terms'];
type Run = z.infer<typeof PaymentRunBody>;
type Payment = ContractPayment;
type Located<T> = { index: number; body: T };

/** The figures of a PaymentComputed entry, in the order contracts.md §4 step 6 computes them. */
const PAYMENT_FIGURES = ['basePence', 'bulkDiscountPence', 'lateReductionPence', 'contractorPaymentPence', 'hostFeePence', 'associationPaysPence'] as const;
/** The figures a PaymentRun repeats per payment, and the totals it sums them into (contracts.md §11.5). */
const RUN_TOTALS = [
  ['contractorPaymentPence', 'contractorTotalPence'],
  ['hostFeePence', 'hostFeeTotalPence'],
  ['associationPaysPence', 'totalPence'],
] as const;
/** Who may take a step (contracts.md §11.3): order steps by repairs staff, payment runs by finance staff, or an administrator. */
const STEP_ROLES = [ADMINISTRATOR_ROLE, REPAIRS_ROLE];
const RUN_ROLES = [ADMINISTRATOR_ROLE, FINANCE_ROLE];

interface Order {
  state: OrderState;
  association: string;
  investigated: boolean;
  summaryIssued: boolean;
  confirmedAt?: number;
}

/** A `by` (or approval) to find in the registry: this pseudonym, a member of this organisation with one of these roles. */
interface MemberClaim {
  index: number;
  organisation: string;
  member: string;
  roles: readonly string[];
  what: string;
  /** When the member acted: the step's event instant, the approval's or the run's `at`. */
  at: string;
}

/** One change in the registry that a claim is checked against, at its (whole-second) instant. */
type RegistryChange = { at: number } & ({ kind: 'granted'; roles: readonly string[] } | { kind: 'revoked' } | { kind: 'status'; status: string });

/**
 * Registry entries carry whole seconds (organisations.md §4): a change recorded at second S happened
 * within [S, S + 1 s). A grant counts from S; a revocation or a suspension counts from S + 1 s, so an
 * act in the same second as the change is never held against its member.
 */
const REGISTRY_GRANULARITY_MS = 1_000;

const issuesOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

export class ContractStream {
  readonly #contractId: string | null;
  readonly #origin: string;
  readonly #report: ReportBuilder;
  #agreed: Located<z.infer<typeof ContractAgreedBody>> | undefined;
  readonly #revisions: { index: number; terms: Terms; effectiveAt: string | null; approvals: ContractApproval[] }[] = [];
  /** Every event (terms-amended and order events) with the index of its entry: the evaluator's input. */
  readonly #events: { index: number; event: { type: ContractEventType; at: string; orderId?: string } }[] = [];
  readonly #orders = new Map<string, Order>();
  /** Entries whose lifecycle failure is reported already (the evaluator refuses them again). */
  readonly #lifecycleFailed = new Set<number>();
  readonly #claims: MemberClaim[] = [];
  readonly #computed: Located<Payment>[] = [];
  /** The first PaymentComputed of each order: a second one is found without a scan. */
  readonly #computedByOrder = new Map<string, Located<Payment>>();
  readonly #runs: Located<Run>[] = [];
  #lastEvent: { index: number; at: string } | undefined;
  /** The job prices the evaluator gave, once `finish` has run it. */
  #jobs = new Map<string, JobResult>();
  readonly #runTotals: PaymentRunStatement[] = [];
  #organisations: ContractStatement['organisations'] = [];
  /** Each OrderTriaged's recorded deadline, compared with the evaluator's once the history is read. */
  #dueTimes: { index: number; orderId: string; dueAt: string }[] = [];

  constructor(options: { contractId: string | null; origin: string; report: ReportBuilder }) {
    this.#contractId = options.contractId;
    this.#origin = options.origin;
    this.#report = options.report;
  }

  /** One decoded entry of the contract's log, in order (contracts.md §11.1). */
  entry(index: number, entry: Entry): void {
    const report = this.#report;
    report.count('contract.sequence');
    if ((index === 0) !== (entry.type === 'LogCreated')) report.fail('contract.sequence', `entry ${index}: LogCreated must be the first entry, and only it`, { index, type: entry.type });
    if (entry.type === 'LogCreated') {
      const body = entry.body as { kind?: unknown; contractId?: unknown; origin?: unknown };
      if (body.kind !== 'contract' || body.contractId !== this.#contractId || body.origin !== this.#origin) {
        report.fail('contract.sequence', `entry ${index}: LogCreated is not this contract's`, {
          index,
          expected: { kind: 'contract', contractId: this.#contractId, origin: this.#origin },
          found: { kind: body.kind, contractId: body.contractId, origin: body.origin },
        });
      }
      return;
    }
    const spec = ENTRY_TYPE_REGISTRY[entry.type as keyof typeof ENTRY_TYPE_REGISTRY];
    if (spec?.log !== 'contract') {
      report.fail('contract.sequence', `entry ${index} is a ${entry.type}, which has no place in a contract log`, { index, type: entry.type });
      return;
    }
    const parsed = spec.body.safeParse(entry.body);
    if (!parsed.success) {
      report.fail('contract.sequence', `entry ${index} (${entry.type}) does not match its schema: ${issuesOf(parsed.error)}`, { index });
      return;
    }
    const body = parsed.data as { contractId: string; event?: { type: ContractEventType; at: string; orderId?: string }; by?: string };
    if (body.contractId !== this.#contractId) report.fail('contract.sequence', `entry ${index} (${entry.type}) names another contract`, { index, expected: this.#contractId, found: body.contractId });
    if (entry.type !== 'ContractAgreed' && !this.#agreed) report.fail('contract.sequence', `entry ${index} (${entry.type}) comes before the contract is agreed`, { index });
    if (body.event) this.#event(index, body.event);
    switch (entry.type) {
      case 'ContractAgreed':
        return this.#agree(index, parsed.data as z.infer<typeof ContractAgreedBody>);
      case 'ContractAmended': {
        const amended = parsed.data as z.infer<typeof ContractAmendedBody>;
        this.#checkTermsHash(index, amended.termsHash, amended.event.terms);
        this.#revisions.push({ index, terms: amended.event.terms as Terms, effectiveAt: amended.event.effectiveAt, approvals: amended.approvals });
        return;
      }
      case 'OrderTriaged':
        // Then checked like every step: its `by` below.
        this.#dueTimes.push({ index, orderId: (parsed.data as { event: { orderId: string } }).event.orderId, dueAt: (parsed.data as { dueAt: string }).dueAt });
        break;
      case 'PaymentComputed':
        return this.#paymentComputed(index, parsed.data as Payment);
      case 'PaymentRun': {
        const run = parsed.data as Run;
        this.#runs.push({ index, body: run });
        this.#claims.push({ index, organisation: run.association, member: run.by, roles: RUN_ROLES, what: `payment run ${run.runId}`, at: run.at });
        return;
      }
    }
    if (body.event && body.by !== undefined) this.#step(index, body.event, body.by);
  }

  #agree(index: number, agreed: z.infer<typeof ContractAgreedBody>): void {
    if (this.#agreed) {
      this.#report.fail('contract.sequence', `entry ${index}: a second ContractAgreed (the first is entry ${this.#agreed.index})`, { index, first: this.#agreed.index });
      return;
    }
    this.#agreed = { index, body: agreed };
    if (agreed.terms.contractId !== this.#contractId || agreed.terms.revision !== 1) {
      this.#report.fail('contract.sequence', `entry ${index}: ContractAgreed carries terms of another contract or revision`, { index, contractId: agreed.terms.contractId, revision: agreed.terms.revision });
    }
    this.#checkTermsHash(index, agreed.termsHash, agreed.terms);
    this.#revisions.push({ index, terms: agreed.terms, effectiveAt: null, approvals: agreed.approvals });
  }

  /** contracts.md §11.1: `termsHash` is what the parties approved; it must be the hash of the terms recorded. */
  #checkTermsHash(index: number, recorded: string, terms: unknown): void {
    let computed: string;
    try {
      computed = contractTermsHash(terms as Terms);
    } catch {
      return; // the schema check has reported the terms
    }
    if (computed !== recorded) this.#report.fail('contract.sequence', `entry ${index}: termsHash is not the hash of the terms recorded`, { index, recorded, computed });
  }

  /** contracts.md §11.1: events have strictly increasing instants, so the log's order is the canonical order (§3.3). */
  #event(index: number, event: { type: ContractEventType; at: string; orderId?: string }): void {
    const previous = this.#lastEvent;
    if (previous && !(Date.parse(event.at) > Date.parse(previous.at))) {
      this.#report.fail('contract.sequence', `entry ${index}: its event (${event.at}) is not after the previous one (entry ${previous.index}, ${previous.at})`, {
        index,
        previous: previous.index,
        previousAt: previous.at,
        at: event.at,
      });
    }
    this.#lastEvent = { index, at: event.at };
    this.#events.push({ index, event });
    if (event.type !== 'terms-amended') this.#lifecycle(index, event as { type: ContractEventType; orderId: string } & Record<string, unknown>);
  }

  /** contracts.md §3.1: the lifecycle table (`CONTRACT_EVENT_TYPES`), in log order, which is the canonical order. */
  #lifecycle(index: number, event: { type: ContractEventType; orderId: string } & Record<string, unknown>): void {
    const report = this.#report;
    report.count('contract.orders');
    const orderId = event.orderId;
    const order = this.#orders.get(orderId);
    const fail = (message: string, evidence: Record<string, unknown>) => {
      this.#lifecycleFailed.add(index);
      report.fail('contract.orders', `entry ${index}: ${message}`, { index, orderId, step: event.type, ...evidence });
    };
    if (event.type === 'order-raised') {
      if (order) fail(`order ${orderId} is raised a second time`, { state: order.state });
      else this.#orders.set(orderId, { state: 'raised', association: String(event.association), investigated: false, summaryIssued: false });
      return;
    }
    if (!order) {
      fail(`${event.type} for order ${orderId}, which was never raised`, {});
      return;
    }
    const rule = CONTRACT_EVENT_TYPES[event.type];
    const from: readonly OrderState[] = rule.from ?? [];
    if (!from.includes(order.state)) {
      fail(`order ${orderId} is ${order.state}; ${event.type} may only follow ${from.join(' or ')}`, { state: order.state, allowed: from });
      return;
    }
    if (event.type === 'hazard-investigated') {
      if (order.investigated) return fail(`order ${orderId} is investigated a second time`, { state: order.state });
      order.investigated = true;
    }
    if (event.type === 'hazard-summary-issued') {
      if (order.summaryIssued) return fail(`order ${orderId}'s written summary is issued a second time`, { state: order.state });
      order.summaryIssued = true;
    }
    if (rule.to) order.state = rule.to;
    if (event.type === 'order-confirmed') order.confirmedAt = index;
  }

  /** A step's `by` must be a member of the party that takes it (contracts.md §11.3), checked against the registry at the end. */
  #step(index: number, event: { type: ContractEventType; at: string; orderId?: string }, by: string): void {
    const side = CONTRACT_EVENT_TYPES[event.type].side;
    const order = event.orderId === undefined ? undefined : this.#orders.get(event.orderId);
    const organisation = side === 'contractor' ? this.#agreed?.body.terms.parties.contractor : order?.association;
    if (side === null || organisation === undefined) return; // no such order: reported by the lifecycle check
    this.#claims.push({ index, organisation, member: by, roles: STEP_ROLES, what: `${event.type} of order ${event.orderId}`, at: event.at });
  }

  #paymentComputed(index: number, payment: Payment): void {
    const order = this.#orders.get(payment.orderId);
    this.#report.count('contract.payments');
    if (order?.state !== 'confirmed') {
      this.#report.fail('contract.payments', `entry ${index}: PaymentComputed for order ${payment.orderId}, which is not confirmed`, { index, orderId: payment.orderId, state: order?.state ?? null });
    }
    const earlier = this.#computedByOrder.get(payment.orderId);
    if (!earlier) this.#computedByOrder.set(payment.orderId, { index, body: payment });
    else this.#report.fail('contract.payments', `entry ${index}: order ${payment.orderId} is priced a second time (first at entry ${earlier.index})`, { index, orderId: payment.orderId, first: earlier.index });
    this.#computed.push({ index, body: payment });
  }

  /** The checks that need the whole log and the registry entries (which come after it in the record). */
  async finish(registry: readonly Entry[]): Promise<void> {
    const report = this.#report;
    for (const entry of registry) {
      const body = entry.body as { organisationId?: unknown; legalName?: unknown };
      if (entry.type === 'OrganisationRegistered' && typeof body.organisationId === 'string' && typeof body.legalName === 'string') {
        this.#organisations.push({ organisationId: body.organisationId, legalName: body.legalName });
      }
    }
    if (!this.#agreed) {
      for (const id of ['contract.approvals', 'contract.payments', 'contract.payment-runs'] as const) report.skip(id, 'The contract is not agreed yet: no terms to check against.');
      return;
    }
    await this.#checkApprovals(registry);
    let evaluation: ContractEvaluation;
    try {
      evaluation = evaluateContract(this.#agreed.body.terms, this.#events.map((e) => e.event));
    } catch (error) {
      report.fail('contract.payments', `the evaluator refused the terms: ${(error as Error).message}`, { index: this.#agreed.index });
      return;
    }
    for (const error of evaluation.errors) {
      const index = this.#events[error.index]!.index;
      if (!this.#lifecycleFailed.has(index)) report.fail('contract.orders', `entry ${index}: ${error.code}: ${error.message}`, { index, orderId: error.orderId, code: error.code });
    }
    this.#jobs = new Map(evaluation.jobs.map((job) => [job.orderId, job]));
    this.#checkDueTimes(this.#jobs);
    this.#checkPayments(this.#jobs);
    this.#checkRuns();
  }

  /** contracts.md §5.4, §11.1: the deadline each OrderTriaged announced is the one the evaluator computes for the job. */
  #checkDueTimes(jobs: Map<string, JobResult>): void {
    for (const { index, orderId, dueAt } of this.#dueTimes) {
      const job = jobs.get(orderId);
      if (!job || job.dueAt === null || this.#lifecycleFailed.has(index)) continue; // reported by the lifecycle check
      if (Date.parse(job.dueAt) !== Date.parse(dueAt)) {
        this.#report.fail('contract.orders', `entry ${index}: order ${orderId} was sent with the deadline ${dueAt}, the terms give ${job.dueAt}`, { index, orderId, recorded: dueAt, recomputed: job.dueAt });
      }
    }
  }

  /** contracts.md §4 step 6: every figure of every PaymentComputed, recomputed; every confirmed job priced. */
  #checkPayments(jobs: Map<string, JobResult>): void {
    const report = this.#report;
    for (const { index, body } of this.#computed) {
      const job = jobs.get(body.orderId);
      if (!job?.price) continue; // reported when the entry was read: not a confirmed order
      const recomputed: Record<string, string | number> = { association: job.association, termsRevision: job.termsRevision ?? 0 };
      for (const figure of PAYMENT_FIGURES) recomputed[figure] = job.price[figure];
      for (const [figure, value] of Object.entries(recomputed)) {
        const recorded = body[figure as keyof Payment];
        if (recorded !== value) {
          report.fail('contract.payments', `entry ${index}: ${figure} of order ${body.orderId} is recorded as ${recorded}, recomputed as ${value}`, { index, orderId: body.orderId, figure, recorded, recomputed: value });
        }
      }
    }
    const priced = new Set(this.#computed.map((c) => c.body.orderId));
    for (const [orderId, order] of this.#orders) {
      if (order.confirmedAt !== undefined && !priced.has(orderId)) {
        report.fail('contract.payments', `entry ${order.confirmedAt}: order ${orderId} is confirmed but has no PaymentComputed`, { index: order.confirmedAt, orderId });
      }
    }
  }

  /** contracts.md §11.5: each run pays its association's computed payments, once each, and totals them exactly. */
  #checkRuns(): void {
    const report = this.#report;
    const computed = new Map(this.#computed.map((c) => [c.body.orderId, c]));
    const paidIn = new Map<string, number>();
    const associations = new Set(this.#revisions.flatMap((r) => r.terms.parties.associations));
    for (const { index, body: run } of this.#runs) {
      report.count('contract.payment-runs');
      const fail = (message: string, evidence: Record<string, unknown> = {}) => report.fail('contract.payment-runs', `entry ${index}: ${message}`, { index, runId: run.runId, ...evidence });
      if (!associations.has(run.association)) fail(`the run's association ${run.association} is not a party`, { association: run.association });
      const sums = { contractorTotalPence: 0n, hostFeeTotalPence: 0n, totalPence: 0n };
      for (const item of run.payments) {
        for (const [figure, total] of RUN_TOTALS) sums[total] += BigInt(item[figure]);
        const first = paidIn.get(item.orderId);
        if (first !== undefined) fail(`order ${item.orderId} is paid a second time (first in the run at entry ${first})`, { orderId: item.orderId, firstRun: first });
        else paidIn.set(item.orderId, index);
        const payment = computed.get(item.orderId);
        if (!payment || payment.index > index) {
          fail(`order ${item.orderId} is paid without an earlier PaymentComputed`, { orderId: item.orderId });
          continue;
        }
        if (payment.body.association !== run.association) fail(`order ${item.orderId} is ${payment.body.association}'s, not the run's association's`, { orderId: item.orderId, association: payment.body.association });
        for (const [figure] of RUN_TOTALS) {
          if (item[figure] !== payment.body[figure]) {
            fail(`${figure} of order ${item.orderId} is paid as ${item[figure]}, computed as ${payment.body[figure]} (entry ${payment.index})`, { orderId: item.orderId, figure, recorded: item[figure], computed: payment.body[figure] });
          }
        }
      }
      for (const [, total] of RUN_TOTALS) {
        if (run[total] !== sums[total].toString()) fail(`${total} is ${run[total]}, the sum of its payments is ${sums[total]}`, { figure: total, recorded: run[total], recomputed: sums[total].toString() });
      }
      this.#runTotals.push({
        index,
        runId: run.runId,
        association: run.association,
        payments: run.payments.length,
        totals: RUN_TOTALS.map(([, total]) => ({ figure: total, recorded: run[total], recomputed: sums[total].toString() })),
      });
    }
  }

  /** Every PaymentComputed beside its recomputation, and every run's totals beside its sums (the report's `statement`). */
  statement(): ContractStatement {
    const figuresOf = (source: PaymentFigures): PaymentFigures => Object.fromEntries(PAYMENT_FIGURES.map((figure) => [figure, source[figure]])) as unknown as PaymentFigures;
    const payments: PaymentStatement[] = this.#computed.map(({ index, body }) => {
      const price = this.#jobs.get(body.orderId)?.price;
      return { index, orderId: body.orderId, association: body.association, recorded: figuresOf(body), recomputed: price ? figuresOf(price) : null };
    });
    return { organisations: [...this.#organisations], payments, paymentRuns: [...this.#runTotals] };
  }

  /**
   * contracts.md §11.1: what is wrong with an approval's passkey signature, or null. It must be over
   * the approval's challenge, by a passkey the registry bound to the approver no later than the
   * approval (a MemberPasskeyBound entry: registry seconds, so from the end of its second at most).
   */
  async #approvalSignatureProblem(revision: { terms: Terms; effectiveAt: string | null }, approval: ContractApproval, bound: { at: number; publicKey: string } | undefined): Promise<string | null> {
    if (!bound) return `is signed by passkey ${approval.credentialIdHash}, which no MemberPasskeyBound entry in the record binds to ${approval.member}`;
    if (bound.at > Date.parse(approval.at)) return `is dated ${approval.at}, before its passkey was bound to the member (${new Date(bound.at).toISOString()})`;
    const challenge = contractApprovalChallenge({
      contractId: revision.terms.contractId,
      revision: revision.terms.revision,
      termsHash: contractTermsHash(revision.terms),
      effectiveAt: revision.effectiveAt,
      organisation: approval.organisation,
      party: approval.party,
      member: approval.member,
    });
    try {
      // The WebAuthn relying party is the deployment host (the origin's host without a port), as for credentials.
      const rpId = this.#origin.split('/')[0]!.replace(/:\d+$/, '');
      const reading = readAssertion(approval.assertion, { challenge, rpId });
      if (!reading.valid) return `has a passkey assertion that fails: ${reading.reason}`;
      if (!(await verifyAssertionSignature(reading.message, reading.signature, fromBase64Url(bound.publicKey)))) return 'has a passkey signature that does not verify with the bound key';
    } catch (error) {
      return `has an unreadable passkey assertion or key: ${(error as Error).message}`;
    }
    return null;
  }

  /**
   * contracts.md §11.1, §11.3: each revision approved by an administrator of every party, and each
   * step taken by a member of its party, by the pseudonyms of the parties' MembershipGranted entries;
   * each approval signed by the approver's passkey, bound to them by a MemberPasskeyBound entry.
   */
  async #checkApprovals(registry: readonly Entry[]): Promise<void> {
    const report = this.#report;
    const registered = new Set<string>();
    /** Each organisation's status changes and each (organisation, member)'s grants and revocations, in time order. */
    const statuses = new Map<string, RegistryChange[]>();
    const memberships = new Map<string, RegistryChange[]>();
    const key = (organisation: string, member: string) => `${organisation}\n${member}`;
    const add = (map: Map<string, RegistryChange[]>, k: string, change: RegistryChange) => map.set(k, [...(map.get(k) ?? []), change]);
    /** Each (organisation, member, credential id hash)'s MemberPasskeyBound: when, and the COSE key. */
    const passkeys = new Map<string, { at: number; publicKey: string }>();
    for (const entry of registry) {
      const body = entry.body as { organisationId?: string; member?: string; roles?: string[]; status?: string; at?: string };
      const at = Date.parse(body.at ?? '');
      if (!body.organisationId || Number.isNaN(at)) continue;
      if (entry.type === 'OrganisationRegistered') {
        registered.add(body.organisationId);
        add(statuses, body.organisationId, { at, kind: 'status', status: 'active' });
      }
      if (entry.type === 'OrganisationStatusChanged' && body.status) add(statuses, body.organisationId, { at, kind: 'status', status: body.status });
      if (entry.type === 'MembershipGranted' && body.member) add(memberships, key(body.organisationId, body.member), { at, kind: 'granted', roles: body.roles ?? [] });
      if (entry.type === 'MembershipRevoked' && body.member) add(memberships, key(body.organisationId, body.member), { at, kind: 'revoked' });
      if (entry.type === 'MemberPasskeyBound' && body.member) {
        const bound = entry.body as { credentialIdHash: string; publicKey: string };
        passkeys.set(`${key(body.organisationId, body.member)}\n${bound.credentialIdHash}`, { at, publicKey: bound.publicKey });
      }
    }
    for (const changes of [...statuses.values(), ...memberships.values()]) changes.sort((a, b) => a.at - b.at);
    const signed: { revision: { index: number; terms: Terms; effectiveAt: string | null }; approval: ContractApproval }[] = [];
    for (const revision of this.#revisions) {
      report.count('contract.approvals');
      const { contractor, associations } = revision.terms.parties;
      const parties = new Map<string, 'contractor' | 'association'>([[contractor, 'contractor'], ...associations.map((a) => [a, 'association'] as const)]);
      for (const [organisation, party] of parties) {
        if (!registered.has(organisation)) report.fail('contract.approvals', `entry ${revision.index}: party ${organisation} has no OrganisationRegistered entry in the record`, { index: revision.index, organisation });
        const approvals = revision.approvals.filter((a) => a.organisation === organisation);
        if (approvals.length !== 1) report.fail('contract.approvals', `entry ${revision.index}: party ${organisation} approved ${approvals.length} times, not once`, { index: revision.index, organisation, approvals: approvals.length });
        for (const approval of approvals) {
          if (approval.party !== party) report.fail('contract.approvals', `entry ${revision.index}: ${organisation} approved as ${approval.party}, but is the ${party}`, { index: revision.index, organisation, party: approval.party });
          this.#claims.push({ index: revision.index, organisation, member: approval.member, roles: [ADMINISTRATOR_ROLE], what: `approval of revision ${revision.terms.revision}`, at: approval.at });
          signed.push({ revision, approval });
        }
      }
      for (const approval of revision.approvals) {
        if (!parties.has(approval.organisation)) report.fail('contract.approvals', `entry ${revision.index}: ${approval.organisation} approved but is not a party`, { index: revision.index, organisation: approval.organisation });
      }
    }
    for (const claim of this.#claims) {
      const when = Date.parse(claim.at);
      const evidence = { index: claim.index, organisation: claim.organisation, member: claim.member, roles: claim.roles, at: claim.at };
      const status = inForceAt(statuses.get(claim.organisation), when);
      if (status && status.kind === 'status' && status.status !== 'active') {
        report.fail('contract.approvals', `entry ${claim.index}: the ${claim.what} is dated ${claim.at}, when ${claim.organisation} was ${status.status} (OrganisationStatusChanged of ${new Date(status.at).toISOString()})`, {
          ...evidence,
          status: status.status,
          statusSince: new Date(status.at).toISOString(),
        });
        continue;
      }
      const membership = inForceAt(memberships.get(key(claim.organisation, claim.member)), when);
      if (membership?.kind === 'revoked') {
        report.fail('contract.approvals', `entry ${claim.index}: the ${claim.what} is dated ${claim.at}, after ${claim.member}'s membership of ${claim.organisation} was revoked (MembershipRevoked of ${new Date(membership.at).toISOString()})`, {
          ...evidence,
          revokedAt: new Date(membership.at).toISOString(),
        });
        continue;
      }
      const held = membership?.kind === 'granted' ? membership.roles : null;
      if (!held || !claim.roles.some((role) => held.includes(role))) {
        report.fail(
          'contract.approvals',
          `entry ${claim.index}: the ${claim.what} is by ${claim.member}, not a member of ${claim.organisation} with the role ${claim.roles.join(' or ')} at ${claim.at} in the record's MembershipGranted entries`,
          { ...evidence, held },
        );
      }
    }
    for (const { revision, approval } of signed) {
      const bound = passkeys.get(`${key(approval.organisation, approval.member)}\n${approval.credentialIdHash}`);
      const problem = await this.#approvalSignatureProblem(revision, approval, bound);
      if (problem) {
        report.fail('contract.approvals', `entry ${revision.index}: ${approval.organisation}'s approval of revision ${revision.terms.revision} ${problem}`, {
          index: revision.index,
          organisation: approval.organisation,
          member: approval.member,
          credentialIdHash: approval.credentialIdHash,
        });
      }
    }
  }
}

/**
 * The change in force at `when`: the latest grant at or before it, or the latest revocation or
 * status change a whole second before it (REGISTRY_GRANULARITY_MS), whichever is later.
 */
function inForceAt(changes: readonly RegistryChange[] | undefined, when: number): RegistryChange | undefined {
  let current: RegistryChange | undefined;
  for (const change of changes ?? []) {
    const from = change.kind === 'granted' || (change.kind === 'status' && change.status === 'active') ? change.at : change.at + REGISTRY_GRANULARITY_MS;
    if (from <= when && (!current || change.at >= current.at)) current = change;
  }
  return current;
}

export interface ContractVerifyOptions {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * Verifies a contract record (docs/protocol/contracts.md §12) from its source: the file and its log
 * as record.md §4 checks an election record's, then the contract checks. Never throws for a bad
 * record; throws only when aborted.
 */
export async function verifyContractRecordSource(source: RecordSource, options: ContractVerifyOptions = {}): Promise<VerificationReport> {
  const checks = CHECKS_OF_FORMAT[CONTRACT_RECORD_FORMAT];
  const report = new ReportBuilder(undefined, checks);
  const local = new ReportBuilder(undefined, checks);
  local.count('record.format');
  const reader = new RecordLineReader(CONTRACT_LINES);
  const registry: Entry[] = [];
  const found = { entries: 0, checkpoints: 0, registryEntries: 0 };
  let header: ContractHeaderLine | undefined;
  let keys: ContractKeysLine | undefined;
  let end: Extract<RecordItem, { kind: 'end' }>['value'] | undefined;
  let ledger: LedgerStream | undefined;
  let contract: ContractStream | undefined;
  const start = (): LedgerStream | undefined => {
    if (!ledger && keys) {
      ledger = new LedgerStream({ log: keys.contractLog, registryLog: keys.registryLog, witnessPolicy: keys.witnessPolicy }, report, local);
      contract = new ContractStream({ contractId: header?.contractId ?? null, origin: keys.contractLog.origin, report });
    }
    return ledger;
  };
  for await (const line of readLines(source, { signal: options.signal })) {
    const item = reader.read(line);
    if (!item) continue;
    if (item.kind === 'problem') {
      local.fail('record.format', `line ${item.line}: ${item.message}`, { line: item.line });
      continue;
    }
    if (item.misplaced !== undefined) local.fail('record.format', `line ${item.line}: ${item.misplaced}`, { line: item.line });
    switch (item.kind) {
      case 'record':
        header = item.value;
        continue;
      case 'keys':
        keys = item.value;
        continue;
      case 'end':
        end = item.value;
        continue;
      case 'entry':
        found.entries++;
        break;
      case 'checkpoint':
        found.checkpoints++;
        break;
      case 'registry-entry':
        found.registryEntries++;
        break;
    }
    const stream = start();
    if (!stream) continue;
    if (item.kind === 'entry') {
      const entry = stream.entry(item.index, item.bytes);
      if (entry) contract!.entry(stream.leaves.count - 1, entry);
    } else if (item.kind === 'checkpoint') stream.checkpoint(item.note);
    else if (item.kind === 'registry-checkpoint') stream.registryCheckpoint(item.note);
    else {
      const entry = stream.registryEntry(item.index, item.bytes, item.proof);
      if (entry) registry.push(entry);
    }
  }
  options.signal?.throwIfAborted();
  checkRecordCounts(local, 'contract', { header, end, found });
  const fields = { electionId: null, contractId: header?.contractId ?? null, entries: found.entries, result: null };
  if (!start()) {
    local.fail('record.format', 'the keys line is missing: nothing can be checked against the log and witness keys');
    return local.build(fields);
  }
  await ledger!.finish();
  options.onProgress?.({ check: 'contract.payments', done: 0, message: 'recomputing every payment' });
  await contract!.finish(registry);
  report.merge(local);
  return report.build({ ...fields, statement: contract!.statement() });
}
