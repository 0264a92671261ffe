import { Inject, Injectable } from '@nestjs/common';
import { ELECTION_TRANSITIONS, type ElectionTransition } from '@townhall/protocol';
import { DATABASE, type Database } from '../database/database.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { electionLogName, type TransactionClient } from '../ledger/ledger.module.ts';

export type Client = TransactionClient;
const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

/**
 * The smallest byte string above every string that starts with the hex digits `prefix` (an odd
 * last digit is a half byte), or null when there is none (the prefix is all f).
 */
export function hexSuccessor(prefix: string): Uint8Array | null {
  const digits = prefix.split('').map((d) => parseInt(d, 16));
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 15) i--;
  if (i < 0) return null;
  const next = [...digits.slice(0, i), digits[i]! + 1];
  if (next.length % 2) next.push(0);
  return Uint8Array.from({ length: next.length / 2 }, (_, j) => next[2 * j]! * 16 + next[2 * j + 1]!);
}

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

  /** Staff members by id, each with whether they hold the trustee role of `electionId` (an accepted invitation). */
  async staffMembers(ids: string[], electionId: string) {
    const rows = await this.#db.staffMember.findMany({
      where: { id: { in: ids } },
      select: { id: true, displayName: true, roles: { where: { role: 'trustee', electionId }, select: { id: true } } },
    });
    return rows.map((r) => ({ id: r.id, displayName: r.displayName, isTrustee: r.roles.length > 0 }));
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

  /** A new draft, and its author as its first official (separation of duties). */
  async create(row: { id: string; councilId: string; title: string; draft: object; opensAt: Date; closesAt: Date }, createdBy: string | null): Promise<void> {
    await this.#db.election.create({
      data: { ...row, status: 'draft', draft: row.draft as Prisma.InputJsonValue, ...(createdBy ? { officials: { create: [{ staffId: createdBy }] } } : {}) },
    });
  }

  /** Separation of duties: which of these staff members defined or ran the election. */
  async officialsAmong(electionId: string, staffIds: string[]): Promise<Set<string>> {
    const rows = await this.#db.electionOfficial.findMany({ where: { electionId, staffId: { in: staffIds } }, select: { staffId: true } });
    return new Set(rows.map((r) => r.staffId));
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
   * The transition itself, as the lifecycle table has it: `UPDATE … WHERE status = from`, inside the
   * append's transaction, so of two API instances (or a click and the scheduler) only one moves the
   * election and appends its entry.
   */
  async transition(tx: Client, id: string, transition: ElectionTransition, data: Prisma.ElectionUpdateManyMutationInput = {}): Promise<boolean> {
    const { from, to } = ELECTION_TRANSITIONS[transition];
    const { count } = await tx.election.updateMany({ where: { id, status: from }, data: { ...data, status: to, updatedAt: new Date() } });
    return count === 1;
  }

  async update(tx: Client, id: string, data: Prisma.ElectionUpdateManyMutationInput): Promise<void> {
    await tx.election.updateMany({ where: { id }, data });
  }

  /** Elections whose scheduled opening or closing time has come. */
  due(now: Date) {
    return this.#db.election.findMany({
      where: { OR: [{ status: ELECTION_TRANSITIONS.open.from, opensAt: { lte: now } }, { status: ELECTION_TRANSITIONS.close.from, closesAt: { lte: now } }] },
      select: { id: true, status: true },
    });
  }

  eligibleFor(district: string) {
    return this.#db.election.findMany({ where: { status: { in: ['ready', 'open', 'closed', 'tallied', 'published'] } }, orderBy: { opensAt: 'desc' } }).then((rows) =>
      // Every election past the key ceremony's start has its frozen manifest.
      rows.filter((r) => (r.manifest as { eligibleDistricts: string[] }).eligibleDistricts.includes(district)),
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

  /**
   * A new challenge for an elector: their expired ones are deleted, and of the others only the
   * newest `keep - 1` stay, so an elector never holds more than `keep` (elections.md §5).
   */
  async insertNonce(row: { nonce: Uint8Array; electionId: string; electorId: string; expiresAt: Date }, keep: number): Promise<void> {
    // One statement (the issuance path): both parts see the rows as they were before it.
    await this.#db.$executeRaw`
      WITH retired AS (
        DELETE FROM credential_nonce WHERE elector_id = ${row.electorId}::uuid AND (expires_at <= now() OR nonce IN (
          SELECT nonce FROM credential_nonce WHERE elector_id = ${row.electorId}::uuid ORDER BY expires_at DESC OFFSET ${keep - 1}))
      )
      INSERT INTO credential_nonce (nonce, election_id, elector_id, expires_at)
      VALUES (${bytes(row.nonce)}, ${row.electionId}::uuid, ${row.electorId}::uuid, ${row.expiresAt})`;
  }

  countNonces(electorId: string) {
    return this.#db.credentialNonce.count({ where: { electorId } });
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
  /**
   * Issuance, one statement: the credential row (its primary key makes a second one a conflict), the
   * passkey's counter, and the CredentialIssued body queued for its epoch (elections.md §5.1). The
   * election row is read FOR SHARE: a close (an UPDATE of that row, in the append that sequences the
   * queue) waits for this statement, or this statement waits for the close and then finds the
   * election no longer open — so no queued entry is ever left behind a close.
   */
  async issueCredentialIfOpen(row: { electionId: string; electorId: string; district: string; pseudonym: string; body: object; passkeyId: string; passkeyCounter: number }): Promise<{ inserted: boolean; queued: number }> {
    const rows = await this.#db.$queryRaw<{ inserted: number; queued: number }[]>`
      WITH open_election AS (
        SELECT id FROM election WHERE id = ${row.electionId}::uuid AND status = 'open' FOR SHARE
      ), credential AS (
        INSERT INTO election_credential (election_id, elector_id, district, ledger_index)
        SELECT id, ${row.electorId}::uuid, ${row.district}, NULL FROM open_election
        ON CONFLICT DO NOTHING
        RETURNING 1
      ), queued AS (
        INSERT INTO credential_entry_queue (election_id, elector_id, pseudonym, body)
        SELECT ${row.electionId}::uuid, ${row.electorId}::uuid, ${row.pseudonym}, ${JSON.stringify(row.body)}::jsonb
        WHERE EXISTS (SELECT 1 FROM credential)
        RETURNING 1
      ), passkey_use AS (
        UPDATE passkey SET counter = ${BigInt(row.passkeyCounter)}, last_used_at = now()
        WHERE id = ${row.passkeyId}::uuid AND EXISTS (SELECT 1 FROM credential)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM credential)::int AS inserted,
             ((SELECT count(*) FROM credential_entry_queue WHERE election_id = ${row.electionId}::uuid) + (SELECT count(*) FROM queued))::int AS queued`;
    return { inserted: rows[0]?.inserted === 1, queued: rows[0]?.queued ?? 0 };
  }

  /** How many CredentialIssued entries wait, and since when the oldest (elections.md §5.1). */
  async credentialQueue(electionId: string): Promise<{ count: number; oldest: Date | null }> {
    const rows = await this.#db.$queryRaw<{ count: number; oldest: Date | null }[]>`
      SELECT count(*)::int AS count, min(queued_at) AS oldest FROM credential_entry_queue WHERE election_id = ${electionId}::uuid`;
    return { count: rows[0]?.count ?? 0, oldest: rows[0]?.oldest ?? null };
  }

  /** Open elections with queued CredentialIssued entries (for the epoch timer). */
  async electionsWithQueuedCredentials(): Promise<{ electionId: string; count: number; oldest: Date }[]> {
    const rows = await this.#db.$queryRaw<{ election_id: string; count: number; oldest: Date }[]>`
      SELECT q.election_id, count(*)::int AS count, min(q.queued_at) AS oldest
      FROM credential_entry_queue q JOIN election e ON e.id = q.election_id
      WHERE e.status = 'open' GROUP BY q.election_id`;
    return rows.map((r) => ({ electionId: r.election_id, count: r.count, oldest: r.oldest }));
  }

  /**
   * Inside an append: takes the queued CredentialIssued bodies, in pseudonym order (an order that
   * does not depend on arrival), gives their credential rows the indices from `firstIndex` on, and
   * empties the queue. Rows another instance is sequencing are locked; they are skipped after its commit.
   */
  async takeCredentialQueue(tx: Client, electionId: string, firstIndex: bigint): Promise<{ electorId: string; body: object }[]> {
    const rows = await tx.$queryRaw<{ elector_id: string; body: object }[]>`
      SELECT elector_id, body FROM credential_entry_queue WHERE election_id = ${electionId}::uuid ORDER BY pseudonym COLLATE "C", elector_id FOR UPDATE`;
    for (const [i, r] of rows.entries()) {
      await tx.$executeRaw`UPDATE election_credential SET ledger_index = ${firstIndex + BigInt(i)} WHERE election_id = ${electionId}::uuid AND elector_id = ${r.elector_id}::uuid`;
      // Only the rows taken: one queued since the SELECT waits for the next epoch.
      await tx.$executeRaw`DELETE FROM credential_entry_queue WHERE election_id = ${electionId}::uuid AND elector_id = ${r.elector_id}::uuid`;
    }
    return rows.map((r) => ({ electorId: r.elector_id, body: r.body }));
  }

  /** Takes the election row's lock for the rest of the transaction (a close: no issuance after it). */
  async lockElection(tx: Client, electionId: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM election WHERE id = ${electionId}::uuid FOR UPDATE`;
  }

  /** Expired challenges are useless; they are deleted (elections.md §5). */
  async purgeExpiredNonces(now: Date): Promise<number> {
    return this.#db.$executeRaw`DELETE FROM credential_nonce WHERE expires_at <= ${now}`;
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
   * Up to `limit` cast ballots' tracking codes that start with `prefix` (whole bytes, plus an odd
   * last hex digit if any): a range scan of the primary key, in order.
   */
  async trackingCodesStartingWith(electionId: string, prefixHex: string, limit: number): Promise<Uint8Array[]> {
    const whole = prefixHex.length - (prefixHex.length % 2);
    const low = Buffer.from(prefixHex.slice(0, whole) + (prefixHex.length % 2 ? prefixHex.slice(whole) + '0' : ''), 'hex');
    // The first code past the prefix: the prefix's last digit plus one (with the carry), or no bound.
    const high = hexSuccessor(prefixHex);
    const rows = high
      ? await this.#db.$queryRaw<{ tracking_code: Uint8Array }[]>`
          SELECT tracking_code FROM cast_ballot
          WHERE election_id = ${electionId}::uuid AND tracking_code >= ${bytes(low)} AND tracking_code < ${bytes(high)}
          ORDER BY tracking_code LIMIT ${limit}`
      : await this.#db.$queryRaw<{ tracking_code: Uint8Array }[]>`
          SELECT tracking_code FROM cast_ballot
          WHERE election_id = ${electionId}::uuid AND tracking_code >= ${bytes(low)}
          ORDER BY tracking_code LIMIT ${limit}`;
    return rows.map((r) => bytes(r.tracking_code));
  }

  /**
   * Inserts the ballot, with the index its BallotCast entry is about to get, and its ciphertexts'
   * digests (`ballot_ciphertext`), only if the election is still open, the ballot is not there yet,
   * and neither the ballot nor any of its ciphertexts was spoiled (elections.md §6) — in one
   * statement that cannot fail on a duplicate (inside a batch of appends without savepoints, a
   * failing statement would abort every caller's work). It runs inside the append, under the log's
   * lock, so a spoil sequenced before it is seen, and a spoil after it sees this ballot.
   * `spoiled` when the ballot or a ciphertext was spoiled; `not-inserted` when the election is not
   * open or the ballot is there already.
   */
  async insertBallotIfOpen(
    tx: Client,
    row: { electionId: string; trackingCode: Uint8Array; ballotPublicKey: Uint8Array; ballot: object; ledgerIndex: bigint; ciphertextDigests: readonly Uint8Array[] },
  ): Promise<'inserted' | 'spoiled' | 'not-inserted'> {
    // The digests travel as hex text (both drivers bind a text[] the same way).
    const digests = row.ciphertextDigests.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex'));
    const rows = await tx.$queryRaw<{ inserted: number; spoiled: boolean }[]>`
      WITH spoiled AS (
        SELECT 1 FROM spoiled_ballot WHERE election_id = ${row.electionId}::uuid AND tracking_code = ${bytes(row.trackingCode)}
        UNION ALL
        SELECT 1 FROM ballot_ciphertext WHERE election_id = ${row.electionId}::uuid AND spoiled AND digest IN (SELECT decode(d, 'hex') FROM unnest(${digests}::text[]) AS d)
        LIMIT 1
      ), ballot AS (
        INSERT INTO cast_ballot (election_id, tracking_code, ballot_public_key, ballot, ledger_index)
        SELECT id, ${bytes(row.trackingCode)}, ${bytes(row.ballotPublicKey)}, ${JSON.stringify(row.ballot)}::jsonb, ${row.ledgerIndex}
        FROM election WHERE id = ${row.electionId}::uuid AND status = 'open' AND NOT EXISTS (SELECT 1 FROM spoiled)
        ON CONFLICT (election_id, tracking_code) DO NOTHING
        RETURNING election_id
      ), ciphertexts AS (
        INSERT INTO ballot_ciphertext (election_id, digest, spoiled, ledger_index)
        SELECT b.election_id, decode(d, 'hex'), false, ${row.ledgerIndex} FROM ballot b CROSS JOIN unnest(${digests}::text[]) AS d
        ON CONFLICT DO NOTHING
      )
      SELECT (SELECT count(*) FROM ballot)::int AS inserted, EXISTS (SELECT 1 FROM spoiled) AS spoiled`;
    const result = rows[0];
    return result?.inserted === 1 ? 'inserted' : result?.spoiled ? 'spoiled' : 'not-inserted';
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

  /**
   * Inside the spoil's append (under the log's lock): what stands in the way of spoiling this ballot
   * (elections.md §6) — how many ballots this ballot key spoiled already, whether the ballot was
   * spoiled already or cast, and whether one of its ciphertexts is in a cast ballot.
   */
  async spoilObstacles(tx: Client, row: { electionId: string; trackingCode: Uint8Array; ballotPublicKey: Uint8Array; ciphertextDigests: readonly Uint8Array[] }): Promise<{ spoils: number; spoiled: boolean; cast: boolean; castCiphertext: boolean }> {
    const digests = row.ciphertextDigests.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex'));
    const rows = await tx.$queryRaw<{ spoils: number; spoiled: boolean; cast: boolean; cast_ciphertext: boolean }[]>`
      SELECT
        (SELECT count(*) FROM spoiled_ballot WHERE election_id = ${row.electionId}::uuid AND ballot_public_key = ${bytes(row.ballotPublicKey)})::int AS spoils,
        EXISTS (SELECT 1 FROM spoiled_ballot WHERE election_id = ${row.electionId}::uuid AND tracking_code = ${bytes(row.trackingCode)}) AS spoiled,
        EXISTS (SELECT 1 FROM cast_ballot WHERE election_id = ${row.electionId}::uuid AND tracking_code = ${bytes(row.trackingCode)}) AS cast,
        EXISTS (SELECT 1 FROM ballot_ciphertext WHERE election_id = ${row.electionId}::uuid AND NOT spoiled AND digest IN (SELECT decode(d, 'hex') FROM unnest(${digests}::text[]) AS d)) AS cast_ciphertext`;
    const result = rows[0]!;
    return { spoils: Number(result.spoils), spoiled: result.spoiled, cast: result.cast, castCiphertext: result.cast_ciphertext };
  }

  /** The spoiled ballot's row and its ciphertexts' digests (after `spoilObstacles` found none in the way). */
  async insertSpoiled(tx: Client, row: { electionId: string; trackingCode: Uint8Array; ballotPublicKey: Uint8Array; choices: object; ledgerIndex: bigint; ciphertextDigests: readonly Uint8Array[] }): Promise<void> {
    const digests = row.ciphertextDigests.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex'));
    await tx.$executeRaw`
      WITH spoiled AS (
        INSERT INTO spoiled_ballot (election_id, tracking_code, ballot_public_key, choices, ledger_index)
        VALUES (${row.electionId}::uuid, ${bytes(row.trackingCode)}, ${bytes(row.ballotPublicKey)}, ${JSON.stringify(row.choices)}::jsonb, ${row.ledgerIndex})
        RETURNING election_id
      )
      INSERT INTO ballot_ciphertext (election_id, digest, spoiled, ledger_index)
      SELECT s.election_id, decode(d, 'hex'), true, ${row.ledgerIndex} FROM spoiled s CROSS JOIN unnest(${digests}::text[]) AS d
      ON CONFLICT DO NOTHING`;
  }

  findSpoiled(electionId: string, trackingCode: Uint8Array) {
    return this.#db.spoiledBallot.findUnique({ where: { electionId_trackingCode: { electionId, trackingCode: bytes(trackingCode) } } });
  }
}
