import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';
import type { TransactionClient as Client } from '../ledger/ledger.module.ts';
import type { AccountRef } from './organisation-keys.ts';

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);
const ownerOf = (account: AccountRef) => (account.kind === 'elector' ? { electorId: account.id } : { personId: account.id });

export interface OrganisationRow {
  id: string;
  kind: string;
  legalName: string;
  companyNumber: string | null;
  charityNumber: string | null;
  address: string;
  status: string;
  registeredIndex: bigint;
  createdAt: Date;
}

/** Organisations, their status history, people, members, invitations and membership codes. */
@Injectable()
export class OrganisationsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  // ---- organisations

  async insertOrganisation(tx: Client, organisation: Omit<OrganisationRow, 'createdAt' | 'status'>): Promise<OrganisationRow> {
    return tx.organisation.create({ data: organisation });
  }

  findOrganisation(id: string): Promise<OrganisationRow | null> {
    return this.#db.organisation.findUnique({ where: { id } });
  }

  /** Locks the organisation's row for the rest of `tx`: status changes and membership changes of one organisation queue. */
  async lockOrganisation(tx: Client, id: string): Promise<OrganisationRow | undefined> {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM organisation WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) return undefined;
    return (await tx.organisation.findUnique({ where: { id } })) ?? undefined;
  }

  findOrganisations(ids: readonly string[]): Promise<OrganisationRow[]> {
    return this.#db.organisation.findMany({ where: { id: { in: [...ids] } } });
  }

  async findByNumber(numbers: { companyNumber: string | null; charityNumber: string | null }): Promise<OrganisationRow | null> {
    const or = [
      ...(numbers.companyNumber ? [{ companyNumber: numbers.companyNumber }] : []),
      ...(numbers.charityNumber ? [{ charityNumber: numbers.charityNumber }] : []),
    ];
    return or.length === 0 ? null : this.#db.organisation.findFirst({ where: { OR: or } });
  }

  listOrganisations(): Promise<OrganisationRow[]> {
    return this.#db.organisation.findMany({ orderBy: [{ legalName: 'asc' }, { id: 'asc' }] });
  }

  async setStatus(tx: Client, id: string, status: string, change: { id: string; ledgerIndex: bigint }): Promise<OrganisationRow> {
    await tx.organisationStatusChange.create({ data: { id: change.id, organisationId: id, status, ledgerIndex: change.ledgerIndex } });
    return tx.organisation.update({ where: { id }, data: { status } });
  }

  statusHistory(organisationId: string) {
    return this.#db.organisationStatusChange.findMany({ where: { organisationId }, orderBy: { ledgerIndex: 'asc' } });
  }

  /** Current (not removed) members per organisation. */
  async memberCounts(organisationIds: string[]): Promise<Map<string, number>> {
    const groups = await this.#db.organisationMember.groupBy({
      by: ['organisationId'],
      where: { organisationId: { in: organisationIds }, revokedAt: null },
      _count: { _all: true },
    });
    return new Map(groups.map((g) => [g.organisationId, g._count._all]));
  }

  // ---- people and members

  async insertPerson(tx: Client, person: { id: string; displayName: string }): Promise<void> {
    await tx.person.create({ data: person });
  }

  async insertMember(
    tx: Client,
    member: { id: string; organisationId: string; account: AccountRef; displayName: string; roles: string[]; grantedIndex: bigint },
  ) {
    const { account, ...rest } = member;
    return tx.organisationMember.create({ data: { ...rest, ...ownerOf(account) } });
  }

  /** The account's membership of the organisation that has not been removed, if any. */
  findCurrentMembership(tx: Client, organisationId: string, account: AccountRef) {
    return tx.organisationMember.findFirst({ where: { organisationId, revokedAt: null, ...ownerOf(account) } });
  }

  findCurrentMember(tx: Client, organisationId: string, memberId: string) {
    return tx.organisationMember.findFirst({ where: { id: memberId, organisationId, revokedAt: null } });
  }

  listCurrentMembers(organisationId: string) {
    return this.#db.organisationMember.findMany({
      where: { organisationId, revokedAt: null },
      orderBy: [{ grantedAt: 'asc' }, { id: 'asc' }],
    });
  }

  async countAdministrators(tx: Client, organisationId: string, role: string): Promise<number> {
    return tx.organisationMember.count({ where: { organisationId, revokedAt: null, roles: { has: role } } });
  }

  setRoles(tx: Client, memberId: string, roles: string[], grantedIndex: bigint) {
    return tx.organisationMember.update({ where: { id: memberId }, data: { roles, grantedIndex, grantedAt: new Date() } });
  }

  async revokeMember(tx: Client, memberId: string, revokedIndex: bigint): Promise<void> {
    await tx.organisationMember.update({ where: { id: memberId }, data: { revokedAt: new Date(), revokedIndex } });
    await tx.membershipCode.deleteMany({ where: { memberId } });
  }

  signingPasskeysOfMembers(memberIds: string[]) {
    return this.#db.memberPasskey.findMany({ where: { memberId: { in: memberIds } }, orderBy: { boundIndex: 'asc' } });
  }

  signingPasskeysOf(memberId: string) {
    return this.#db.memberPasskey.findMany({ where: { memberId }, orderBy: { boundIndex: 'asc' } });
  }

  /** Stores a member's signing passkey with the index of its MemberPasskeyBound entry; false when that credential is registered already. */
  async insertSigningPasskey(
    tx: Client,
    passkey: { id: string; memberId: string; credentialId: Uint8Array; publicKey: Uint8Array; counter: number; boundIndex: bigint; boundAt: Date },
  ): Promise<boolean> {
    const { credentialId, publicKey, counter, ...rest } = passkey;
    const data = { ...rest, credentialId: bytes(credentialId), publicKey: bytes(publicKey), counter: BigInt(counter) };
    return (await tx.memberPasskey.createMany({ data: [data], skipDuplicates: true })).count === 1;
  }

  async recordSigningPasskeyUse(id: string, counter: number): Promise<void> {
    await this.#db.memberPasskey.update({ where: { id }, data: { counter: BigInt(counter) } });
  }

  membershipsOf(account: AccountRef) {
    return this.#db.organisationMember.findMany({
      where: { revokedAt: null, ...ownerOf(account) },
      include: { organisation: true },
      orderBy: [{ grantedAt: 'asc' }, { id: 'asc' }],
    });
  }

  // ---- invitations

  async insertInvitation(invitation: {
    id: string;
    organisationId: string;
    tokenHash: Uint8Array;
    displayName: string;
    roles: string[];
    createdByStaffId: string | null;
    createdByMemberId: string | null;
    expiresAt: Date;
  }) {
    return this.#db.organisationInvitation.create({ data: { ...invitation, tokenHash: bytes(invitation.tokenHash) } });
  }

  findOpenInvitation(tokenHash: Uint8Array, now: Date) {
    return this.#db.organisationInvitation.findFirst({
      where: { tokenHash: bytes(tokenHash), acceptedAt: null, expiresAt: { gt: now } },
      include: { organisation: true },
    });
  }

  /** Marks the invitation accepted if it is still open; false if someone was first or it expired. */
  async acceptInvitation(tx: Client, invitationId: string, memberId: string, now: Date): Promise<boolean> {
    const { count } = await tx.organisationInvitation.updateMany({
      where: { id: invitationId, acceptedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, memberId },
    });
    return count === 1;
  }

  // ---- bank accounts for payments (never in a ledger)

  findBankAccount(organisationId: string) {
    return this.#db.organisationBankAccount.findUnique({ where: { organisationId } });
  }

  findBankAccounts(organisationIds: readonly string[]) {
    return this.#db.organisationBankAccount.findMany({ where: { organisationId: { in: [...organisationIds] } } });
  }

  upsertBankAccount(account: {
    organisationId: string;
    accountName: string;
    sortCode: string;
    accountNumber: string;
    iban: string | null;
    bic: string | null;
    updatedByMemberId: string;
  }) {
    const { organisationId, ...fields } = account;
    const data = { ...fields, updatedAt: new Date() };
    return this.#db.organisationBankAccount.upsert({ where: { organisationId }, create: { organisationId, ...data }, update: data });
  }

  findMember(memberId: string) {
    return this.#db.organisationMember.findUnique({ where: { id: memberId } });
  }

  // ---- membership codes

  async insertMembershipCode(code: { codeHash: Uint8Array; memberId: string; expiresAt: Date }): Promise<void> {
    await this.#db.membershipCode.deleteMany({ where: { expiresAt: { lte: new Date() } } });
    await this.#db.membershipCode.create({ data: { ...code, codeHash: bytes(code.codeHash) } });
  }

  /** The live code's membership, if the member is still current. */
  findLiveMembershipCode(codeHash: Uint8Array, now: Date) {
    return this.#db.membershipCode.findFirst({
      where: { codeHash: bytes(codeHash), expiresAt: { gt: now }, member: { revokedAt: null } },
      include: { member: { include: { organisation: true } } },
    });
  }
}
