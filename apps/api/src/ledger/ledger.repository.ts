import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/** The Prisma client a feature's `work` receives inside an append: one database transaction. */
export type TransactionClient = Prisma.TransactionClient;

export interface LogHead {
  readonly id: number;
  readonly name: string;
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  readonly headHash: Uint8Array;
}

export interface EntryRow {
  readonly index: bigint;
  readonly type: string;
  readonly bytes: Uint8Array;
  readonly leafHash: Uint8Array;
}

export interface NodeRow {
  readonly level: number;
  readonly index: bigint;
  readonly hash: Uint8Array;
}

export interface CheckpointRow {
  readonly id: number;
  readonly logId: number;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  readonly note: string;
  readonly publishedAt: Date | null;
}

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value.buffer as ArrayBuffer, value.byteOffset, value.byteLength);

/** Every query of the ledger tables. Write methods take the transaction they belong to. */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * One interactive transaction. The sequencer holds it for a whole batch, so the limits are
   * generous; a `work` that hangs past `timeout` aborts its batch.
   */
  transaction<T>(work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return this.database.prisma.$transaction(work, { maxWait: 20_000, timeout: 60_000 });
  }

  /** Locks the log's head row until the transaction ends (serialises appenders across processes). */
  async lockHead(tx: TransactionClient, logId: number): Promise<LogHead | undefined> {
    const rows = await tx.$queryRawUnsafe<{ id: number; name: string; origin: string; size: bigint; root_hash: Uint8Array; head_hash: Uint8Array }[]>(
      'SELECT id, name, origin, size, root_hash, head_hash FROM ledger_log WHERE id = $1 FOR UPDATE',
      logId,
    );
    const row = rows[0];
    return row && { id: row.id, name: row.name, origin: row.origin, size: BigInt(row.size), rootHash: bytes(row.root_hash), headHash: bytes(row.head_hash) };
  }

  async savepoint(tx: TransactionClient, name: string): Promise<void> {
    await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
  }

  async rollbackToSavepoint(tx: TransactionClient, name: string): Promise<void> {
    await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
  }

  /**
   * Writes a batch's entries, its new nodes and the new head in one statement (one round trip).
   * Arrays travel as text (base64/hex/decimal) so both drivers bind them the same way.
   */
  async writeBatch(
    tx: TransactionClient,
    logId: number,
    batch: { entries: readonly EntryRow[]; nodes: readonly NodeRow[]; size: bigint; rootHash: Uint8Array; headHash: Uint8Array },
  ): Promise<void> {
    const hex = (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
    await tx.$executeRawUnsafe(
      `WITH new_entries AS (
         INSERT INTO ledger_entry (log_id, index, type, bytes, leaf_hash)
         SELECT $1, i::bigint, t, decode(b, 'base64'), decode(h, 'hex') FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS e(i, t, b, h)
       ), new_nodes AS (
         INSERT INTO ledger_node (log_id, level, index, hash)
         SELECT $1, l::smallint, i::bigint, decode(h, 'hex') FROM unnest($6::text[], $7::text[], $8::text[]) AS n(l, i, h)
       )
       UPDATE ledger_log SET size = $9::bigint, root_hash = decode($10, 'hex'), head_hash = decode($11, 'hex'), updated_at = now() WHERE id = $1`,
      logId,
      batch.entries.map((e) => e.index.toString()),
      batch.entries.map((e) => e.type),
      batch.entries.map((e) => Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).toString('base64')),
      batch.entries.map((e) => hex(e.leafHash)),
      batch.nodes.map((n) => String(n.level)),
      batch.nodes.map((n) => n.index.toString()),
      batch.nodes.map((n) => hex(n.hash)),
      batch.size.toString(),
      hex(batch.rootHash),
      hex(batch.headHash),
    );
  }

  /** Creates the log row if no log has this name (concurrent creators: one wins, none fails). */
  async insertLogIfAbsent(log: { name: string; origin: string; rootHash: Uint8Array; headHash: Uint8Array }): Promise<void> {
    await this.database.prisma.ledgerLog.createMany({
      data: [{ name: log.name, origin: log.origin, size: 0n, rootHash: bytes(log.rootHash), headHash: bytes(log.headHash) }],
      skipDuplicates: true,
    });
  }

  async findLogByName(name: string): Promise<LogHead | undefined> {
    const row = await this.database.prisma.ledgerLog.findUnique({ where: { name } });
    return row ?? undefined;
  }

  async findLogById(id: number): Promise<LogHead | undefined> {
    const row = await this.database.prisma.ledgerLog.findUnique({ where: { id } });
    return row ?? undefined;
  }

  async listLogs(): Promise<LogHead[]> {
    return this.database.prisma.ledgerLog.findMany({ orderBy: { id: 'asc' } });
  }

  /**
   * Hashes of perfect subtrees, in request order: level 0 from the entries' leaf hashes, higher
   * levels from ledger_node. Missing nodes come back undefined. `tx` reads inside a transaction.
   */
  async nodeHashes(logId: number, nodes: readonly { level: number; index: bigint }[], tx?: TransactionClient): Promise<(Uint8Array | undefined)[]> {
    if (nodes.length === 0) return [];
    const client = tx ?? this.database.prisma;
    // Levels and indices are numbers and bigints this module computed, never user text.
    const leaves = nodes.filter((n) => n.level === 0).map((n) => n.index.toString());
    const inner = nodes.filter((n) => n.level > 0).map((n) => `(${Number(n.level)},${n.index.toString()})`);
    const parts: string[] = [];
    if (leaves.length > 0) parts.push(`SELECT 0 AS level, index, leaf_hash AS hash FROM ledger_entry WHERE log_id = ${Number(logId)} AND index IN (${leaves.join(',')})`);
    if (inner.length > 0) parts.push(`SELECT level::int AS level, index, hash FROM ledger_node WHERE log_id = ${Number(logId)} AND (level, index) IN (${inner.join(',')})`);
    const rows = await client.$queryRawUnsafe<{ level: number; index: bigint; hash: Uint8Array }[]>(parts.join(' UNION ALL '));
    const found = new Map(rows.map((r) => [`${Number(r.level)}/${BigInt(r.index)}`, bytes(r.hash)]));
    return nodes.map((n) => found.get(`${n.level}/${n.index}`));
  }

  /**
   * The same answer as `nodeHashes`, for thousands of nodes: the wanted nodes travel as two arrays
   * (decimal text, bound alike by both drivers) and are joined, instead of a query text that grows
   * with the request.
   */
  async nodeHashesInBulk(logId: number, nodes: readonly { level: number; index: bigint }[]): Promise<(Uint8Array | undefined)[]> {
    if (nodes.length === 0) return [];
    const rows = await this.database.prisma.$queryRawUnsafe<{ level: number; index: bigint; hash: Uint8Array }[]>(
      `WITH wanted AS (SELECT l::int AS level, i::bigint AS index FROM unnest($2::text[], $3::text[]) AS w(l, i))
       SELECT 0 AS level, e.index, e.leaf_hash AS hash FROM wanted w JOIN ledger_entry e ON e.log_id = $1 AND w.level = 0 AND e.index = w.index
       UNION ALL
       SELECT n.level::int AS level, n.index, n.hash FROM wanted w JOIN ledger_node n ON n.log_id = $1 AND w.level > 0 AND n.level = w.level AND n.index = w.index`,
      logId,
      nodes.map((n) => String(n.level)),
      nodes.map((n) => n.index.toString()),
    );
    const found = new Map(rows.map((r) => [`${Number(r.level)}/${BigInt(r.index)}`, bytes(r.hash)]));
    return nodes.map((n) => found.get(`${n.level}/${n.index}`));
  }

  /** The index of the last entry of `type` below `end`, if any. */
  async lastIndexOfType(logId: number, type: string, end: bigint): Promise<bigint | undefined> {
    const row = await this.database.prisma.ledgerEntry.findFirst({
      where: { logId, type, index: { lt: end } },
      orderBy: { index: 'desc' },
      select: { index: true },
    });
    return row?.index;
  }

  /** `count` consecutive hashes of one tree level starting at `start` (tiles), in index order. */
  async levelHashes(logId: number, level: number, start: bigint, count: number): Promise<Uint8Array[]> {
    const end = start + BigInt(count);
    if (level === 0) {
      const rows = await this.database.prisma.ledgerEntry.findMany({
        where: { logId, index: { gte: start, lt: end } },
        orderBy: { index: 'asc' },
        select: { leafHash: true },
      });
      return rows.map((r) => r.leafHash);
    }
    const rows = await this.database.prisma.ledgerNode.findMany({
      where: { logId, level, index: { gte: start, lt: end } },
      orderBy: { index: 'asc' },
      select: { hash: true },
    });
    return rows.map((r) => r.hash);
  }

  async entries(logId: number, start: bigint, end: bigint): Promise<EntryRow[]> {
    return this.database.prisma.ledgerEntry.findMany({
      where: { logId, index: { gte: start, lt: end } },
      orderBy: { index: 'asc' },
      select: { index: true, type: true, bytes: true, leafHash: true },
    });
  }

  async entryByLeafHash(logId: number, leafHash: Uint8Array): Promise<EntryRow | undefined> {
    const row = await this.database.prisma.ledgerEntry.findUnique({
      where: { logId_leafHash: { logId, leafHash: bytes(leafHash) } },
      select: { index: true, type: true, bytes: true, leafHash: true },
    });
    return row ?? undefined;
  }

  async latestCheckpoint(logId: number, options: { published?: boolean } = {}): Promise<CheckpointRow | undefined> {
    const row = await this.database.prisma.ledgerCheckpoint.findFirst({
      where: { logId, ...(options.published ? { publishedAt: { not: null } } : {}) },
      orderBy: { size: 'desc' },
    });
    return row ?? undefined;
  }

  /** Inserts a checkpoint unless one of that size exists (another process signed it), and returns the stored one. */
  async insertCheckpoint(logId: number, checkpoint: { size: bigint; rootHash: Uint8Array; note: string }): Promise<CheckpointRow> {
    await this.database.prisma.ledgerCheckpoint.createMany({
      data: [{ logId, size: checkpoint.size, rootHash: bytes(checkpoint.rootHash), note: checkpoint.note }],
      skipDuplicates: true,
    });
    return this.database.prisma.ledgerCheckpoint.findUniqueOrThrow({ where: { logId_size: { logId, size: checkpoint.size } } });
  }

  async cosignatures(checkpointId: number): Promise<{ witnessKey: string; signature: string }[]> {
    return this.database.prisma.ledgerCosignature.findMany({ where: { checkpointId }, orderBy: { witnessKey: 'asc' } });
  }

  async insertCosignature(checkpointId: number, witnessKey: string, signature: string): Promise<void> {
    await this.database.prisma.ledgerCosignature.createMany({ data: [{ checkpointId, witnessKey, signature }], skipDuplicates: true });
  }

  /** The note (now carrying cosignatures) and, the first time only, the publication time. */
  async publishCheckpoint(checkpointId: number, note: string): Promise<void> {
    // One statement, so no transaction that a starved event loop could let expire (Prisma's 5 s limit).
    await this.database.prisma.$executeRaw`
      UPDATE ledger_checkpoint SET note = ${note}, published_at = COALESCE(published_at, CURRENT_TIMESTAMP) WHERE id = ${checkpointId}`;
  }

  /** The largest checkpoint size a witness has cosigned for a log (0 if none). */
  async witnessedSize(logId: number, witnessKey: string): Promise<bigint> {
    const row = await this.database.prisma.ledgerCheckpoint.findFirst({
      where: { logId, cosignatures: { some: { witnessKey } } },
      orderBy: { size: 'desc' },
      select: { size: true },
    });
    return row?.size ?? 0n;
  }

  async readSecret(name: string): Promise<Uint8Array | undefined> {
    const row = await this.database.prisma.deploymentSecret.findUnique({ where: { name } });
    return row?.value;
  }

  /** Stores a secret unless one exists (a concurrent first start), and returns the stored value. */
  async insertSecretIfAbsent(name: string, value: Uint8Array): Promise<Uint8Array> {
    await this.database.prisma.deploymentSecret.createMany({ data: [{ name, value: bytes(value) }], skipDuplicates: true });
    return (await this.database.prisma.deploymentSecret.findUniqueOrThrow({ where: { name } })).value;
  }
}
