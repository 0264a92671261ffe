import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { evaluateContract, type EvaluationError } from '@townhall/contracts';
import {
  CONTRACT_EVENT_TYPES,
  ContractTerms,
  HazardAnswers,
  MAX_PAYMENTS_PER_RUN,
  TENANT_ROLE,
  LedgerAssertion,
  contractApprovalChallenge,
  contractTermsHash,
  type ContractApproval,
  type ContractApprovalOptions,
  type ContractApprovalRequest,
  type ContractDetail,
  type ContractPerformance,
  type ContractEventType,
  type OrderState,
  type PaymentRunSummary,
  type Repair,
  type RepairAssociation,
} from '@townhall/protocol';
import type { z } from 'zod';
import { AppError } from '../common/app-error.ts';
import type { Principal } from '../common/access.ts';
import { IdentityRepository } from '../identity/identity.repository.ts';
import { WebAuthnService, counterRegressed, counterRegression } from '../identity/webauthn.service.ts';
import { LedgerService, type AppendEntry, type TransactionClient } from '../ledger/ledger.module.ts';
import { OrganisationKeys } from '../organisations/organisation-keys.ts';
import { OrganisationsService, accountOf } from '../organisations/organisations.service.ts';
import { ContractKeys } from './contract-keys.ts';
import { ContractWebhooksService } from './contract-webhooks.service.ts';
import { ORDER_EVENT_ENTRY, contractEntries, paymentOf } from './contracts-ledger.ts';
import { bankFileName, bankFileOfRun } from './pain001-file.ts';
import { ContractsRepository, type ContractRow, type EventRow, type OrderRow, type PaymentRow } from './contracts.repository.ts';

type Terms = z.output<typeof ContractTerms>;
type OrderStep = Exclude<ContractEventType, 'terms-amended' | 'order-raised'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ASSOCIATION_KINDS = new Set(['housing-association', 'council']);

/** How long an approval's passkey prompt waits: as long as the contract page is read and the passkey used. */
const APPROVAL_TIMEOUT_MS = 5 * 60_000;

const noContract = () => new AppError('NOT_FOUND', 'There is no such contract of this organisation.');
const noOrder = () => new AppError('NOT_FOUND', 'There is no such repair for this organisation.');
const contractInvalid = (path: string, message: string) =>
  new AppError('CONTRACT_INVALID', `The contract is not valid: ${path}: ${message}`, { issues: [{ path, message }] });
const contractWrongState = (message: string) => new AppError('CONTRACT_WRONG_STATE', message);
const approvedAlready = (revision: number) => contractWrongState(`Your organisation approved revision ${revision} already; the other parties’ approvals are awaited.`);

function orderWrongState(type: ContractEventType, state: string): AppError {
  const from = CONTRACT_EVENT_TYPES[type].from ?? [];
  return new AppError(
    'ORDER_WRONG_STATE',
    `This repair is ${state}; "${type}" can only follow ${from.join(' or ')}. It may have been done already by someone else: reload it.`,
  );
}

/** An event the evaluator refused: a stable code for each kind of refusal (docs/errors.md). */
function eventRefused(error: EvaluationError): AppError {
  switch (error.code) {
    case 'LIFECYCLE_VIOLATION':
    case 'HAZARD_STEP_INVALID':
      return new AppError('ORDER_WRONG_STATE', error.message);
    case 'UNKNOWN_ITEM':
      return new AppError('VALIDATION_FAILED', `The request is not valid: itemCode: ${error.message}`, {
        issues: [{ path: 'itemCode', message: error.message }],
      });
    case 'OUTSIDE_CONTRACT_DATES':
    case 'UNKNOWN_ASSOCIATION':
    case 'AMENDMENT_INVALID':
      return new AppError('CONTRACT_WRONG_STATE', error.message);
    default:
      return new AppError('CONTRACT_INVALID', error.message, { logMessage: `evaluator refused an event: ${error.code} ${error.message}` });
  }
}

function formatPounds(pence: bigint): string {
  return `${pence / 100n}.${(pence % 100n).toString().padStart(2, '0')}`;
}

/** RFC 4180: quote a field that holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

interface Actor {
  organisationId: string;
  memberId: string;
  pseudonym: string;
}

/**
 * Repairs contracts (docs/protocol/contracts.md §11): proposed and approved by the parties'
 * administrators, then orders from a tenant's report to a confirmed, priced job and a payment run.
 * Every change is an entry of the contract's own log, written in the transaction that changes the
 * rows; the contract's row is locked in it, and each step checks the order's state again under that
 * lock, so a step is refused when it skips one or repeats one, however many requests race.
 */
@Injectable()
export class ContractsService {
  readonly #firstTermsCache = new Map<string, Terms>();

  constructor(
    @Inject(ContractsRepository) private readonly repository: ContractsRepository,
    @Inject(ContractKeys) private readonly keys: ContractKeys,
    @Inject(OrganisationKeys) private readonly organisationKeys: OrganisationKeys,
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(IdentityRepository) private readonly identity: IdentityRepository,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(ContractWebhooksService) private readonly webhooks: ContractWebhooksService,
    @Inject(WebAuthnService) private readonly webauthn: WebAuthnService,
  ) {}

  // ---- contracts

  async propose(organisationId: string, principal: Principal, terms: Terms): Promise<ContractDetail> {
    if (terms.revision !== 1) throw contractInvalid('terms.revision', 'a new contract starts at revision 1');
    if (!terms.parties.associations.includes(organisationId)) {
      throw contractInvalid('terms.parties.associations', 'the proposing organisation must be one of the contract’s associations');
    }
    await this.#checkParties(terms);
    if (await this.repository.findContract(terms.contractId)) {
      throw contractInvalid('terms.contractId', `"${terms.contractId}" is the id of another contract already: choose another`);
    }
    this.#actor(principal, organisationId);
    const contractId = terms.contractId;
    const log = await this.ledger.createContractLog(contractId);
    await this.ledger.append(log.name, async (tx) => {
      if (await this.repository.findContract(contractId, tx)) {
        throw contractInvalid('terms.contractId', `"${contractId}" is the id of another contract already: choose another`);
      }
      await this.repository.insertContract(
        tx,
        { id: contractId, title: terms.title, contractorId: terms.parties.contractor, hostId: terms.parties.host.association, logName: log.name },
        [
          { organisationId: terms.parties.contractor, party: 'contractor' },
          ...terms.parties.associations.map((id) => ({ organisationId: id, party: 'association' as const })),
        ],
        { terms, termsHash: contractTermsHash(terms) },
      );
      return { entries: [], result: undefined };
    });
    return this.contract(organisationId, contractId);
  }

  async amend(organisationId: string, principal: Principal, contractId: string, terms: Terms, effectiveAt: string): Promise<ContractDetail> {
    const contract = await this.#contractOf(organisationId, contractId);
    if (contract.agreedRevision === null) throw contractWrongState('The contract is not agreed yet: change the proposal by proposing it again under another id.');
    const agreed = ContractTerms.parse(contract.versions.find((v) => v.revision === contract.agreedRevision)!.terms);
    const revision = contract.agreedRevision + 1;
    if (terms.contractId !== contractId) throw contractInvalid('terms.contractId', `an amendment keeps the contract’s id, ${contractId}`);
    if (terms.revision !== revision) throw contractInvalid('terms.revision', `the next revision is ${revision}`);
    const partiesOf = (t: Terms) => JSON.stringify([t.parties.contractor, [...t.parties.associations].sort(), t.parties.host.association]);
    if (partiesOf(terms) !== partiesOf(agreed)) {
      throw contractInvalid('terms.parties', 'an amendment cannot change the contractor, the associations or the host (only the host’s fee)');
    }
    if (Date.parse(effectiveAt) < Date.now()) throw contractInvalid('effectiveAt', 'cannot be in the past: an amendment is never retroactive');
    this.#actor(principal, organisationId);
    await this.ledger.append(contract.logName, async (tx) => {
      const locked = await this.repository.lockContract(tx, contractId);
      if (locked?.agreedRevision !== contract.agreedRevision) throw contractWrongState('The contract changed meanwhile: reload it.');
      // A new proposal replaces one still awaiting approvals.
      await this.repository.deleteProposedVersion(tx, contractId, revision);
      await this.repository.insertVersion(tx, { contractId, revision, terms, termsHash: contractTermsHash(terms), effectiveAt: new Date(effectiveAt) });
      return { entries: [], result: undefined };
    });
    return this.contract(organisationId, contractId);
  }

  /**
   * What an administrator's signing passkey signs to approve a revision for their organisation
   * (contracts.md §11.1): the challenge, which anyone can recompute from the approval entry, and
   * their signing passkeys for this membership (none yet: the page makes one first).
   */
  async approvalOptions(organisationId: string, principal: Principal, contractId: string, revision: number): Promise<ContractApprovalOptions> {
    const { actor, signed, challenge } = await this.#approvalTarget(organisationId, principal, contractId, revision);
    const passkeys = await this.organisations.signingPasskeysOf(actor.memberId);
    return {
      ...signed,
      challenge,
      rpId: this.webauthn.rpId,
      allowCredentials: passkeys.map((p) => ({ id: Buffer.from(p.credentialId).toString('base64url'), type: 'public-key' as const })),
      userVerification: 'required',
      timeout: APPROVAL_TIMEOUT_MS,
    };
  }

  /**
   * One party's approval of a revision, signed with the administrator's signing passkey for this
   * membership (bound to their pseudonym by a MemberPasskeyBound entry when it was made): the
   * assertion and its counter are checked, and the approval kept with its signature. The last party's approval agrees the
   * revision: ContractAgreed (revision 1) or ContractAmended, with every approval, in the same
   * transaction.
   */
  async approve(organisationId: string, principal: Principal, contractId: string, request: ContractApprovalRequest): Promise<ContractDetail> {
    const { revision } = request;
    const { contract, party, actor, signed, challenge } = await this.#approvalTarget(organisationId, principal, contractId, revision);
    const passkey = (await this.organisations.signingPasskeysOf(actor.memberId)).find((p) => Buffer.from(p.credentialId).toString('base64url') === request.assertion.rawId);
    if (!passkey) throw new AppError('PASSKEY_VERIFICATION_FAILED', `Approve with your signing passkey for this organisation (make one first: it is bound to your membership in the registry).`);
    const { newCounter } = await this.webauthn.verifyAuthentication(request.assertion, challenge, passkey);
    if (counterRegressed(newCounter, Number(passkey.counter))) throw counterRegression({ stored: Number(passkey.counter), received: newCounter });
    await this.organisations.recordSigningPasskeyUse(passkey.id, newCounter);
    const credentialIdHash = createHash('sha256').update(passkey.credentialId).digest('hex');
    const assertion = {
      clientDataJSON: request.assertion.response.clientDataJSON,
      authenticatorData: request.assertion.response.authenticatorData,
      signature: request.assertion.response.signature,
    };
    await this.ledger.append(contract.logName, async (tx, { nextIndex }) => {
      await this.repository.lockContract(tx, contractId);
      const current = (await this.repository.findContract(contractId, tx))!;
      const version = current.versions.find((v) => v.revision === revision);
      // A new proposal of this revision may have replaced the one signed meanwhile: the signature is not for it.
      if (!version || version.termsHash !== signed.termsHash || (version.effectiveAt?.toISOString() ?? null) !== signed.effectiveAt) throw contractWrongState(`Revision ${revision} was proposed again with other terms meanwhile: reload the contract and check its terms.`);
      if (version.status === 'agreed') throw contractWrongState(`Revision ${revision} is agreed already.`);
      if (version.approvals.some((a) => a.organisationId === organisationId)) throw approvedAlready(revision);
      const approvedAt = new Date();
      const approval = { organisationId, party: party.party, memberPseudonym: actor.pseudonym, approvedAt, credentialIdHash, assertion };
      await this.repository.insertApproval(tx, { contractId, revision, memberId: actor.memberId, ...approval });
      const approvals = [...version.approvals, approval];
      if (!current.parties.every((p) => approvals.some((a) => a.organisationId === p.organisationId))) return { entries: [], result: undefined };

      const approvalBodies: ContractApproval[] = approvals
        .map((a) => ({
          organisation: a.organisationId,
          party: a.party as ContractApproval['party'],
          member: a.memberPseudonym,
          at: a.approvedAt.toISOString(),
          credentialIdHash: a.credentialIdHash!,
          assertion: LedgerAssertion.parse(a.assertion),
        }))
        .sort((a, b) => (a.party === b.party ? (a.organisation < b.organisation ? -1 : 1) : a.party === 'contractor' ? -1 : 1));
      const terms = ContractTerms.parse(version.terms);
      let entry: AppendEntry;
      let at: Date;
      if (revision === 1) {
        // Revision 1 is agreed before any event: its instant is now.
        at = new Date(Date.now());
        entry = contractEntries.agreed({ contractId, termsHash: version.termsHash, terms, approvals: approvalBodies });
      } else {
        at = (await this.repository.advanceClock(tx, contractId, new Date(Date.now())))!;
        const event = { type: 'terms-amended' as const, at: at.toISOString(), effectiveAt: version.effectiveAt!.toISOString(), terms };
        await this.#check(tx, contractId, event);
        entry = contractEntries.amended({ contractId, termsHash: version.termsHash, event, approvals: approvalBodies });
        await this.repository.insertEvent(tx, { contractId, ledgerIndex: nextIndex, orderId: null, type: event.type, event });
      }
      await this.repository.markAgreed(tx, contractId, revision, nextIndex, at);
      return { entries: [entry], result: undefined };
    });
    return this.contract(organisationId, contractId);
  }

  async contract(organisationId: string, contractId: string): Promise<ContractDetail> {
    return contractView(await this.#contractOf(organisationId, contractId));
  }

  /**
   * How the contract is performing, for its parties: the evaluator's reading of its whole history —
   * jobs by state, the late-delivery window that priced the latest confirmation, and each
   * association's confirmed jobs and payments. Nothing here is stored; every figure is recomputed.
   */
  async performance(organisationId: string, contractId: string): Promise<ContractPerformance> {
    const contract = await this.#contractOf(organisationId, contractId);
    if (contract.agreedRevision === null) throw contractWrongState('This contract is not agreed yet: it has no performance to show.');
    const history = await this.repository.history(undefined, contractId);
    const evaluation = evaluateContract(await this.#firstTerms(undefined, contractId), history.map((e) => e.event));
    const names = await this.organisations.organisationsById(contract.parties.map((p) => p.organisationId));
    const lastPriced = evaluation.jobs
      .filter((job) => job.confirmedAt !== null && job.price?.late)
      .sort((a, b) => a.confirmedAt!.localeCompare(b.confirmedAt!))
      .at(-1);
    const rule = lastPriced ? evaluation.revisions.find((r) => r.revision === lastPriced.termsRevision)?.terms.lateDelivery : null;
    return {
      contractId,
      title: contract.title,
      parties: contract.parties.map((p) => ({
        organisationId: p.organisationId,
        legalName: names.get(p.organisationId)?.legalName ?? p.organisationId,
        party: p.party as 'contractor' | 'association',
        isHost: p.organisationId === contract.hostId,
      })),
      jobs: {
        raised: evaluation.jobs.length,
        open: evaluation.jobs.filter((j) => j.state !== 'confirmed').length,
        completed: evaluation.jobs.filter((j) => j.state === 'completed').length,
        confirmed: evaluation.jobs.filter((j) => j.state === 'confirmed').length,
        late: evaluation.jobs.filter((j) => j.isLate === true).length,
      },
      lateDelivery:
        lastPriced?.price?.late && rule
          ? {
              at: lastPriced.confirmedAt!,
              windowFrom: lastPriced.price.late.windowFrom,
              windowTo: lastPriced.price.late.windowTo,
              jobsInWindow: lastPriced.price.late.jobsInWindow,
              lateJobsInWindow: lastPriced.price.late.lateJobsInWindow,
              minimumJobs: rule.minimumJobs,
              priceReductionBasisPoints: lastPriced.price.late.priceReductionBasisPoints,
              firstBandFromBasisPoints: rule.bands[0]!.fromLateShareBasisPoints,
            }
          : null,
      byAssociation: evaluation.totals.map((t) => ({
        organisationId: t.association,
        jobsConfirmed: t.jobsConfirmed,
        contractorPaymentPence: t.contractorPaymentPence.toString(),
        hostFeePence: t.hostFeePence.toString(),
        associationPaysPence: t.associationPaysPence.toString(),
      })),
    };
  }

  async contracts(organisationId: string): Promise<ContractDetail[]> {
    return (await this.repository.contractsOf(organisationId)).map(contractView);
  }

  // ---- orders

  /** A tenant (a resident with the association's tenant role) reports a repair in their home, the address on the roll. */
  async report(
    organisationId: string,
    principal: Principal,
    report: { contractId: string; description: string; location: string; priority: string; hazards: z.output<typeof HazardAnswers> },
  ): Promise<Repair> {
    if (principal.kind !== 'resident') throw new AppError('FORBIDDEN', 'Only a resident can report a repair in their home.');
    const contract = await this.#contractOf(organisationId, report.contractId);
    if (contract.parties.find((p) => p.organisationId === organisationId)?.party !== 'association') throw noContract();
    if (contract.agreedRevision === null) throw contractWrongState('This contract is not agreed yet: repairs cannot be reported under it.');
    const elector = await this.identity.findElectorForAccount(principal.electorId);
    if (!elector) throw new AppError('FORBIDDEN', 'Only a resident on the roll can report a repair in their home.');
    const orderId = randomUUID();
    const propertyRef = this.keys.propertyRef(organisationId, elector);
    const { result } = await this.ledger.append(contract.logName, async (tx, { nextIndex }) => {
      const at = (await this.repository.advanceClock(tx, contract.id, new Date(Date.now())))!;
      const event = { type: 'order-raised' as const, at: at.toISOString(), orderId, association: organisationId, propertyRef };
      await this.#check(tx, contract.id, event, orderId);
      const order = await this.repository.insertOrder(tx, {
        id: orderId,
        contractId: contract.id,
        associationId: organisationId,
        electorId: principal.electorId,
        description: report.description,
        location: report.location,
        address: `${elector.addressLine}, ${elector.postcode}`,
        reportedPriority: report.priority,
        hazardAnswers: report.hazards,
        propertyRef,
        state: 'raised',
        raisedAt: at,
        raisedIndex: nextIndex,
      });
      const row = { contractId: contract.id, ledgerIndex: nextIndex, orderId, type: event.type, event };
      await this.repository.insertEvent(tx, row);
      return {
        entries: [contractEntries.raised({ contractId: contract.id, event, tenant: this.keys.tenantPseudonym(orderId, principal.electorId) })],
        result: repairView({ ...order, payment: null, contract: { contractorId: contract.contractorId, logName: contract.logName } }, [row]),
      };
    });
    return result;
  }

  triage(organisationId: string, principal: Principal, orderId: string, triage: { itemCode: string; quantity: number; priority: string; hazard: string }) {
    return this.#step(organisationId, principal, orderId, 'order-triaged', triage, {
      itemCode: triage.itemCode,
      quantity: triage.quantity,
      priority: triage.priority,
      hazard: triage.hazard,
    });
  }

  hazardInvestigated(organisationId: string, principal: Principal, orderId: string) {
    return this.#step(organisationId, principal, orderId, 'hazard-investigated', {}, {});
  }

  hazardSummaryIssued(organisationId: string, principal: Principal, orderId: string) {
    return this.#step(organisationId, principal, orderId, 'hazard-summary-issued', {}, {});
  }

  accept(organisationId: string, principal: Principal, orderId: string) {
    return this.#step(organisationId, principal, orderId, 'order-accepted', {}, {});
  }

  schedule(organisationId: string, principal: Principal, orderId: string, appointment: { appointmentStart: string; appointmentEnd: string }) {
    return this.#step(organisationId, principal, orderId, 'order-scheduled', appointment, {
      appointmentStart: new Date(appointment.appointmentStart),
      appointmentEnd: new Date(appointment.appointmentEnd),
    });
  }

  complete(organisationId: string, principal: Principal, orderId: string, completion: { notes: string }) {
    return this.#step(organisationId, principal, orderId, 'order-completed', {}, { completionNotes: completion.notes });
  }

  reject(organisationId: string, principal: Principal, orderId: string, rejection: { reason: string; detail: string }) {
    return this.#step(organisationId, principal, orderId, 'order-rejected', rejection, {
      rejectionReason: rejection.reason,
      rejectionDetail: rejection.detail,
    });
  }

  /** Confirms the work; the job is priced by the evaluator from the contract's whole history (PaymentComputed). */
  confirm(organisationId: string, principal: Principal, orderId: string) {
    return this.#step(organisationId, principal, orderId, 'order-confirmed', {}, {});
  }

  /** The association's orders (its staff's queue). */
  async associationRepairs(organisationId: string): Promise<Repair[]> {
    return this.#views(await this.repository.ordersWhere({ associationId: organisationId }));
  }

  /** The contractor's work queue: orders triaged to it, under any of its contracts. */
  async workOrders(organisationId: string): Promise<Repair[]> {
    return this.#views(await this.repository.ordersWhere({ contract: { contractorId: organisationId }, state: { not: 'raised' } }));
  }

  /** A tenant's own repairs; any other order is "not found". */
  async myRepairs(principal: Principal): Promise<Repair[]> {
    if (principal.kind !== 'resident') return [];
    return this.#views(await this.repository.ordersWhere({ electorId: principal.electorId }));
  }

  /**
   * Where the resident may report a repair: the active associations they are a tenant of, each with
   * the contract a report goes under (its latest agreed one), so the resident never has to know it.
   */
  async reportableAssociations(principal: Principal): Promise<RepairAssociation[]> {
    if (principal.kind !== 'resident') return [];
    const tenantOf = (principal.memberships ?? [])
      .filter((m) => m.organisationStatus === 'active' && m.roles.includes(TENANT_ROLE))
      .map((m) => m.organisationId);
    if (tenantOf.length === 0) return [];
    const contracts = await this.repository.latestAgreedContracts(tenantOf);
    const names = await this.organisations.organisationsById([...contracts.keys()]);
    return [...contracts]
      .map(([associationId, contractId]) => ({ associationId, legalName: names.get(associationId)?.legalName ?? '', contractId }))
      .sort((a, b) => a.legalName.localeCompare(b.legalName));
  }

  async myRepair(principal: Principal, orderId: string): Promise<Repair> {
    const order = UUID.test(orderId) ? await this.repository.findOrder(orderId) : null;
    if (!order || principal.kind !== 'resident' || order.electorId !== principal.electorId) {
      throw new AppError('NOT_FOUND', 'You have reported no such repair.');
    }
    return this.#view(order);
  }

  // ---- payment runs

  /** Gathers the association's confirmed, unpaid payments under the contract (at most MAX_PAYMENTS_PER_RUN) into one PaymentRun. */
  async createRun(organisationId: string, principal: Principal, contractId: string): Promise<PaymentRunSummary> {
    const contract = await this.#contractOf(organisationId, contractId);
    if (contract.parties.find((p) => p.organisationId === organisationId)?.party !== 'association') throw noContract();
    const actor = this.#actor(principal, organisationId);
    const runId = randomUUID();
    await this.ledger.append(contract.logName, async (tx, { nextIndex }) => {
      await this.repository.lockContract(tx, contractId);
      const payments = await this.repository.lockUnpaid(tx, contractId, organisationId, MAX_PAYMENTS_PER_RUN);
      if (payments.length === 0) {
        throw new AppError('NOTHING_TO_PAY', 'There is no confirmed repair under this contract that has not been paid already.');
      }
      const sum = (pick: (p: (typeof payments)[number]) => bigint) => payments.reduce((total, p) => total + pick(p), 0n);
      const contractorTotalPence = sum((p) => p.contractorPaymentPence);
      const hostFeeTotalPence = sum((p) => p.hostFeePence);
      const totalPence = sum((p) => p.associationPaysPence);
      const entry = contractEntries.paymentRun({
        contractId,
        runId,
        association: organisationId,
        payments: payments.map((p) => ({
          orderId: p.orderId,
          contractorPaymentPence: Number(p.contractorPaymentPence),
          hostFeePence: Number(p.hostFeePence),
          associationPaysPence: Number(p.associationPaysPence),
        })),
        contractorTotalPence: contractorTotalPence.toString(),
        hostFeeTotalPence: hostFeeTotalPence.toString(),
        totalPence: totalPence.toString(),
        at: new Date().toISOString(),
        by: actor.pseudonym,
      });
      await this.repository.insertRun(
        tx,
        { id: runId, contractId, associationId: organisationId, contractorTotalPence, hostFeeTotalPence, totalPence, ledgerIndex: nextIndex, createdByMemberId: actor.memberId },
        payments.map((p) => p.orderId),
      );
      return { entries: [entry], result: undefined };
    });
    return (await this.runs(organisationId)).find((r) => r.runId === runId)!;
  }

  async runs(organisationId: string): Promise<PaymentRunSummary[]> {
    return (await this.repository.runsOf(organisationId)).map((run) => ({
      runId: run.id,
      contractId: run.contractId,
      associationId: run.associationId,
      payments: run.payments.map((p) => ({
        orderId: p.orderId,
        contractorPaymentPence: Number(p.contractorPaymentPence),
        hostFeePence: Number(p.hostFeePence),
        associationPaysPence: Number(p.associationPaysPence),
      })),
      totalPence: run.totalPence.toString(),
      ledgerIndex: run.ledgerIndex.toString(),
      createdAt: run.createdAt.toISOString(),
      bankFileMadeAt: run.bankFileMadeAt?.toISOString() ?? null,
    }));
  }

  /** The run as a CSV credit-transfer list for the association's bank: one line per payee per job. */
  async runFile(organisationId: string, runId: string): Promise<{ filename: string; csv: string }> {
    const run = UUID.test(runId) ? await this.repository.findRun(organisationId, runId) : null;
    if (!run) throw new AppError('NOT_FOUND', 'There is no such payment run of this organisation.');
    const names = await this.organisations.organisationsById([run.contract.contractorId, run.contract.hostId]);
    const lines = [['run_id', 'contract_id', 'order_id', 'payee_organisation_id', 'payee', 'purpose', 'amount_pence', 'amount_gbp']];
    const line = (orderId: string, payee: string, purpose: string, pence: bigint) =>
      lines.push([run.id, run.contractId, orderId, payee, names.get(payee)?.legalName ?? '', purpose, pence.toString(), formatPounds(pence)]);
    for (const p of run.payments) {
      line(p.orderId, run.contract.contractorId, 'repair', p.contractorPaymentPence);
      if (p.hostFeePence > 0n) line(p.orderId, run.contract.hostId, 'host-fee', p.hostFeePence);
    }
    return { filename: `payment-run-${run.id}.csv`, csv: lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n' };
  }

  /**
   * The run as an ISO 20022 pain.001.001.09 credit-transfer file (contracts.md §11.6). Made once, at
   * the first download, from the bank accounts recorded then, and kept: every later download is the
   * same file, so an account changed afterwards never changes where the run's payments go.
   * BANK_ACCOUNT_MISSING (and no file, nothing kept) when the association or a payee has none.
   */
  async runBankFile(organisationId: string, runId: string): Promise<{ filename: string; xml: string }> {
    const run = UUID.test(runId) ? await this.repository.findRun(organisationId, runId) : null;
    if (!run) throw new AppError('NOT_FOUND', 'There is no such payment run of this organisation.');
    const filename = bankFileName(run.id);
    if (run.bankFile !== null) return { filename, xml: run.bankFile };
    const parties = [run.associationId, run.contract.contractorId, run.contract.hostId];
    const [names, accounts] = await Promise.all([this.organisations.organisationsById(parties), this.organisations.bankAccountsById(parties)]);
    // Whole seconds, as the file's CreDtTm says it.
    const madeAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const made = bankFileOfRun(run, names, accounts, madeAt);
    return { filename, xml: await this.repository.keepBankFile(run.id, made.xml, madeAt) };
  }

  // ---- internals

  async #checkParties(terms: Terms): Promise<void> {
    const { contractor, associations } = terms.parties;
    const found = await this.organisations.organisationsById([contractor, ...associations]);
    const check = (path: string, id: string, kinds: Set<string>, what: string) => {
      const organisation = found.get(id);
      if (!organisation) throw contractInvalid(path, `"${id}" is not a registered organisation`);
      if (!kinds.has(organisation.kind)) throw contractInvalid(path, `${organisation.legalName} is a ${organisation.kind}, not ${what}`);
      if (organisation.status !== 'active') throw contractInvalid(path, `${organisation.legalName} is ${organisation.status}`);
    };
    check('terms.parties.contractor', contractor, new Set(['contractor']), 'a contractor');
    associations.forEach((id, i) => check(`terms.parties.associations.${i}`, id, ASSOCIATION_KINDS, 'a housing association or council'));
  }

  /** The contract, if the organisation is one of its parties: otherwise it is "not found", like a missing one. */
  async #contractOf(organisationId: string, contractId: string): Promise<ContractRow> {
    const contract = await this.repository.findContract(contractId);
    if (!contract || !contract.parties.some((p) => p.organisationId === organisationId)) throw noContract();
    return contract;
  }

  /** The caller as the organisation's member (the guard has checked the membership and role). */
  /** The revision an administrator approves, their organisation's side, and the challenge their passkey signs (base64url). */
  async #approvalTarget(organisationId: string, principal: Principal, contractId: string, revision: number) {
    const contract = await this.#contractOf(organisationId, contractId);
    const party = contract.parties.find((p) => p.organisationId === organisationId)!;
    const actor = this.#actor(principal, organisationId);
    const version = contract.versions.find((v) => v.revision === revision);
    if (!version) throw new AppError('NOT_FOUND', `The contract has no revision ${revision}.`);
    if (version.status === 'agreed') throw contractWrongState(`Revision ${revision} is agreed already.`);
    if (version.approvals.some((a) => a.organisationId === organisationId)) throw approvedAlready(revision);
    const signed = {
      contractId,
      revision,
      termsHash: version.termsHash,
      effectiveAt: version.effectiveAt?.toISOString() ?? null,
      organisation: organisationId,
      party: party.party as ContractApproval['party'],
      member: actor.pseudonym,
    };
    return { contract, party, actor, signed, challenge: Buffer.from(contractApprovalChallenge(signed)).toString('base64url') };
  }

  #actor(principal: Principal, organisationId: string): Actor {
    const account = accountOf(principal);
    const membership = principal.kind === 'resident' || principal.kind === 'person' ? principal.memberships?.find((m) => m.organisationId === organisationId) : undefined;
    if (!account || !membership) throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
    return { organisationId, memberId: membership.memberId, pseudonym: this.organisationKeys.memberPseudonym(organisationId, account) };
  }

  /**
   * Checks a new event with the evaluator against the history it joins: with `orderId`, that order's
   * own events and the amendments; without, the whole contract (a confirmation, whose price depends
   * on it, or an amendment). Returns the evaluation and the history read; throws the evaluator's
   * refusal of the event.
   */
  async #check(tx: TransactionClient, contractId: string, event: { type: ContractEventType }, orderId?: string) {
    const history = await this.repository.history(tx, contractId, orderId);
    const evaluation = evaluateContract(await this.#firstTerms(tx, contractId), [...history.map((e) => e.event), event]);
    const refused = evaluation.errors.find((e) => e.index === history.length);
    if (refused) throw eventRefused(refused);
    return { evaluation, history };
  }

  /** The contract's first terms, parsed once per process: a contract's revision 1 never changes once it is written. */
  async #firstTerms(tx: TransactionClient | undefined, contractId: string): Promise<Terms> {
    let terms = this.#firstTermsCache.get(contractId);
    if (!terms) {
      terms = ContractTerms.parse(await this.repository.firstTerms(tx, contractId));
      this.#firstTermsCache.set(contractId, terms);
    }
    return terms;
  }

  /**
   * One step of an order's lifecycle. Its answer is built from what the transaction read and wrote
   * (the order's row after the change, its history with the new event), so a step costs no read
   * after its commit.
   */
  async #step(
    organisationId: string,
    principal: Principal,
    orderId: string,
    type: OrderStep,
    fields: Record<string, unknown>,
    rowChanges: Record<string, unknown>,
  ): Promise<Repair> {
    const route = UUID.test(orderId) ? await this.repository.orderRoute(orderId) : undefined;
    // Which party takes the step (contracts.md §11.3).
    const side = CONTRACT_EVENT_TYPES[type].side;
    if (!route || (side === 'association' ? route.associationId : route.contractorId) !== organisationId) throw noOrder();
    const actor = this.#actor(principal, organisationId);
    const { contractId } = route;
    const { result } = await this.ledger.append(route.logName, async (tx, { nextIndex }) => {
      // Under the order's row lock: the state as it is now, not as it was read above.
      const state = (await this.repository.lockOrder(tx, orderId)) as OrderState;
      const rule = CONTRACT_EVENT_TYPES[type];
      if (!(rule.from as readonly string[]).includes(state)) throw orderWrongState(type, state);
      const at = (await this.repository.advanceClock(tx, contractId, new Date(Date.now())))!;
      const event = { type, at: at.toISOString(), orderId, ...fields };
      const { evaluation, history } = await this.#check(tx, contractId, event, type === 'order-confirmed' ? undefined : orderId);
      const job = evaluation.jobs.find((j) => j.orderId === orderId)!;
      const by = actor.pseudonym;
      const entries: AppendEntry[] = [];
      const changes: Record<string, unknown> = { ...rowChanges, state: rule.to ?? state };
      if (type === 'order-triaged') {
        entries.push(contractEntries.triaged({ contractId, event, dueAt: job.dueAt!, by }));
        changes.dueAt = new Date(job.dueAt!);
      } else {
        entries.push(contractEntries.step(ORDER_EVENT_ENTRY[type], { contractId, event, by }));
      }
      let payment: PaymentRow | null = null;
      if (type === 'order-confirmed') {
        const computed = paymentOf(job);
        entries.push(contractEntries.paymentComputed({ contractId, ...computed }));
        payment = await this.repository.insertPayment(tx, {
          orderId,
          contractId,
          associationId: route.associationId,
          termsRevision: computed.termsRevision,
          basePence: BigInt(computed.basePence),
          bulkDiscountPence: BigInt(computed.bulkDiscountPence),
          lateReductionPence: BigInt(computed.lateReductionPence),
          contractorPaymentPence: BigInt(computed.contractorPaymentPence),
          hostFeePence: BigInt(computed.hostFeePence),
          associationPaysPence: BigInt(computed.associationPaysPence),
          computedIndex: nextIndex + 1n,
        });
      } else if (state === 'confirmed') {
        payment = await this.repository.findPayment(tx, orderId);
      }
      const row = { contractId, ledgerIndex: nextIndex, orderId, type, event };
      await this.repository.insertEvent(tx, row);
      const order = await this.repository.updateOrder(tx, orderId, changes);
      const orderHistory = [...history.filter((e) => e.orderId === orderId), row];
      const repair = repairView({ ...order, payment, contract: { contractorId: route.contractorId, logName: route.logName } }, orderHistory);
      // The contractor's webhook (contracts.md §14): its delivery commits with the entry, and goes after the commit.
      await this.webhooks.recordOrderEvent(tx, { type, contractorId: route.contractorId, at: event.at, ledgerIndex: nextIndex, repair });
      return { entries, result: repair };
    });
    this.webhooks.deliverSoon();
    return result;
  }

  async #view(order: OrderRow): Promise<Repair> {
    return (await this.#views([order]))[0]!;
  }

  async #views(orders: OrderRow[]): Promise<Repair[]> {
    const history = await this.repository.historyOfOrders(orders.map((o) => o.id));
    const byOrder = new Map<string, EventRow[]>();
    for (const event of history) byOrder.set(event.orderId!, [...(byOrder.get(event.orderId!) ?? []), event]);
    return orders.map((order) => repairView(order, byOrder.get(order.id) ?? []));
  }
}

function contractView(contract: ContractRow): ContractDetail {
  return {
    contractId: contract.id,
    title: contract.title,
    contractorId: contract.contractorId,
    associationIds: contract.parties.filter((p) => p.party === 'association').map((p) => p.organisationId).sort(),
    hostId: contract.hostId,
    agreedRevision: contract.agreedRevision,
    log: contract.logName,
    versions: contract.versions.map((v) => ({
      revision: v.revision,
      status: v.status as 'proposed' | 'agreed',
      termsHash: v.termsHash,
      effectiveAt: v.effectiveAt?.toISOString() ?? null,
      terms: ContractTerms.parse(v.terms),
      approvals: v.approvals.map((a) => ({ organisationId: a.organisationId, party: a.party as 'contractor' | 'association', approvedAt: a.approvedAt.toISOString() })),
      agreedIndex: v.agreedIndex?.toString() ?? null,
    })),
  };
}

function repairView(order: OrderRow, history: EventRow[]): Repair {
  const payment = order.payment;
  return {
    orderId: order.id,
    contractId: order.contractId,
    associationId: order.associationId,
    state: order.state as OrderState,
    description: order.description,
    location: order.location,
    address: order.address,
    reportedPriority: order.reportedPriority as Repair['reportedPriority'],
    hazards: HazardAnswers.parse(order.hazardAnswers),
    itemCode: order.itemCode,
    quantity: order.quantity,
    priority: order.priority as Repair['priority'],
    hazard: order.hazard as Repair['hazard'],
    dueAt: order.dueAt?.toISOString() ?? null,
    appointment: order.appointmentStart && order.appointmentEnd ? { start: order.appointmentStart.toISOString(), end: order.appointmentEnd.toISOString() } : null,
    completionNotes: order.completionNotes,
    rejection: order.rejectionReason ? { reason: order.rejectionReason, detail: order.rejectionDetail ?? '' } : null,
    payment: payment && {
      orderId: payment.orderId,
      association: payment.associationId,
      termsRevision: payment.termsRevision,
      basePence: Number(payment.basePence),
      bulkDiscountPence: Number(payment.bulkDiscountPence),
      lateReductionPence: Number(payment.lateReductionPence),
      contractorPaymentPence: Number(payment.contractorPaymentPence),
      hostFeePence: Number(payment.hostFeePence),
      associationPaysPence: Number(payment.associationPaysPence),
      paymentRunId: payment.paymentRunId,
    },
    log: order.contract.logName,
    history: history.map((e) => ({ type: e.type, at: (e.event as { at: string }).at, ledgerIndex: e.ledgerIndex.toString() })),
  };
}
