import { Inject, Injectable } from '@nestjs/common';
import type { ElectionStatus } from '@townhall/protocol';
import { DATABASE, type Database } from '../database/database.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { electionLogName, type TransactionClient } from '../ledger/ledger.module.ts';

export type Client = TransactionClient;
const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);
const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export type ElectionRow = NonNullable<Awaited<ReturnType<ElectionsRepository['find']>>>;

/** Every query of the elections module (the only file here that touches Prisma). */
@Injectable()
export class ElectionsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  // ---- council and roll (read only)

  async currentCouncil() {
    return this.#db.council.findFirst({ orderBy: { createdAt: 'asc' }, include: { districts: true } });
  }

  /** Raw SQL: on the issuance path (see the note above the casting queries). */
  async elector(electorId: string): Promise<{ id: string; electorNumber: string; district: { code: string } } | undefined> {
    const rows = await this.#db.$queryRaw<{ id: string; elector_number: string; code: string }[]>`
      SELECT e.id, e.elector_number, d.code FROM elector e JOIN district d ON d.id = e.district_id WHERE e.id = ${electorId}::uuid`;
    const row = rows[0];
    return row && { id: row.id, electorNumber: row.elector_number, district: { code: row.code } };
  }

  async electorsPerDistrict(councilId: string) {
    const rows = await this.#db.district.findMany({ where: { councilId }, select: { code: true, _count: { select: { electors: true } } } });
    return rows.map((r) => ({ district: r.code, electors: r._count.electors }));
  }

  async staffMembers(ids: string[]) {
    return this.#db.staffMember.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  }

  async passkeysOfElector(electorId: string) {
    return this.#db.passkey.findMany({ where: { electorId, revokedAt: null, suspendedAt: null } });
  }

  /**
   * Issuance (raw SQL, one round trip): deletes and returns the nonce — of two concurrent consumers
   * only one gets it — together with its elector (number and district) and that elector's usable
   * passkey that has `credentialId`.
   */
  async consumeNonceWithPasskey(nonce: Uint8Array, credentialId: Uint8Array): Promise<
    | {
        electionId: string;
        elector: { id: string; electorNumber: string; district: { code: string } };
        expiresAt: Date;
        passkey: { id: string; credentialId: Uint8Array; publicKey: Uint8Array; counter: bigint } | undefined;
      }
    | undefined
  > {
    const rows = await this.#db.$queryRaw<
      {
        election_id: string;
        elector_id: string;
        elector_number: string;
        district: string;
        expires_at: Date;
        id: string | null;
        credential_id: Uint8Array | null;
        public_key: Uint8Array | null;
        counter: bigint | number | string | null;
      }[]
    >`
      WITH consumed AS (DELETE FROM credential_nonce WHERE nonce = ${bytes(nonce)} RETURNING election_id, elector_id, expires_at)
      SELECT c.election_id, c.elector_id, e.elector_number, d.code AS district, c.expires_at, p.id, p.credential_id, p.public_key, p.counter
      FROM consumed c
      JOIN elector e ON e.id = c.elector_id
      JOIN district d ON d.id = e.district_id
      LEFT JOIN passkey p ON p.credential_id = ${bytes(credentialId)} AND p.elector_id = c.elector_id AND p.revoked_at IS NULL AND p.suspended_at IS NULL`;
    const row = rows[0];
    if (!row) return undefined;
    const passkey = row.id === null ? undefined : { id: row.id, credentialId: bytes(row.credential_id!), publicKey: bytes(row.public_key!), counter: BigInt(row.counter!) };
    return {
      electionId: row.election_id,
      elector: { id: row.elector_id, electorNumber: row.elector_number, district: { code: row.district } },
      expiresAt: new Date(row.expires_at),
      passkey,
    };
  }

  // ---- elections

  find(id: string, tx: Client = this.#db) {
    return tx.election.findUnique({ where: { id } });
  }

  list(options: { includeDrafts: boolean }) {
    return this.#db.election.findMany({ where: options.includeDrafts ? {} : { status: { not: 'draft' } }, orderBy: { opensAt: 'desc' } });
  }

  async create(row: { id: string; councilId: string; title: string; draft: object; opensAt: Date; closesAt: Date }): Promise<void> {
    await this.#db.election.create({ data: { ...row, status: 'draft', draft: row.draft as Prisma.InputJsonValue } });
  }

  /** Conditional on the phase, so a concurrent transition makes this a no-op (false). */
  async updateDraft(id: string, row: { title: string; draft: object; opensAt: Date; closesAt: Date }): Promise<boolean> {
    const { count } = await this.#db.election.updateMany({
      where: { id, status: 'draft' },
      data: { ...row, draft: row.draft as Prisma.InputJsonValue, updatedAt: new Date() },
    });
    return count === 1;
  }

  /**
   * The transition itself: `UPDATE … WHERE status = from`, inside the append's transaction, so of two
   * API instances (or a click and the scheduler) only one moves the election and appends its entry.
   */
  async transition(tx: Client, id: string, from: ElectionStatus, to: ElectionStatus, data: Prisma.ElectionUpdateManyMutationInput = {}): Promise<boolean> {
    const { count } = await tx.election.updateMany({ where: { id, status: from }, data: { ...data, status: to, updatedAt: new Date() } });
    return count === 1;
  }

  async update(tx: Client, id: string, data: Prisma.ElectionUpdateManyMutationInput): Promise<void> {
    await tx.election.updateMany({ where: { id }, data });
  }

  /** Elections whose scheduled opening or closing time has come. */
  due(now: Date) {
    return this.#db.election.findMany({
      where: { OR: [{ status: 'ready', opensAt: { lte: now } }, { status: 'open', closesAt: { lte: now } }] },
      select: { id: true, status: true },
    });
  }

  eligibleFor(district: string) {
    return this.#db.election.findMany({ where: { status: { in: ['ready', 'open', 'closed', 'tallied', 'published'] } }, orderBy: { opensAt: 'desc' } }).then((rows) =>
      rows.filter((r) => ((r.draft as { eligibleDistricts?: string[] }).eligibleDistricts ?? []).includes(district)),
    );
  }

  // ---- trustees and ceremony

  async insertTrustees(tx: Client, electionId: string, trustees: { index: number; staffId: string; displayName: string }[]): Promise<void> {
    await tx.electionTrustee.createMany({ data: trustees.map((t) => ({ electionId, ...t })) });
    for (const t of trustees) {
      // The per-election trustee role the access guard checks (staff_role, shared with the staff module).
      await tx.staffRole.upsert({
        where: { staffId_role_electionId: { staffId: t.staffId, role: 'trustee', electionId } },
        create: { staffId: t.staffId, role: 'trustee', electionId },
        update: {},
      });
    }
  }

  trustees(electionId: string, tx: Client = this.#db) {
    return tx.electionTrustee.findMany({ where: { electionId }, orderBy: { index: 'asc' } });
  }

  trusteeByStaff(electionId: string, staffId: string) {
    return this.#db.electionTrustee.findUnique({ where: { electionId_staffId: { electionId, staffId } } });
  }

  async setCommitment(tx: Client, electionId: string, index: number, commitment: Uint8Array): Promise<boolean> {
    const { count } = await tx.electionTrustee.updateMany({ where: { electionId, index, commitment: null }, data: { commitment: bytes(commitment) } });
    return count === 1;
  }

  async insertShares(tx: Client, electionId: string, from: number, shares: { to: number; share: Uint8Array }[]): Promise<boolean> {
    const { count } = await tx.electionTrustee.updateMany({ where: { electionId, index: from, sharesSentAt: null }, data: { sharesSentAt: new Date() } });
    if (count !== 1) return false;
    await tx.electionShare.createMany({ data: shares.map((s) => ({ electionId, fromIndex: from, toIndex: s.to, share: bytes(s.share) })) });
    return true;
  }

  shares(electionId: string, tx: Client = this.#db) {
    return tx.electionShare.findMany({ where: { electionId }, orderBy: [{ fromIndex: 'asc' }, { toIndex: 'asc' }] });
  }

  async setVerdict(tx: Client, electionId: string, index: number, verdict: 'accepted' | 'complained', complaint: object | null): Promise<boolean> {
    const { count } = await tx.electionTrustee.updateMany({
      where: { electionId, index, verdict: 'pending' },
      data: { verdict, complaint: complaint === null ? Prisma.DbNull : (complaint as Prisma.InputJsonValue) },
    });
    return count === 1;
  }

  async setPartialDecryption(tx: Client, electionId: string, index: number, ledgerIndex: bigint): Promise<boolean> {
    const { count } = await tx.electionTrustee.updateMany({ where: { electionId, index, partialDecryptionIndex: null }, data: { partialDecryptionIndex: ledgerIndex } });
    return count === 1;
  }

  // ---- credentials

  async insertNonce(row: { nonce: Uint8Array; electionId: string; electorId: string; expiresAt: Date }): Promise<void> {
    await this.#db.credentialNonce.create({ data: { ...row, nonce: bytes(row.nonce) } });
  }

  hasCredential(electionId: string, electorId: string) {
    return this.#db.electionCredential.findUnique({ where: { electionId_electorId: { electionId, electorId } } }).then((r) => r !== null);
  }

  credentialElections(electorId: string) {
    return this.#db.electionCredential.findMany({ where: { electorId }, select: { electionId: true } }).then((rows) => new Set(rows.map((r) => r.electionId)));
  }

  /**
   * Issuance, inside the append: inserts the credential row, with the index its CredentialIssued entry
   * is about to get, only if the election is still open, and records the passkey's new signature
   * counter — one raw statement (the append runs its statements one after another). False, with
   * nothing written, when the election is not open or the elector already has a credential.
   */
  async insertCredentialIfOpen(tx: Client, row: { electionId: string; electorId: string; district: string; ledgerIndex: bigint; passkeyId: string; passkeyCounter: number }): Promise<boolean> {
    const rows = await tx.$queryRaw<{ inserted: number }[]>`
      WITH credential AS (
        INSERT INTO election_credential (election_id, elector_id, district, ledger_index)
        SELECT id, ${row.electorId}::uuid, ${row.district}, ${row.ledgerIndex} FROM election WHERE id = ${row.electionId}::uuid AND status = 'open'
        ON CONFLICT DO NOTHING
        RETURNING 1
      ), passkey_use AS (
        UPDATE passkey SET counter = ${BigInt(row.passkeyCounter)}, last_used_at = now()
        WHERE id = ${row.passkeyId}::uuid AND EXISTS (SELECT 1 FROM credential)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM credential)::int AS inserted`;
    return rows[0]?.inserted === 1;
  }

  credentialsByDistrict(electionId: string) {
    return this.#db.electionCredential.groupBy({ by: ['district'], where: { electionId }, _count: { _all: true } });
  }

  // ---- ballots

  // The casting hot path below uses raw SQL: Prisma's query building costs ~2.5 ms of CPU per query
  // against ~0.6 ms for a raw statement, and the statements inside the append run one after another.

  /** The ballot's row and its entry's leaf hash (from the ledger itself: the row is written before the entry is hashed). */
  async findBallot(electionId: string, trackingCode: Uint8Array): Promise<{ trackingCode: Uint8Array; ballotPublicKey: Uint8Array; ledgerIndex: bigint; leafHash: Uint8Array; castAt: Date } | undefined> {
    const rows = await this.#db.$queryRaw<{ tracking_code: Uint8Array; ballot_public_key: Uint8Array; ledger_index: bigint | number | string; leaf_hash: Uint8Array; cast_at: Date }[]>`
      SELECT b.tracking_code, b.ballot_public_key, b.ledger_index, e.leaf_hash, b.cast_at
      FROM cast_ballot b
      JOIN ledger_log l ON l.name = ${electionLogName(electionId)}
      JOIN ledger_entry e ON e.log_id = l.id AND e.index = b.ledger_index
      WHERE b.election_id = ${electionId}::uuid AND b.tracking_code = ${bytes(trackingCode)}`;
    const row = rows[0];
    return row && { trackingCode: bytes(row.tracking_code), ballotPublicKey: bytes(row.ballot_public_key), ledgerIndex: BigInt(row.ledger_index), leafHash: bytes(row.leaf_hash), castAt: new Date(row.cast_at) };
  }

  /**
   * Inserts the ballot, with the index its BallotCast entry is about to get, only if the election is
   * still open and the ballot is not there yet, in one statement that cannot fail on a duplicate
   * (inside a batch of appends without savepoints, a failing statement would abort every caller's
   * work). False when nothing was inserted: the election is not open, or the ballot is there.
   */
  async insertBallotIfOpen(tx: Client, row: { electionId: string; trackingCode: Uint8Array; ballotPublicKey: Uint8Array; ballot: object; ledgerIndex: bigint }): Promise<boolean> {
    const inserted = await tx.$executeRaw`
      INSERT INTO cast_ballot (election_id, tracking_code, ballot_public_key, ballot, ledger_index)
      SELECT id, ${bytes(row.trackingCode)}, ${bytes(row.ballotPublicKey)}, ${JSON.stringify(row.ballot)}::jsonb, ${row.ledgerIndex}
      FROM election WHERE id = ${row.electionId}::uuid AND status = 'open'
      ON CONFLICT (election_id, tracking_code) DO NOTHING`;
    return inserted === 1;
  }

  /**
   * One page of the counted set (the last ballot per ballot key among those sequenced before the
   * close), in ballot-key order after `afterKey`: only each ballot's ciphertexts, flattened in
   * contest and option order (a cast ballot has the manifest's shape: it was verified against it).
   * Keyset paging over the (election, ballot key, ledger index) index keeps memory and each query small.
   */
  async countedCiphertexts(electionId: string, closedAtSize: bigint, afterKey: Uint8Array | null, limit: number): Promise<{ ballotPublicKey: Uint8Array; ciphertexts: string[] }[]> {
    const rows = await this.database.prisma.$queryRaw<{ ballot_public_key: Uint8Array; ciphertexts: string[] }[]>`
      SELECT DISTINCT ON (ballot_public_key) ballot_public_key, jsonb_path_query_array(ballot, '$.contests[*].selections[*].ciphertext') AS ciphertexts
      FROM cast_ballot
      WHERE election_id = ${electionId}::uuid AND ledger_index < ${closedAtSize} AND ballot_public_key > ${bytes(afterKey ?? new Uint8Array(0))}
      ORDER BY ballot_public_key, ledger_index DESC
      LIMIT ${limit}`;
    return rows.map((r) => ({ ballotPublicKey: bytes(r.ballot_public_key), ciphertexts: r.ciphertexts }));
  }

  /** The size of the counted set: distinct ballot keys with a ballot before the close. */
  async countCounted(electionId: string, closedAtSize: bigint): Promise<number> {
    const rows = await this.database.prisma.$queryRaw<{ n: bigint | number }[]>`
      SELECT count(DISTINCT ballot_public_key) AS n FROM cast_ballot WHERE election_id = ${electionId}::uuid AND ledger_index < ${closedAtSize}`;
    return Number(rows[0]?.n ?? 0);
  }

  async isCounted(electionId: string, trackingCode: Uint8Array, closedAtSize: bigint): Promise<boolean> {
    const rows = await this.database.prisma.$queryRaw<{ counted: boolean }[]>`
      SELECT b.ledger_index < ${closedAtSize} AND NOT EXISTS (
        SELECT 1 FROM cast_ballot later
        WHERE later.election_id = b.election_id AND later.ballot_public_key = b.ballot_public_key
          AND later.ledger_index > b.ledger_index AND later.ledger_index < ${closedAtSize}
      ) AS counted
      FROM cast_ballot b WHERE b.election_id = ${electionId}::uuid AND b.tracking_code = ${bytes(trackingCode)}`;
    return rows[0]?.counted ?? false;
  }

  async ballotCounts(electionId: string) {
    const [cast, voters, spoiled] = await Promise.all([
      this.#db.castBallot.count({ where: { electionId } }),
      this.#db.castBallot.groupBy({ by: ['ballotPublicKey'], where: { electionId } }).then((g) => g.length),
      this.#db.spoiledBallot.count({ where: { electionId } }),
    ]);
    return { cast, voters, spoiled };
  }

  async insertSpoiled(tx: Client, row: { electionId: string; trackingCode: Uint8Array; choices: object; ledgerIndex: bigint }): Promise<boolean> {
    try {
      await tx.spoiledBallot.create({ data: { ...row, trackingCode: bytes(row.trackingCode), choices: row.choices as Prisma.InputJsonValue } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  findSpoiled(electionId: string, trackingCode: Uint8Array) {
    return this.#db.spoiledBallot.findUnique({ where: { electionId_trackingCode: { electionId, trackingCode: bytes(trackingCode) } } });
  }
}
