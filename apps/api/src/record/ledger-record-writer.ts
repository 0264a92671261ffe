import { Inject, Injectable } from '@nestjs/common';
import { LedgerService, REGISTRY_LOG } from '../ledger/ledger.module.ts';
import type { EntryRow } from '../ledger/ledger.repository.ts';
import { RecordRepository } from './record.repository.ts';

/** Entries read per query, and registry entries proved per batch: bounds the memory of a download. */
const PAGE = 1000n;

// Node's own base64 (RFC 4648 §4, padded): a record carries tens of MiB of it.
const base64 = (value: Uint8Array): string => Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

/** What distinguishes one kind of record (election, contract) from another; the layout is shared (record.md §2). */
export interface LedgerRecordSpec {
  /** The log the record is of. */
  readonly logName: string;
  /** The `record` line's own fields: `format`, `version` and the id (`electionId`, `contractId`). */
  readonly header: Readonly<Record<string, unknown>>;
  /** The field of the `keys` line that holds the log's origin and key (`electionLog`, `contractLog`). */
  readonly logKeysField: string;
  /** Sees every entry of the record, in order, before any registry entry is chosen. */
  collect(row: EntryRow): void;
  /** Which of the first `size` registry entries the record carries (record.md §3, contracts.md §12). */
  registryEntries(size: bigint): Promise<(row: EntryRow) => boolean>;
}

/**
 * Writes a ledger record (docs/protocol/record.md §2): the `record` and `keys` lines, every entry of
 * the log up to its latest published checkpoint, those checkpoints, the registry entries the record
 * depends on with inclusion proofs against one published registry checkpoint, and the `end` line.
 * Only what a published (witnessed) checkpoint vouches for: entries appended since then follow in
 * the next download, once the witnesses have cosigned them.
 */
@Injectable()
export class LedgerRecordWriter {
  constructor(
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(RecordRepository) private readonly repository: RecordRepository,
  ) {}

  /**
   * The record as text chunks, each made of whole lines (up to a page of entries), in record order.
   * Memory stays bounded by one page of entries (and one of proofs) plus what `spec.collect` keeps.
   * Throws NOT_FOUND (before the first chunk) when the log does not exist.
   */
  async *chunks(spec: LedgerRecordSpec): AsyncGenerator<string> {
    const name = spec.logName;
    const log = await this.ledger.getLog(name);
    const registry = await this.ledger.getLog(REGISTRY_LOG);
    const policy = this.ledger.witnessPolicy;
    // The count is announced first, so a reader can show its progress (a streamed download has no length).
    const size = (await this.ledger.latestCheckpoint(name, { published: true }))?.size ?? 0n;

    yield line({ kind: 'record', ...spec.header, createdAt: new Date().toISOString(), entries: size.toString() }) +
      line({
        kind: 'keys',
        [spec.logKeysField]: { origin: log.origin, verifierKey: log.verifierKey },
        registryLog: { origin: registry.origin, verifierKey: registry.verifierKey },
        witnessPolicy: { quorum: policy.quorum, witnesses: policy.witnesses.map((w) => w.verifierKey) },
      });

    for await (const rows of this.#pages(name, size)) {
      let chunk = '';
      for (const row of rows) {
        spec.collect(row);
        chunk += line({ kind: 'entry', index: row.index.toString(), bytes: base64(row.bytes) });
      }
      yield chunk;
    }
    const checkpoints = await this.repository.publishedCheckpoints(name, size);
    if (checkpoints.length > 0) yield checkpoints.map((checkpoint) => line({ kind: 'checkpoint', note: checkpoint.note })).join('');

    // One pass over the registry: each page's wanted entries are proved together, from one read of their nodes.
    const registryCheckpoint = await this.ledger.latestCheckpoint(REGISTRY_LOG, { published: true });
    let registryEntries = 0;
    if (registryCheckpoint) {
      yield line({ kind: 'registry-checkpoint', note: registryCheckpoint.note });
      const isWanted = await spec.registryEntries(registryCheckpoint.size);
      for await (const rows of this.#pages(REGISTRY_LOG, registryCheckpoint.size)) {
        const wanted = rows.filter(isWanted);
        if (wanted.length === 0) continue;
        const proofs = await this.ledger.inclusionProofs(REGISTRY_LOG, wanted.map((row) => row.index), registryCheckpoint.size);
        yield wanted.map((row, i) => line({ kind: 'registry-entry', index: row.index.toString(), bytes: base64(row.bytes), proof: proofs[i]!.map(base64) })).join('');
        registryEntries += wanted.length;
      }
    }
    yield line({ kind: 'end', entries: size.toString(), checkpoints: checkpoints.length, registryEntries });
  }

  /** Entries [0, size) of a log a page at a time, the next page's query running while this one is used. */
  async *#pages(name: string, size: bigint): AsyncGenerator<EntryRow[]> {
    const read = (start: bigint) => {
      const rows = this.ledger.entries(name, start, start + PAGE < size ? start + PAGE : size);
      // Awaited below; this only keeps a failure after an abandoned download from going unhandled.
      rows.catch(() => undefined);
      return rows;
    };
    let next = size > 0n ? read(0n) : undefined;
    for (let start = 0n; next; start += PAGE) {
      const rows = await next;
      next = start + PAGE < size ? read(start + PAGE) : undefined;
      yield rows;
    }
  }
}
