import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';
import type { TransactionClient as Client } from '../ledger/ledger.module.ts';

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

/** Appointments, representatives' appointment codes and the record of each use. */
@Injectable()
export class AppointmentsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  /** A new code replaces the representative's earlier ones. */
  async replaceAppointmentCode(electorId: string, codeHash: Uint8Array, expiresAt: Date): Promise<void> {
    await this.#db.$transaction([
      this.#db.appointmentCode.deleteMany({ where: { OR: [{ electorId }, { expiresAt: { lte: new Date() } }] } }),
      this.#db.appointmentCode.create({ data: { electorId, codeHash: bytes(codeHash), expiresAt } }),
    ]);
  }

  /** Uses the code up (single use); the representative's elector id, or undefined for an unknown or expired code. */
  async consumeAppointmentCode(tx: Client, codeHash: Uint8Array, now: Date): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ elector_id: string }[]>`
      DELETE FROM appointment_code WHERE code_hash = ${bytes(codeHash)} AND expires_at > ${now} RETURNING elector_id`;
    return rows[0]?.elector_id;
  }

  findElector(electorId: string) {
    return this.#db.elector.findUnique({ where: { id: electorId }, select: { id: true, givenName: true } });
  }

  findElectorByNumber(electorNumber: string) {
    return this.#db.elector.findFirst({ where: { electorNumber }, select: { id: true, givenName: true } });
  }

  async insertAppointment(
    tx: Client,
    appointment: {
      id: string;
      appointerId: string;
      representativeId: string;
      purposes: string[];
      endsOn: Date;
      basis: string;
      documentReference: string | null;
      recordedByStaffId: string | null;
      madeIndex: bigint;
    },
  ) {
    return tx.appointment.create({ data: appointment, include: { appointer: true, representative: true, uses: true } });
  }

  /** Appointments between the two not yet ended (they may have passed their end date). */
  openBetween(tx: Client, appointerId: string, representativeId: string) {
    return tx.appointment.findMany({ where: { appointerId, representativeId, endedAt: null } });
  }

  /** Every appointment from `appointerId` to `representativeId`, newest first. */
  between(appointerId: string, representativeId: string) {
    return this.#db.appointment.findMany({ where: { appointerId, representativeId }, orderBy: { madeAt: 'desc' } });
  }

  async lockAppointment(tx: Client, id: string) {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM appointment WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) return undefined;
    return (await tx.appointment.findUnique({ where: { id } })) ?? undefined;
  }

  accept(tx: Client, id: string, acceptedIndex: bigint) {
    return tx.appointment.update({
      where: { id },
      data: { acceptedAt: new Date(), acceptedIndex },
      include: { appointer: true, representative: true, uses: true },
    });
  }

  end(tx: Client, id: string, endedBy: string, endedIndex: bigint) {
    return tx.appointment.update({
      where: { id },
      data: { endedAt: new Date(), endedIndex, endedBy },
      include: { appointer: true, representative: true, uses: true },
    });
  }

  appointmentsOf(electorId: string) {
    return this.#db.appointment.findMany({
      where: { OR: [{ appointerId: electorId }, { representativeId: electorId }] },
      include: { appointer: true, representative: true, uses: { orderBy: { actedAt: 'desc' }, take: 50 } },
      orderBy: [{ madeAt: 'desc' }, { id: 'asc' }],
    });
  }

  async recordUse(use: {
    id: string;
    appointmentId: string;
    actorId: string;
    forId: string;
    purpose: string;
    action: string;
  }): Promise<void> {
    await this.#db.actingRecord.create({ data: use });
  }
}
