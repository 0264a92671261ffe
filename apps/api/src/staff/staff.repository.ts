import type { StaffActionName } from '@townhall/protocol';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Client } from '../identity/identity.repository.ts';

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Staff members, their roles, invitations and the staff-action audit trail. */
@Injectable()
export class StaffRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  async recordAction(action: { staffId: string | null; action: StaffActionName; target: string | null; detail: Record<string, unknown> }, tx?: Client): Promise<void> {
    await (tx ?? this.#db).staffAction.create({ data: { ...action, detail: action.detail as Prisma.InputJsonValue } });
  }

  async listActions(skip: number, take: number) {
    const [total, actions] = await Promise.all([
      this.#db.staffAction.count(),
      this.#db.staffAction.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take, include: { staff: { select: { displayName: true } } } }),
    ]);
    return { total, actions };
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.#db.staffRole.count({ where: { role: 'admin' } })) > 0;
  }

  /** `staffId` set: the invitation adds a passkey to that existing staff member instead of creating one. */
  async insertInvitation(invitation: {
    tokenHash: Uint8Array;
    role: string;
    electionId: string | null;
    displayName: string;
    createdById: string | null;
    expiresAt: Date;
    staffId?: string | null;
  }) {
    return this.#db.staffInvitation.create({ data: { ...invitation, tokenHash: bytes(invitation.tokenHash) }, select: { id: true, expiresAt: true } });
  }

  /** Ends the open invitations that would add a passkey to `staffId` (a newer link replaces them). */
  async expireOpenInvitationsFor(staffId: string, now: Date): Promise<number> {
    const { count } = await this.#db.staffInvitation.updateMany({ where: { staffId, acceptedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    return count;
  }

  findOpenInvitation(tokenHash: Uint8Array, now: Date) {
    return this.#db.staffInvitation.findFirst({ where: { tokenHash: bytes(tokenHash), acceptedAt: null, expiresAt: { gt: now } } });
  }

  /** Marks the invitation accepted by `staffId` if it is still open; false if someone was first. */
  async acceptInvitation(tx: Client, invitationId: string, staffId: string, now: Date): Promise<boolean> {
    const { count } = await tx.staffInvitation.updateMany({ where: { id: invitationId, acceptedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now, staffId } });
    return count === 1;
  }

  findInvitationById(id: string) {
    return this.#db.staffInvitation.findUnique({ where: { id } });
  }

  /** Separation of duties: `staffId` ran `electionId` (decision 0004); an unknown election records nothing. */
  async recordElectionOfficial(staffId: string, electionId: string): Promise<void> {
    if (!UUID.test(electionId)) return;
    await this.#db.$executeRaw`
      INSERT INTO election_official (election_id, staff_id)
      SELECT id, ${staffId}::uuid FROM election WHERE id = ${electionId}::uuid
      ON CONFLICT DO NOTHING`;
  }

  async insertStaffMember(tx: Client, member: { id: string; displayName: string; role: string; electionId: string | null }): Promise<void> {
    await tx.staffMember.create({
      data: { id: member.id, displayName: member.displayName, roles: { create: [{ role: member.role, electionId: member.electionId }] } },
    });
  }

  /** The election's status, or null when there is no such election. */
  async findElectionStatus(electionId: string): Promise<string | null> {
    return (await this.#db.election.findUnique({ where: { id: electionId }, select: { status: true } }))?.status ?? null;
  }

  /** Staff holding the trustee role of `electionId`, in the order they joined (the order that gives trustee indices). */
  listElectionTrustees(electionId: string) {
    return this.#db.staffMember.findMany({
      where: { roles: { some: { role: 'trustee', electionId } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: { roles: { orderBy: { createdAt: 'asc' } }, passkeys: { where: { revokedAt: null, suspendedAt: null }, select: { id: true } } },
    });
  }

  listStaff() {
    return this.#db.staffMember.findMany({
      orderBy: { createdAt: 'asc' },
      include: { roles: { orderBy: { createdAt: 'asc' } }, passkeys: { where: { revokedAt: null, suspendedAt: null }, select: { id: true } } },
    });
  }
}
