import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';
import type { Client } from '../identity/identity.repository.ts';
import type { RollRow } from './roll-csv.ts';

export type ChangeKind = 'additions' | 'removals' | 'moves' | 'updates';
export interface ChangeRow {
  elector_number: string;
  name: string;
  from_district: string | null;
  to_district: string | null;
}

const SAMPLE = 100;

/** The roll (elector rows), staged imports and poll-card codes. */
@Injectable()
export class RollRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  currentCouncil() {
    return this.#db.council.findFirst({ orderBy: { createdAt: 'asc' }, include: { districts: { orderBy: { code: 'asc' } } } });
  }

  /** Whether the registry log holds a RollCommitted entry yet (an imported roll, or the demo seed's). */
  async hasRollCommitted(): Promise<boolean> {
    const rows = await this.#db.$queryRaw<{ found: number }[]>`
      SELECT 1 AS found FROM ledger_entry e JOIN ledger_log l ON l.id = e.log_id
      WHERE l.name = 'registry' AND e.type = 'RollCommitted' LIMIT 1`;
    return rows.length > 0;
  }

  async latestAppliedImportId(councilId: string, tx?: Client): Promise<string | null> {
    const row = await (tx ?? this.#db).rollImport.findFirst({ where: { councilId, status: 'applied' }, orderBy: { appliedAt: 'desc' }, select: { id: true } });
    return row?.id ?? null;
  }

  createImport(data: { councilId: string; createdById: string | null; baseImportId: string | null }) {
    return this.#db.rollImport.create({ data: { ...data, status: 'staging', rowCount: 0 }, select: { id: true } });
  }

  /** One statement per batch with array parameters: Prisma's createMany is ~50× slower here. */
  async insertImportRows(importId: string, rows: RollRow[]): Promise<void> {
    const column = <K extends keyof RollRow>(key: K) => rows.map((r) => r[key]);
    await this.#db.$executeRaw`
      INSERT INTO roll_import_row (import_id, elector_number, line, given_name, family_name, address_line, postcode, date_of_birth, district_code)
      SELECT ${importId}::uuid, * FROM unnest(${column('electorNumber')}::text[], ${column('line')}::int[], ${column('givenName')}::text[],
        ${column('familyName')}::text[], ${column('addressLine')}::text[], ${column('postcode')}::text[], ${column('dateOfBirth')}::date[], ${column('districtCode')}::text[])`;
  }

  async deleteImport(importId: string): Promise<void> {
    await this.#db.rollImport.deleteMany({ where: { id: importId } });
  }

  async markPending(importId: string, rowCount: number): Promise<void> {
    await this.#db.rollImport.update({ where: { id: importId }, data: { status: 'pending', rowCount } });
    // Up to 100,000 rows were just staged: fresh statistics, so that the preview and the apply are
    // planned for the rows there are, not for what autovacuum last saw.
    await this.#db.$executeRawUnsafe('ANALYZE roll_import_row');
  }

  findImport(importId: string) {
    return this.#db.rollImport.findUnique({ where: { id: importId } });
  }

  /** Additions, removals, moves (district changes) and updates between the roll and a staged import. */
  async diff(importId: string, councilId: string, tx?: Client): Promise<{ counts: Record<ChangeKind, number>; samples: Record<ChangeKind, ChangeRow[]> }> {
    const db = tx ?? this.#db;
    const counts = await db.$queryRaw<{ additions: number; removals: number; moves: number; updates: number }[]>`
      SELECT
        (SELECT count(*)::int FROM roll_import_row r WHERE r.import_id = ${importId}::uuid
           AND NOT EXISTS (SELECT 1 FROM elector e WHERE e.council_id = ${councilId}::uuid AND e.elector_number = r.elector_number)) AS additions,
        (SELECT count(*)::int FROM elector e WHERE e.council_id = ${councilId}::uuid
           AND NOT EXISTS (SELECT 1 FROM roll_import_row r WHERE r.import_id = ${importId}::uuid AND r.elector_number = e.elector_number)) AS removals,
        (SELECT count(*)::int FROM roll_import_row r JOIN elector e ON e.council_id = ${councilId}::uuid AND e.elector_number = r.elector_number
           JOIN district d ON d.id = e.district_id WHERE r.import_id = ${importId}::uuid AND d.code <> r.district_code) AS moves,
        (SELECT count(*)::int FROM roll_import_row r JOIN elector e ON e.council_id = ${councilId}::uuid AND e.elector_number = r.elector_number
           JOIN district d ON d.id = e.district_id WHERE r.import_id = ${importId}::uuid AND d.code = r.district_code
           AND (e.given_name, e.family_name, e.address_line, e.postcode, e.date_of_birth) IS DISTINCT FROM (r.given_name, r.family_name, r.address_line, r.postcode, r.date_of_birth)) AS updates`;
    const additions = await db.$queryRaw<ChangeRow[]>`
      SELECT r.elector_number, r.given_name || ' ' || r.family_name AS name, NULL AS from_district, r.district_code AS to_district
      FROM roll_import_row r WHERE r.import_id = ${importId}::uuid
        AND NOT EXISTS (SELECT 1 FROM elector e WHERE e.council_id = ${councilId}::uuid AND e.elector_number = r.elector_number)
      ORDER BY r.elector_number LIMIT ${SAMPLE}`;
    const removals = await db.$queryRaw<ChangeRow[]>`
      SELECT e.elector_number, e.given_name || ' ' || e.family_name AS name, d.code AS from_district, NULL AS to_district
      FROM elector e JOIN district d ON d.id = e.district_id WHERE e.council_id = ${councilId}::uuid
        AND NOT EXISTS (SELECT 1 FROM roll_import_row r WHERE r.import_id = ${importId}::uuid AND r.elector_number = e.elector_number)
      ORDER BY e.elector_number LIMIT ${SAMPLE}`;
    const moves = await db.$queryRaw<ChangeRow[]>`
      SELECT r.elector_number, r.given_name || ' ' || r.family_name AS name, d.code AS from_district, r.district_code AS to_district
      FROM roll_import_row r JOIN elector e ON e.council_id = ${councilId}::uuid AND e.elector_number = r.elector_number JOIN district d ON d.id = e.district_id
      WHERE r.import_id = ${importId}::uuid AND d.code <> r.district_code ORDER BY r.elector_number LIMIT ${SAMPLE}`;
    const updates = await db.$queryRaw<ChangeRow[]>`
      SELECT r.elector_number, r.given_name || ' ' || r.family_name AS name, d.code AS from_district, r.district_code AS to_district
      FROM roll_import_row r JOIN elector e ON e.council_id = ${councilId}::uuid AND e.elector_number = r.elector_number JOIN district d ON d.id = e.district_id
      WHERE r.import_id = ${importId}::uuid AND d.code = r.district_code
        AND (e.given_name, e.family_name, e.address_line, e.postcode, e.date_of_birth) IS DISTINCT FROM (r.given_name, r.family_name, r.address_line, r.postcode, r.date_of_birth)
      ORDER BY r.elector_number LIMIT ${SAMPLE}`;
    return { counts: counts[0]!, samples: { additions, removals, moves, updates } };
  }

  /** Electors on the roll but not in the import (they are removed when it is applied). */
  async electorsMissingFrom(tx: Client, importId: string, councilId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT e.id::text AS id FROM elector e WHERE e.council_id = ${councilId}::uuid
        AND NOT EXISTS (SELECT 1 FROM roll_import_row r WHERE r.import_id = ${importId}::uuid AND r.elector_number = e.elector_number)`;
    return rows.map((r) => r.id);
  }

  /** Makes the roll equal to the staged import, set-wise (three statements, not one per row). */
  async applyImport(tx: Client, importId: string, councilId: string, removeIds: string[]): Promise<void> {
    if (removeIds.length > 0) {
      await tx.$executeRaw`DELETE FROM elector WHERE id = ANY(${removeIds}::uuid[])`;
    }
    await tx.$executeRaw`
      UPDATE elector e SET district_id = d.id, given_name = r.given_name, family_name = r.family_name, address_line = r.address_line,
             postcode = r.postcode, date_of_birth = r.date_of_birth
      FROM roll_import_row r JOIN district d ON d.council_id = ${councilId}::uuid AND d.code = r.district_code
      WHERE r.import_id = ${importId}::uuid AND e.council_id = ${councilId}::uuid AND e.elector_number = r.elector_number
        AND (e.district_id, e.given_name, e.family_name, e.address_line, e.postcode, e.date_of_birth)
            IS DISTINCT FROM (d.id, r.given_name, r.family_name, r.address_line, r.postcode, r.date_of_birth)`;
    // The electors the roll did not have yet: every staged row, the ones already there (just updated)
    // skipped by their unique key. Not `NOT EXISTS (… elector …)`: with stale statistics the planner may
    // probe elector once per row without materialising it, and each probe then walks the index entries
    // this very statement has added so far, which made a 100,000-row import quadratic (minutes).
    await tx.$executeRaw`
      INSERT INTO elector (id, council_id, district_id, elector_number, given_name, family_name, address_line, postcode, date_of_birth)
      SELECT gen_random_uuid(), ${councilId}::uuid, d.id, r.elector_number, r.given_name, r.family_name, r.address_line, r.postcode, r.date_of_birth
      FROM roll_import_row r JOIN district d ON d.council_id = ${councilId}::uuid AND d.code = r.district_code
      WHERE r.import_id = ${importId}::uuid
      ON CONFLICT (council_id, elector_number) DO NOTHING`;
  }

  async finishImport(tx: Client, importId: string, councilId: string, ledgerIndex: bigint | null): Promise<void> {
    await tx.rollImport.update({ where: { id: importId }, data: { status: 'applied', appliedAt: new Date(), ...(ledgerIndex !== null ? { ledgerIndex } : {}) } });
    await tx.rollImport.updateMany({ where: { councilId, status: 'pending' }, data: { status: 'superseded' } });
    // The staged rows have done their job; the roll itself is the record now.
    await tx.rollImportRow.deleteMany({ where: { importId } });
  }

  /** Compare-and-set from pending to applying, so one import is applied once. */
  async claimPending(tx: Client, importId: string): Promise<boolean> {
    const { count } = await tx.rollImport.updateMany({ where: { id: importId, status: 'pending' }, data: { status: 'applied' } });
    return count === 1;
  }

  async districtCounts(tx: Client, councilId: string) {
    return tx.$queryRaw<{ code: string; electors: number }[]>`
      SELECT d.code, count(e.id)::int AS electors FROM district d LEFT JOIN elector e ON e.district_id = d.id
      WHERE d.council_id = ${councilId}::uuid GROUP BY d.code ORDER BY d.code`;
  }

  async electorNumbers(tx: Client, councilId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ elector_number: string }[]>`SELECT elector_number FROM elector WHERE council_id = ${councilId}::uuid`;
    return rows.map((r) => r.elector_number);
  }

  // ---- electors and poll cards

  async listElectors(councilId: string, filter: { district?: string; q?: string }, skip: number, take: number) {
    // Prisma's startsWith is a LIKE 'q%' that leaves % and _ in q as wildcards: a search is literal text.
    const q = filter.q === undefined ? undefined : escapeLike(filter.q);
    const where = {
      councilId,
      ...(filter.district ? { district: { code: filter.district.toUpperCase() } } : {}),
      ...(q ? { OR: [{ electorNumber: { startsWith: q.toUpperCase() } }, { familyName: { startsWith: q, mode: 'insensitive' as const } }] } : {}),
    };
    const [total, electors] = await Promise.all([
      this.#db.elector.count({ where }),
      this.#db.elector.findMany({
        where,
        orderBy: { electorNumber: 'asc' },
        skip,
        take,
        include: {
          district: { select: { code: true } },
          activationCode: { select: { issuedAt: true, usedAt: true } },
          passkeys: { select: { revokedAt: true, suspendedAt: true } },
        },
      }),
    ]);
    return { total, electors };
  }

  findElector(councilId: string, electorNumber: string) {
    return this.#db.elector.findUnique({
      where: { councilId_electorNumber: { councilId, electorNumber } },
      include: { district: { select: { code: true, name: true } } },
    });
  }

  /** How many electors of a district need a card, and how many of them hold an unused code that a new card would replace. */
  async pollCardCounts(districtId: string): Promise<{ letters: number; codesInvalidated: number }> {
    const [letters, codesInvalidated] = await Promise.all([
      this.#db.elector.count({ where: { districtId, passkeys: { none: { revokedAt: null } } } }),
      this.#db.elector.count({ where: { districtId, passkeys: { none: { revokedAt: null } }, activationCode: { is: { usedAt: null } } } }),
    ]);
    return { letters, codesInvalidated };
  }

  /** Electors of a district with no live passkey: the ones who need a (new) poll card. */
  electorsNeedingCards(districtId: string) {
    return this.#db.elector.findMany({
      where: { districtId, passkeys: { none: { revokedAt: null } } },
      orderBy: [{ postcode: 'asc' }, { addressLine: 'asc' }, { electorNumber: 'asc' }],
      include: { district: { select: { code: true, name: true } } },
    });
  }

  /** Replaces the electors' codes (old ones stop working), in batches within one transaction. */
  async replaceActivationCodes(tx: Client, codes: { electorId: string; codeHash: Uint8Array }[]): Promise<void> {
    for (let i = 0; i < codes.length; i += 10_000) {
      const chunk = codes.slice(i, i + 10_000);
      const ids = chunk.map((c) => c.electorId);
      const hashes = chunk.map((c) => Buffer.from(c.codeHash).toString('hex'));
      await tx.$executeRaw`DELETE FROM activation_code WHERE elector_id = ANY(${ids}::uuid[])`;
      await tx.$executeRaw`
        INSERT INTO activation_code (elector_id, code_hash) SELECT id, decode(hash, 'hex') FROM unnest(${ids}::uuid[], ${hashes}::text[]) AS t(id, hash)`;
    }
  }
}

/** `text` for a LIKE pattern (PostgreSQL's default escape character is the backslash), wildcards taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
