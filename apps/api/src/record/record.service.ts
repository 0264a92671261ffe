import { Inject, Injectable } from '@nestjs/common';
import { decodeEntry, encodeBase64 } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG, electionLogName } from '../ledger/ledger.module.ts';
import { RecordRepository } from './record.repository.ts';

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
    @Inject(RecordRepository) private readonly repository: RecordRepository,
  ) {}

  async *lines(electionId: string): AsyncGenerator<string> {
    const name = electionLogName(electionId);
    const log = await this.ledger.getLog(name);
    const registry = await this.ledger.getLog(REGISTRY_LOG);
    const policy = this.ledger.witnessPolicy;
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;

    yield line({ kind: 'record', format: RECORD_FORMAT, version: 1, electionId, createdAt: new Date().toISOString() });
    yield line({
      kind: 'keys',
      electionLog: { origin: log.origin, verifierKey: log.verifierKey },
      registryLog: { origin: registry.origin, verifierKey: registry.verifierKey },
      witnessPolicy: { quorum: policy.quorum, witnesses: policy.witnesses.map((w) => w.verifierKey) },
    });

    // Only what a published (witnessed) checkpoint vouches for: entries appended since then follow in
    // the next download, once the witnesses have cosigned them (record.md §1).
    const size = (await this.ledger.latestCheckpoint(name, { published: true }))?.size ?? 0n;
    const pseudonyms = new Set<string>();
    const page = 1000n;
    for (let start = 0n; start < size; start += page) {
      const end = start + page < size ? start + page : size;
      for (const row of await this.ledger.entries(name, start, end)) {
        if (row.type === 'CredentialIssued') pseudonyms.add((decodeEntry(row.bytes).body as { pseudonym: string }).pseudonym);
        yield line({ kind: 'entry', index: row.index.toString(), bytes: encodeBase64(row.bytes) });
      }
    }
    const checkpoints = await this.repository.publishedCheckpoints(name, size);
    for (const checkpoint of checkpoints) yield line({ kind: 'checkpoint', note: checkpoint.note });

    // Registry entries the election depends on: the latest RollCommitted (eligible electors per
    // district) and the Enrolled entries naming the passkeys of the credential holders, each with an
    // inclusion proof against the latest published registry checkpoint.
    const registryCheckpoint = await this.ledger.latestCheckpoint(REGISTRY_LOG, { published: true });
    let registryEntries = 0;
    if (registryCheckpoint) {
      yield line({ kind: 'registry-checkpoint', note: registryCheckpoint.note });
      const wanted: bigint[] = [];
      let roll: bigint | undefined;
      for (let start = 0n; start < registryCheckpoint.size; start += page) {
        const end = start + page < registryCheckpoint.size ? start + page : registryCheckpoint.size;
        for (const row of await this.ledger.entries(REGISTRY_LOG, start, end)) {
          if (row.type === 'RollCommitted') roll = row.index;
          else if (row.type === 'Enrolled' && pseudonyms.has((decodeEntry(row.bytes).body as { pseudonym?: string }).pseudonym ?? '')) wanted.push(row.index);
        }
      }
      if (roll !== undefined) wanted.push(roll);
      wanted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const index of wanted) {
        const [row] = await this.ledger.entries(REGISTRY_LOG, index, index + 1n);
        const inclusion = await this.ledger.inclusionProof(REGISTRY_LOG, index, registryCheckpoint.size);
        yield line({ kind: 'registry-entry', index: index.toString(), bytes: encodeBase64(row!.bytes), proof: inclusion.proof.map((p) => encodeBase64(p)) });
        registryEntries++;
      }
    }
    yield line({ kind: 'end', entries: size.toString(), checkpoints: checkpoints.length, registryEntries });
  }
}
