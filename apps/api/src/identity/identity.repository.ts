import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { TransactionClient } from '../ledger/ledger.module.ts';

export type Client = TransactionClient;

export interface NewPasskey {
  credentialId: Uint8Array;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  owner: AccountOwner;
}

/** Whose a passkey or session is: a resident (elector), a staff member or a person (docs/organisations.md). */
export type AccountOwner = { electorId: string } | { staffId: string } | { personId: string };
type NewSession = { idHash: Uint8Array; passkeyId: string | null; expiresAt: Date } & Partial<Record<'electorId' | 'staffId' | 'personId', string>>;

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

export interface LiveSession {
  idHash: Uint8Array;
  electorId: string | null;
  passkeyId: string | null;
  expiresAt: Date;
  person: { id: string; displayName: string } | null;
  /** The resident's or person's memberships not revoked, with their organisation's status. */
  memberships: { organisationId: string; memberId: string; roles: string[]; organisationStatus: string }[];
  staff: { id: string; displayName: string; roles: { role: string; electionId: string | null }[]; officialOf: string[] } | null;
}

/** Every query of sessions, passkeys, challenges, activation codes and throttles. */
@Injectable()
export class IdentityRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  transaction<T>(work: (tx: Client) => Promise<T>): Promise<T> {
    return this.database.prisma.$transaction(work, { maxWait: 20_000, timeout: 60_000 });
  }

  // ---- sessions

  async insertSession(tx: Client, session: NewSession) {
    await tx.session.create({ data: { ...session, idHash: bytes(session.idHash) } });
  }

  /** The live session with this id hash, and for a staff session its member and roles: one query (every signed-in request runs it). */
  async findLiveSession(idHash: Uint8Array, now: Date): Promise<LiveSession | undefined> {
    const rows = await this.#db.$queryRaw<
      {
        id_hash: Uint8Array;
        elector_id: string | null;
        staff_id: string | null;
        passkey_id: string | null;
        expires_at: Date;
        display_name: string | null;
        roles: { role: string; electionId: string | null }[] | string | null;
        official_of: string[] | string | null;
        person_id: string | null;
        person_name: string | null;
        memberships: LiveSession['memberships'] | string | null;
      }[]
    >`
      SELECT s.id_hash, s.elector_id, s.staff_id, s.passkey_id, s.expires_at, m.display_name,
        (SELECT json_agg(json_build_object('role', r.role, 'electionId', r.election_id) ORDER BY r.created_at, r.id) FROM staff_role r WHERE r.staff_id = s.staff_id) AS roles,
        (SELECT json_agg(o.election_id) FROM election_official o WHERE o.staff_id = s.staff_id) AS official_of,
        s.person_id, p.display_name AS person_name,
        (SELECT json_agg(json_build_object(
             'organisationId', om.organisation_id, 'memberId', om.id, 'roles', om.roles, 'organisationStatus', org.status))
           FROM organisation_member om JOIN organisation org ON org.id = om.organisation_id
           WHERE om.revoked_at IS NULL AND (om.elector_id = s.elector_id OR om.person_id = s.person_id)) AS memberships
      FROM session s LEFT JOIN staff_member m ON m.id = s.staff_id LEFT JOIN person p ON p.id = s.person_id
      WHERE s.id_hash = ${bytes(idHash)} AND s.expires_at > ${now}`;
    const row = rows[0];
    if (!row) return undefined;
    const roles = typeof row.roles === 'string' ? (JSON.parse(row.roles) as { role: string; electionId: string | null }[]) : (row.roles ?? []);
    const officialOf = typeof row.official_of === 'string' ? (JSON.parse(row.official_of) as string[]) : (row.official_of ?? []);
    const memberships =
      typeof row.memberships === 'string' ? (JSON.parse(row.memberships) as LiveSession['memberships']) : (row.memberships ?? []);
    return {
      idHash: bytes(row.id_hash),
      electorId: row.elector_id,
      passkeyId: row.passkey_id,
      expiresAt: new Date(row.expires_at),
      person: row.person_id === null ? null : { id: row.person_id, displayName: row.person_name ?? '' },
      memberships,
      staff: row.staff_id === null ? null : { id: row.staff_id, displayName: row.display_name ?? '', roles, officialOf },
    };
  }

  async deleteSession(idHash: Uint8Array): Promise<void> {
    await this.#db.session.deleteMany({ where: { idHash: bytes(idHash) } });
  }

  async deleteSessionsOf(tx: Client, owner: AccountOwner): Promise<void> {
    await tx.session.deleteMany({ where: owner });
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.#db.session.deleteMany({ where: { expiresAt: { lte: now } } });
    await this.#db.webauthnChallenge.deleteMany({ where: { expiresAt: { lte: now } } });
  }

  // ---- challenges

  async insertChallenge(challenge: {
    challenge: string;
    purpose: string;
    bindingHash: Uint8Array;
    expiresAt: Date;
    electorId?: string;
    staffId?: string;
    invitationId?: string;
    codeHash?: Uint8Array;
  }): Promise<void> {
    await this.#db.webauthnChallenge.create({
      data: { ...challenge, bindingHash: bytes(challenge.bindingHash), codeHash: challenge.codeHash ? bytes(challenge.codeHash) : null },
    });
  }

  /** Deletes and returns the challenge: of two concurrent consumers only one gets it. */
  async consumeChallenge(challenge: string) {
    try {
      return await this.#db.webauthnChallenge.delete({ where: { challenge } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return undefined;
      throw error;
    }
  }

  // ---- passkeys

  /** Inserts a passkey; undefined when that credential id is registered already. */
  async insertPasskey(tx: Client, passkey: NewPasskey): Promise<{ id: string } | undefined> {
    try {
      return await tx.passkey.create({
        data: {
          credentialId: bytes(passkey.credentialId),
          publicKey: bytes(passkey.publicKey),
          counter: BigInt(passkey.counter),
          transports: passkey.transports,
          ...passkey.owner,
        },
        select: { id: true },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return undefined;
      throw error;
    }
  }

  findPasskeyByCredentialId(credentialId: Uint8Array) {
    return this.#db.passkey.findUnique({
      where: { credentialId: bytes(credentialId) },
      include: { elector: { select: { id: true } }, staff: { select: { id: true } }, person: { select: { id: true } } },
    });
  }

  passkeysOf(owner: AccountOwner) {
    return this.#db.passkey.findMany({ where: owner, orderBy: { createdAt: 'asc' } });
  }

  async recordSignIn(passkeyId: string, counter: number, at: Date): Promise<void> {
    await this.#db.passkey.update({ where: { id: passkeyId }, data: { counter: BigInt(counter), lastUsedAt: at } });
  }

  /**
   * A possible clone (a signature counter that did not increase): the passkey is suspended and every
   * session of its owner ends, in one transaction, so whoever holds the copy is signed out too.
   */
  async suspendPasskey(passkeyId: string, at: Date): Promise<void> {
    await this.#db.$transaction([
      this.#db.passkey.updateMany({ where: { id: passkeyId, suspendedAt: null }, data: { suspendedAt: at } }),
      this.#db.$executeRaw`
        DELETE FROM session s USING passkey k
        WHERE k.id = ${passkeyId}::uuid AND ((k.elector_id IS NOT NULL AND s.elector_id = k.elector_id)
          OR (k.staff_id IS NOT NULL AND s.staff_id = k.staff_id) OR (k.person_id IS NOT NULL AND s.person_id = k.person_id))`,
    ]);
  }

  /** Written inside the append's transaction with the index the ledger announced, so no crash can leave it unset. */
  async setEnrolledIndex(tx: Client, passkeyId: string, index: bigint): Promise<void> {
    await tx.passkey.update({ where: { id: passkeyId }, data: { enrolledIndex: index } });
  }

  /** The PasskeyRevoked entries are appended in the order of `passkeyIds`, from `firstIndex` on. */
  async setRevokedIndex(tx: Client, passkeyIds: readonly string[], firstIndex: bigint): Promise<void> {
    for (const [i, id] of passkeyIds.entries()) await tx.passkey.updateMany({ where: { id }, data: { revokedIndex: firstIndex + BigInt(i) } });
  }

  /** Revokes the live passkeys of electors; returns what was revoked (for PasskeyRevoked entries). */
  async revokePasskeysOf(tx: Client, electorIds: string[], at: Date) {
    if (electorIds.length === 0) return [];
    const live = await tx.passkey.findMany({
      where: { electorId: { in: electorIds }, revokedAt: null },
      select: { id: true, credentialId: true, elector: { select: { electorNumber: true } } },
      orderBy: { createdAt: 'asc' },
    });
    if (live.length > 0) await tx.passkey.updateMany({ where: { id: { in: live.map((p) => p.id) } }, data: { revokedAt: at } });
    return live.map((p) => ({ id: p.id, credentialId: p.credentialId, electorNumber: p.elector!.electorNumber }));
  }

  // ---- electors and activation codes

  findElectorForAccount(electorId: string) {
    return this.#db.elector.findUnique({ where: { id: electorId }, include: { district: { select: { code: true } } } });
  }

  findActivationCode(codeHash: Uint8Array) {
    return this.#db.activationCode.findUnique({
      where: { codeHash: bytes(codeHash) },
      include: { elector: { include: { district: { select: { code: true } } } } },
    });
  }

  /** Marks the code used if it is still the elector's live, unused code; false otherwise. */
  async useActivationCode(tx: Client, electorId: string, codeHash: Uint8Array, at: Date): Promise<boolean> {
    const { count } = await tx.activationCode.updateMany({ where: { electorId, codeHash: bytes(codeHash), usedAt: null }, data: { usedAt: at } });
    return count === 1;
  }

  /** Registry-log index of the RollCommitted entry of the roll as it stands now. */
  async latestRollCommitIndex(councilId: string): Promise<bigint | null> {
    const latest = await this.#db.rollImport.findFirst({ where: { councilId, status: 'applied' }, orderBy: { appliedAt: 'desc' }, select: { ledgerIndex: true } });
    return latest?.ledgerIndex ?? null;
  }

  // ---- throttles (activation-code guessing)

  findThrottle(key: string) {
    return this.#db.authThrottle.findUnique({ where: { key } });
  }

  async resetThrottle(key: string): Promise<void> {
    await this.#db.authThrottle.deleteMany({ where: { key } });
  }

  /**
   * Counts one failure in a fixed window and locks the key when `limit` is reached; one statement,
   * so concurrent failures are all counted.
   */
  async recordFailure(key: string, now: Date, windowMs: number, limit: number, lockMs: number) {
    const rows = await this.#db.$queryRaw<{ failures: number; locked_until: Date | null }[]>`
      INSERT INTO auth_throttle (key, failures, window_started_at, locked_until) VALUES (${key}, 1, ${now}, ${limit <= 1 ? new Date(now.getTime() + lockMs) : null})
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN auth_throttle.window_started_at <= ${new Date(now.getTime() - windowMs)} THEN 1 ELSE auth_throttle.failures + 1 END,
        window_started_at = CASE WHEN auth_throttle.window_started_at <= ${new Date(now.getTime() - windowMs)} THEN ${now} ELSE auth_throttle.window_started_at END,
        locked_until = CASE
          WHEN auth_throttle.window_started_at > ${new Date(now.getTime() - windowMs)} AND auth_throttle.failures + 1 >= ${limit} THEN ${new Date(now.getTime() + lockMs)}
          ELSE auth_throttle.locked_until END
      RETURNING failures, locked_until`;
    return rows[0]!;
  }
}
