/** The verifier's output: every check with its status, counts, and evidence for each failure. */
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckFailure {
  readonly message: string;
  /** What an auditor needs to see the failure for themselves (entry index, expected vs. found, …). */
  readonly evidence?: Record<string, unknown>;
}

export interface CheckResult {
  readonly id: CheckId;
  readonly title: string;
  status: CheckStatus;
  /** How many items the check examined (entries, proofs, signatures, …). */
  checked: number;
  failures: CheckFailure[];
  note?: string;
}

/**
 * Something an observer must know even when every check passes: the record is valid, but the
 * election was not a real one by the protocol's standards (for example, the trustee minimum was
 * waived for a demonstration, so one trustee can decrypt every ballot).
 */
export interface VerificationWarning {
  readonly code: 'TRUSTEE_MINIMUM_WAIVED';
  readonly message: string;
}

export interface VerificationReport {
  readonly format: 'townhall/verification-report';
  readonly version: 1;
  /** The election of an election record; null for a contract record. */
  readonly electionId: string | null;
  /** The contract of a contract record (docs/protocol/contracts.md §12); absent for an election record. */
  readonly contractId?: string | null;
  readonly isValid: boolean;
  readonly entries: number;
  readonly result: { contestId: string; counts: { optionId: string; count: number }[] }[] | null;
  /** Shown with the verdict, valid or not (empty when there is nothing to warn about). */
  readonly warnings: VerificationWarning[];
  readonly checks: CheckResult[];
  /** A contract record's payments and payment runs, recorded and recomputed; absent for an election record. */
  readonly statement?: ContractStatement;
}

/** The six figures of a PaymentComputed (contracts.md §4 step 6), in pence. */
export interface PaymentFigures {
  readonly basePence: number;
  readonly bulkDiscountPence: number;
  readonly lateReductionPence: number;
  readonly contractorPaymentPence: number;
  readonly hostFeePence: number;
  readonly associationPaysPence: number;
}

/** One PaymentComputed entry beside the evaluator's price for its job. */
export interface PaymentStatement {
  readonly index: number;
  readonly orderId: string;
  readonly association: string;
  readonly recorded: PaymentFigures;
  /** Null when the evaluator gives no price for the job (not confirmed, or the terms were refused): the failures say why. */
  readonly recomputed: PaymentFigures | null;
}

/** One PaymentRun entry: its totals as recorded beside the sums of the payments it lists (decimal strings, contracts.md §11.5). */
export interface PaymentRunStatement {
  readonly index: number;
  readonly runId: string;
  readonly association: string;
  readonly payments: number;
  readonly totals: { readonly figure: 'contractorTotalPence' | 'hostFeeTotalPence' | 'totalPence'; readonly recorded: string; readonly recomputed: string }[];
}

/**
 * What a contract record's verification recomputed, whether or not it matches, so a reader can see
 * every figure and not only the ones that differ (contracts.md §12.2).
 */
export interface ContractStatement {
  /** The names of the parties, from the record's OrganisationRegistered entries (the registry checks vouch for them). */
  readonly organisations: { readonly organisationId: string; readonly legalName: string }[];
  readonly payments: PaymentStatement[];
  readonly paymentRuns: PaymentRunStatement[];
}

export const CHECKS = {
  'record.format': 'The record file is complete and well-formed',
  'ledger.entries': 'Every entry decodes (ledger.md §2: magic, type, length, canonical JSON body)',
  'ledger.chain': 'Hash chain: every entry links to the leaf hash of the one before (ledger.md §2.2)',
  'ledger.checkpoint-roots': 'Each checkpoint is the Merkle root of the record’s entries up to its size (RFC 9162)',
  'ledger.consistency': 'Successive checkpoints grow and are consistent; the last covers the whole record',
  'ledger.checkpoint-signatures': 'Each checkpoint is signed by the log’s key for its origin',
  'ledger.cosignatures': 'Each checkpoint carries valid cosignatures from at least the quorum of witnesses',
  'registry.inclusion': 'Registry entries the record relies on are in a signed, witnessed registry checkpoint',
  'election.sequence': 'Entries follow the election lifecycle (elections.md §1) and carry the election’s fingerprint',
  'election.definition': 'The definition is well-formed and its fingerprint is recomputed (elections.md §2)',
  'ceremony.commitments': 'Every trustee commitment’s Schnorr proofs verify (key ceremony round 1)',
  'ceremony.joint-key': 'The joint key and verification shares follow from the commitments (round 4)',
  'credentials.issuer-key': 'The RSA issuer key is published before any credential or ballot',
  'credentials.issuance': 'Each credential went to an enrolled, eligible pseudonym, once, bound to its blinded message',
  'credentials.limits': 'Counted ballots ≤ credentials issued ≤ eligible electors, per district (RollCommitted)',
  'ballots.credentials': 'Every ballot, cast or spoiled, carries a valid RFC 9474 credential (RSASSA-PSS, SHA-384)',
  'ballots.signatures': 'Every ballot, cast or spoiled, is signed by its ballot key and its tracking code is its digest',
  'ballots.uniqueness': 'A ballot key always presents the same credential, casting or spoiling; repeats are only supersessions; no copied ciphertexts',
  'ballots.timing': 'No ballot after the election closed',
  'ballots.proofs': 'Every selection and contest-range proof verifies (crypto.md §6, batched §7)',
  'ballots.spoiled': 'Every spoiled ballot opens to its published ciphertexts (Benaloh audit, crypto.md §8), shares no tracking code or ciphertext with a cast ballot, and no ballot key spoils more than the limit',
  'tally.aggregate': 'The aggregate is the sum of the counted set (last ballot per key before close)',
  'tally.partial-decryptions': 'Every partial decryption’s Chaum–Pedersen proof verifies against the trustee’s verification share',
  'tally.result': 'The published counts follow from the aggregate and the partial decryptions',
  'contract.sequence': 'The log is the contract’s: LogCreated first, the terms agreed before any order, every body of its schema, events in time order (contracts.md §11.1)',
  'contract.orders': 'Every order step follows the lifecycle table: none skipped, none repeated (contracts.md §3.1)',
  'contract.approvals': 'Every revision approved by an administrator of each party, every step taken by a member of the party that takes it, each as the registry stood at that instant (grants, revocations, suspensions)',
  'contract.payments': 'Every PaymentComputed recomputed to the penny from the terms and the events (contracts.md §4, §6), once per confirmed job',
  'contract.payment-runs': 'Every payment run pays payments as computed, its totals are their sums, and no payment is in two runs (contracts.md §11.5)',
} as const;
export type CheckId = keyof typeof CHECKS;

/** The checks every record has: its file, its log and the registry entries it carries (record.md §4). */
const isRecordCheck = (id: string) => id.startsWith('record.') || id.startsWith('ledger.') || id.startsWith('registry.');
/** The checks of each record format, in the order of CHECKS. */
export const CHECKS_OF_FORMAT = {
  'townhall/election-record': (Object.keys(CHECKS) as CheckId[]).filter((id) => !id.startsWith('contract.')),
  'townhall/contract-record': (Object.keys(CHECKS) as CheckId[]).filter((id) => isRecordCheck(id) || id.startsWith('contract.')),
} as const;

/** Structured progress of a run, per check, so a UI can show one bar per check. */
export interface ProgressEvent {
  readonly check: CheckId | 'read';
  /** Items done so far (bytes for `read`). */
  readonly done: number;
  readonly total?: number;
  readonly message: string;
}

/** The serialisable form of a report in progress (part of a saved verifier state). */
export interface ReportState {
  checks: { id: CheckId; status: CheckStatus; checked: number; failures: CheckFailure[]; omitted: number; note?: string }[];
}

// Keep the report readable: the first 50 failures of a check carry evidence, the rest are counted.
const KEPT_FAILURES = 50;

/**
 * Failures are kept in a fixed order (entry index or checkpoint position, then message, then
 * evidence) so that the report is the same byte for byte whatever order the work finished in:
 * in one thread or spread over workers, in one run or resumed from a saved state.
 */
function positionOf(failure: CheckFailure): number {
  const e = failure.evidence;
  if (!e) return -1;
  for (const key of ['index', 'checkpoint', 'line', 'position']) {
    const value = e[key];
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return Number(value);
  }
  return -1;
}

function compareFailures(a: CheckFailure, b: CheckFailure): number {
  const byPosition = positionOf(a) - positionOf(b);
  if (byPosition !== 0) return byPosition;
  if (a.message !== b.message) return a.message < b.message ? -1 : 1;
  const ea = JSON.stringify(a.evidence ?? null);
  const eb = JSON.stringify(b.evidence ?? null);
  return ea < eb ? -1 : ea > eb ? 1 : 0;
}

type Slot = ReportState['checks'][number];

export class ReportBuilder {
  readonly #checks = new Map<CheckId, Slot>();
  readonly #warnings: VerificationWarning[] = [];

  constructor(state?: ReportState, checks: readonly CheckId[] = CHECKS_OF_FORMAT['townhall/election-record']) {
    for (const id of checks) this.#checks.set(id, { id, status: 'skip', checked: 0, failures: [], omitted: 0 });
    for (const saved of state?.checks ?? []) {
      if (!this.#checks.has(saved.id)) throw new TypeError(`saved report: unknown check ${saved.id}`);
      this.#checks.set(saved.id, structuredClone(saved));
    }
  }

  /** Marks the check as run (pass unless a failure is added) and counts `n` items. */
  count(id: CheckId, n = 1): void {
    const check = this.#checks.get(id)!;
    if (check.status === 'skip') check.status = 'pass';
    check.checked += n;
  }

  fail(id: CheckId, message: string, evidence?: Record<string, unknown>): void {
    const check = this.#checks.get(id)!;
    check.status = 'fail';
    this.#keep(check, evidence ? { message, evidence } : { message });
  }

  #keep(check: Slot, failure: CheckFailure): void {
    const failures = check.failures;
    let at = failures.length;
    while (at > 0 && compareFailures(failures[at - 1]!, failure) > 0) at--;
    failures.splice(at, 0, failure);
    if (failures.length > KEPT_FAILURES) {
      failures.pop();
      check.omitted++;
    }
  }

  skip(id: CheckId, note: string): void {
    const check = this.#checks.get(id)!;
    if (check.status === 'skip') check.note = note;
  }

  note(id: CheckId, note: string): void {
    this.#checks.get(id)!.note = note;
  }

  failed(id: CheckId): boolean {
    return this.#checks.get(id)!.status === 'fail';
  }

  checked(id: CheckId): number {
    return this.#checks.get(id)!.checked;
  }

  /** A warning for the verdict (kept once). */
  warn(warning: VerificationWarning): void {
    if (!this.#warnings.some((w) => w.code === warning.code && w.message === warning.message)) this.#warnings.push(warning);
  }

  /** Adds another builder's results (counts, failures, notes, warnings) to this one. */
  merge(other: ReportBuilder): void {
    for (const warning of other.#warnings) this.warn(warning);
    for (const theirs of other.#checks.values()) {
      const mine = this.#checks.get(theirs.id)!;
      if (theirs.status !== 'skip') this.count(theirs.id, theirs.checked);
      if (theirs.status === 'fail') mine.status = 'fail';
      for (const failure of theirs.failures) this.#keep(mine, failure);
      mine.omitted += theirs.omitted;
      if (theirs.note !== undefined && (theirs.status !== 'skip' || mine.status === 'skip')) mine.note = theirs.note;
    }
  }

  snapshot(): ReportState {
    return { checks: structuredClone([...this.#checks.values()]) };
  }

  build(fields: { electionId: string | null; contractId?: string | null; entries: number; result: VerificationReport['result']; statement?: ContractStatement }): VerificationReport {
    const checks: CheckResult[] = [...this.#checks.values()].map((c) => {
      const failures = c.omitted > 0 ? [...c.failures, { message: `${c.omitted} further failures omitted` }] : [...c.failures];
      const result: CheckResult = { id: c.id, title: CHECKS[c.id], status: c.status, checked: c.checked, failures };
      if (c.note !== undefined) result.note = c.note;
      return result;
    });
    const isValid = checks.every((c) => c.status !== 'fail') && checks.some((c) => c.status === 'pass');
    const { statement, ...subject } = fields;
    return { format: 'townhall/verification-report', version: 1, ...subject, isValid, warnings: this.#warnings.map((w) => ({ ...w })), checks, ...(statement ? { statement } : {}) };
  }
}
