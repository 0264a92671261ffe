import { Inject, Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.ts';
import { DATABASE, type Database } from '../database/database.ts';
import type { TransactionClient as Client } from '../ledger/ledger.module.ts';

const contractInclude = {
  parties: true,
  versions: { include: { approvals: true }, orderBy: { revision: 'asc' } },
} as const satisfies Prisma.ContractInclude;
export type ContractRow = Prisma.ContractGetPayload<{ include: typeof contractInclude }>;

const orderInclude = { payment: true, contract: { select: { contractorId: true, logName: true } } } as const satisfies Prisma.RepairOrderInclude;
export type OrderRow = Prisma.RepairOrderGetPayload<{ include: typeof orderInclude }>;
export type PaymentRow = Prisma.ContractPaymentGetPayload<object>;
export type EventRow = Prisma.ContractEventGetPayload<object>;

/** Contracts, their versions, approvals and event history, repair orders, payments and payment runs. */
@Injectable()
export class ContractsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  // ---- contracts

  findContract(id: string, tx: Client = this.#db): Promise<ContractRow | null> {
    return tx.contract.findUnique({ where: { id }, include: contractInclude });
  }

  contractsOf(organisationId: string): Promise<ContractRow[]> {
    return this.#db.contract.findMany({
      where: { parties: { some: { organisationId } } },
      include: contractInclude,
      orderBy: { createdAt: 'asc' },
    });
  }

  /** For each of these associations that is a party to an agreed contract, its most recently agreed one's id. */
  async latestAgreedContracts(associationIds: string[]): Promise<Map<string, string>> {
    const parties = await this.#db.contractParty.findMany({
      where: { organisationId: { in: associationIds }, party: 'association', contract: { agreedRevision: { not: null } } },
      include: { contract: { select: { versions: { where: { revision: 1 }, select: { agreedAt: true } } } } },
    });
    const agreedAt = (p: (typeof parties)[number]) => p.contract.versions[0]?.agreedAt?.getTime() ?? 0;
    const latest = new Map<string, (typeof parties)[number]>();
    for (const party of parties) {
      const current = latest.get(party.organisationId);
      if (!current || agreedAt(party) > agreedAt(current)) latest.set(party.organisationId, party);
    }
    return new Map([...latest].map(([associationId, party]) => [associationId, party.contractId]));
  }

  async insertContract(
    tx: Client,
    contract: { id: string; title: string; contractorId: string; hostId: string; logName: string },
    parties: { organisationId: string; party: 'contractor' | 'association' }[],
    firstVersion: { terms: Prisma.InputJsonValue; termsHash: string },
  ): Promise<void> {
    await tx.contract.create({ data: contract });
    await tx.contractParty.createMany({ data: parties.map((p) => ({ contractId: contract.id, ...p })) });
    await tx.contractVersion.create({ data: { contractId: contract.id, revision: 1, ...firstVersion } });
  }

  async firstTerms(tx: Client = this.#db, contractId: string): Promise<unknown> {
    return (await tx.contractVersion.findUniqueOrThrow({ where: { contractId_revision: { contractId, revision: 1 } } })).terms;
  }

  /** A proposed amendment nobody can now agree (or that a new proposal replaces) goes, with its approvals. */
  async deleteProposedVersion(tx: Client, contractId: string, revision: number): Promise<void> {
    await tx.contractVersion.deleteMany({ where: { contractId, revision, status: 'proposed' } });
  }

  async insertVersion(
    tx: Client,
    version: { contractId: string; revision: number; terms: Prisma.InputJsonValue; termsHash: string; effectiveAt: Date },
  ): Promise<void> {
    await tx.contractVersion.create({ data: version });
  }

  /**
   * Locks the contract's row for the rest of `tx`: every change of a contract and of its orders takes
   * it, so two requests (even on two API instances) never interleave their checks and writes.
   */
  async lockContract(tx: Client, id: string): Promise<{ agreedRevision: number | null } | undefined> {
    const rows = await tx.$queryRaw<{ agreed_revision: number | null }[]>`SELECT agreed_revision FROM contract WHERE id = ${id} FOR UPDATE`;
    const row = rows[0];
    return row && { agreedRevision: row.agreed_revision };
  }

  /**
   * Takes the contract's next event instant under its row lock, in one statement: `now`, or a
   * millisecond after its previous event if that is later (contracts.md §3.3). Locks the row for the
   * rest of `tx` like lockContract; undefined when there is no such contract.
   */
  async advanceClock(tx: Client, id: string, now: Date): Promise<Date | undefined> {
    const rows = await tx.$queryRaw<{ last_event_at: Date }[]>`
      UPDATE contract SET last_event_at = GREATEST(${now}::timestamptz, last_event_at + interval '1 millisecond')
      WHERE id = ${id} RETURNING last_event_at`;
    return rows[0]?.last_event_at;
  }

  async insertApproval(
    tx: Client,
    approval: {
      contractId: string;
      revision: number;
      organisationId: string;
      party: string;
      memberId: string;
      memberPseudonym: string;
      approvedAt: Date;
      credentialIdHash: string;
      assertion: { clientDataJSON: string; authenticatorData: string; signature: string };
    },
  ): Promise<void> {
    await tx.contractApproval.create({ data: approval });
  }

  async markAgreed(tx: Client, contractId: string, revision: number, agreedIndex: bigint, agreedAt: Date): Promise<void> {
    await tx.contractVersion.update({
      where: { contractId_revision: { contractId, revision } },
      data: { status: 'agreed', agreedIndex, agreedAt },
    });
    await tx.contract.update({ where: { id: contractId }, data: { agreedRevision: revision } });
  }

  // ---- the event history the evaluator reads

  /** `event` is an event of docs/protocol/contracts.md §3 as its entry carries it (plain JSON). */
  async insertEvent(tx: Client, row: { contractId: string; ledgerIndex: bigint; orderId: string | null; type: string; event: object }) {
    await tx.contractEvent.create({ data: { ...row, event: row.event as Prisma.InputJsonValue } });
  }

  /** In log order: every event of the contract, or only one order's and the amendments (enough for its lifecycle and deadlines). */
  history(tx: Client = this.#db, contractId: string, orderId?: string): Promise<EventRow[]> {
    const where = orderId === undefined ? { contractId } : { contractId, OR: [{ orderId }, { type: 'terms-amended' }] };
    return tx.contractEvent.findMany({ where, orderBy: { ledgerIndex: 'asc' } });
  }

  historyOfOrders(orderIds: string[]): Promise<EventRow[]> {
    return this.#db.contractEvent.findMany({ where: { orderId: { in: orderIds } }, orderBy: { ledgerIndex: 'asc' } });
  }

  // ---- orders

  insertOrder(tx: Client, order: Prisma.RepairOrderUncheckedCreateInput): Promise<Prisma.RepairOrderGetPayload<object>> {
    return tx.repairOrder.create({ data: order });
  }

  /** What a step needs to know of an order before its transaction: whose it is and which log it goes in. One query. */
  async orderRoute(id: string): Promise<{ contractId: string; associationId: string; contractorId: string; logName: string } | undefined> {
    const rows = await this.#db.$queryRaw<{ contract_id: string; association_id: string; contractor_id: string; log_name: string }[]>`
      SELECT o.contract_id, o.association_id::text, c.contractor_id::text, c.log_name
      FROM repair_order o JOIN contract c ON c.id = o.contract_id WHERE o.id = ${id}::uuid`;
    const row = rows[0];
    return row && { contractId: row.contract_id, associationId: row.association_id, contractorId: row.contractor_id, logName: row.log_name };
  }

  findOrder(id: string, tx: Client = this.#db): Promise<OrderRow | null> {
    return tx.repairOrder.findUnique({ where: { id }, include: orderInclude });
  }

  /** Locks the order's row for the rest of `tx` and reads its state as it is now. */
  async lockOrder(tx: Client, id: string): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ state: string }[]>`SELECT state FROM repair_order WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0]?.state;
  }

  /** Returns the order's row as it is after the change. */
  updateOrder(tx: Client, id: string, data: Prisma.RepairOrderUncheckedUpdateInput): Promise<Prisma.RepairOrderGetPayload<object>> {
    return tx.repairOrder.update({ where: { id }, data });
  }

  ordersWhere(where: Prisma.RepairOrderWhereInput): Promise<OrderRow[]> {
    return this.#db.repairOrder.findMany({ where, include: orderInclude, orderBy: [{ raisedAt: 'asc' }, { id: 'asc' }] });
  }

  // ---- payments and runs

  insertPayment(tx: Client, payment: Prisma.ContractPaymentUncheckedCreateInput): Promise<PaymentRow> {
    return tx.contractPayment.create({ data: payment });
  }

  findPayment(tx: Client, orderId: string): Promise<PaymentRow | null> {
    return tx.contractPayment.findUnique({ where: { orderId } });
  }

  /** The association's confirmed payments under the contract that no run has paid, oldest first, locked. */
  async lockUnpaid(tx: Client, contractId: string, associationId: string, limit: number): Promise<PaymentRow[]> {
    const ids = await tx.$queryRaw<{ order_id: string }[]>`
      SELECT order_id FROM contract_payment
      WHERE contract_id = ${contractId} AND association_id = ${associationId}::uuid AND payment_run_id IS NULL
      ORDER BY computed_index LIMIT ${limit} FOR UPDATE`;
    if (ids.length === 0) return [];
    return tx.contractPayment.findMany({ where: { orderId: { in: ids.map((r) => r.order_id) } }, orderBy: { computedIndex: 'asc' } });
  }

  async insertRun(
    tx: Client,
    run: Omit<Prisma.PaymentRunUncheckedCreateInput, 'payments' | 'createdAt'>,
    orderIds: string[],
  ): Promise<void> {
    await tx.paymentRun.create({ data: run });
    await tx.contractPayment.updateMany({ where: { orderId: { in: orderIds }, paymentRunId: null }, data: { paymentRunId: run.id } });
  }

  runsOf(associationId: string) {
    return this.#db.paymentRun.findMany({
      where: { associationId },
      omit: { bankFile: true },
      include: { payments: { orderBy: { computedIndex: 'asc' } } },
      orderBy: { ledgerIndex: 'asc' },
    });
  }

  /** Every payment run under the contract, each with its payments, in ledger order. */
  runsOfContract(contractId: string) {
    return this.#db.paymentRun.findMany({
      where: { contractId },
      omit: { bankFile: true },
      include: { payments: { orderBy: { computedIndex: 'asc' } } },
      orderBy: { ledgerIndex: 'asc' },
    });
  }

  /**
   * Keeps a run's bank file, unless one was kept first (two first downloads at once); returns the
   * file that is kept, so every download serves the same one.
   */
  async keepBankFile(runId: string, xml: string, madeAt: Date): Promise<string> {
    await this.#db.paymentRun.updateMany({ where: { id: runId, bankFile: null }, data: { bankFile: xml, bankFileMadeAt: madeAt } });
    const kept = await this.#db.paymentRun.findUnique({ where: { id: runId }, select: { bankFile: true } });
    return kept!.bankFile!;
  }

  findRun(associationId: string, id: string) {
    return this.#db.paymentRun.findFirst({
      where: { id, associationId },
      include: { payments: { orderBy: { computedIndex: 'asc' } }, contract: { select: { contractorId: true, hostId: true } } },
    });
  }
}
