import { Inject, Injectable } from '@nestjs/common';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG, electionLogName } from '../ledger/ledger.module.ts';
import { LedgerRecordWriter } from './ledger-record-writer.ts';

export const RECORD_FORMAT = 'townhall/election-record';

/**
 * The election record (docs/protocol/record.md): one JSON Lines document with everything an observer
 * needs to verify an election offline. Built up to the latest published checkpoint, so a record
 * downloaded while voting is open is a prefix that the witnesses have vouched for.
 */
@Injectable()
export class RecordService {
  constructor(
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LedgerRecordWriter) private readonly writer: LedgerRecordWriter,
  ) {}

  /**
   * The record as text chunks, each made of whole lines, in record order. Memory stays bounded by one
   * page of entries (and one of proofs) plus the election's pseudonyms.
   */
  chunks(electionId: string): AsyncGenerator<string> {
    const pseudonyms = new Set<string>();
    return this.writer.chunks({
      logName: electionLogName(electionId),
      header: { format: RECORD_FORMAT, version: 1, electionId },
      logKeysField: 'electionLog',
      collect: (row) => {
        if (row.type === 'CredentialIssued') pseudonyms.add((decodeEntry(row.bytes).body as { pseudonym: string }).pseudonym);
      },
      // Registry entries the election depends on (record.md §3): the latest RollCommitted (eligible
      // electors per district) and the Enrolled entries naming the passkeys of the credential holders.
      registryEntries: async (size) => {
        const roll = await this.ledger.lastIndexOfType(REGISTRY_LOG, 'RollCommitted', size);
        return (row) =>
          row.index === roll || (row.type === 'Enrolled' && pseudonyms.has((decodeEntry(row.bytes).body as { pseudonym?: string }).pseudonym ?? ''));
      },
    });
  }
}
