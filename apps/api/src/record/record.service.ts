import { Inject, Injectable } from '@nestjs/common';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG, electionLogName } from '../ledger/ledger.module.ts';
import type { EntryRow } from '../ledger/ledger.repository.ts';
import { RecordRepository } from './record.repository.ts';

export const RECORD_FORMAT = 'townhall/election-record';

/** Entries read per query, and registry entries proved per batch: bounds the memory of a download. */
const PAGE = 1000n;

// Node's own base64 (RFC 4648 §4, padded): a record carries tens of MiB of it.
const base64 = (value: Uint8Array): string => Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

/**
 * The election record (docs/protocol/record.md): one JSON Lines document with everything an observer
 * needs to verify an election offline. Built up to the latest published checkpoint, so a record
 * downloaded while voting is open is a prefix that the witnesses have vouched for.
 */
@Injectable()
export class RecordService {
  constructor(
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(RecordRepository) private readonly repository: RecordRepository,
  ) {}

  /**
   * The record as text chunks, each made of whole lines (up to a page of entries), in record order.
   * Memory stays bounded by one page of entries (and one of proofs) plus the election's pseudonyms.
   */
  async *chunks(electionId: string): AsyncGenerator<string> {
    const name = electionLogName(electionId);
    const log = await this.ledger.getLog(name);
    const registry = await this.ledger.getLog(REGISTRY_LOG);
    const policy = this.ledger.witnessPolicy;
    // Only what a published (witnessed) checkpoint vouches for: entries appended since then follow in
    // the next download, once the witnesses have cosigned them (record.md §1). The count is announced
    // first, so a reader can show its progress (a streamed download has no length).
    const size = (await this.ledger.latestCheckpoint(name, { published: true }))?.size ?? 0n;

    yield line({ kind: 'record', format: RECORD_FORMAT, version: 1, electionId, createdAt: new Date().toISOString(), entries: size.toString() }) +
      line({
        kind: 'keys',
        electionLog: { origin: log.origin, verifierKey: log.verifierKey },
        registryLog: { origin: registry.origin, verifierKey: registry.verifierKey },
        witnessPolicy: { quorum: policy.quorum, witnesses: policy.witnesses.map((w) => w.verifierKey) },
      });

    const pseudonyms = new Set<string>();
    for await (const rows of this.#pages(name, size)) {
      let chunk = '';
      for (const row of rows) {
        if (row.type === 'CredentialIssued') pseudonyms.add((decodeEntry(row.bytes).body as { pseudonym: string }).pseudonym);
        chunk += line({ kind: 'entry', index: row.index.toString(), bytes: base64(row.bytes) });
      }
      yield chunk;
    }
    const checkpoints = await this.repository.publishedCheckpoints(name, size);
    if (checkpoints.length > 0) yield checkpoints.map((checkpoint) => line({ kind: 'checkpoint', note: checkpoint.note })).join('');

    // Registry entries the election depends on (record.md §3): the latest RollCommitted (eligible
    // electors per district) and the Enrolled entries naming the passkeys of the credential holders,
    // each with an inclusion proof against the latest published registry checkpoint. One pass over
    // the registry: each page's wanted entries are proved together, from one read of their nodes.
    const registryCheckpoint = await this.ledger.latestCheckpoint(REGISTRY_LOG, { published: true });
    let registryEntries = 0;
    if (registryCheckpoint) {
      yield line({ kind: 'registry-checkpoint', note: registryCheckpoint.note });
      const roll = await this.ledger.lastIndexOfType(REGISTRY_LOG, 'RollCommitted', registryCheckpoint.size);
      for await (const rows of this.#pages(REGISTRY_LOG, registryCheckpoint.size)) {
        const wanted = rows.filter(
          (row) =>
            row.index === roll ||
            (row.type === 'Enrolled' && pseudonyms.has((decodeEntry(row.bytes).body as { pseudonym?: string }).pseudonym ?? '')),
        );
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
