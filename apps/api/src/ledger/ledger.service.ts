import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ledgerEntry } from './ledger-entry.ts';
import {
  EMPTY_ROOT,
  GENESIS_PREVIOUS_HASH,
  TILE_HEIGHT,
  TILE_WIDTH,
  createReceipt,
  contractLogOrigin,
  electionLogOrigin,
  encodeEntryBundle,
  generateConsistencyProof,
  generateInclusionProof,
  generateInclusionProofs,
  parseTilePath,
  registryLogOrigin,
  type NodeHashSource,
} from '@townhall/ledger';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { AppError } from '../common/app-error.ts';
import { logger } from '../common/logger.ts';
import { LedgerRepository, type CheckpointRow, type EntryRow, type LogHead } from './ledger.repository.ts';
import { LogSequencer, type AppendOutcome, type AppendWork, type SequencerState } from './ledger-sequencer.ts';
import { CheckpointPublisher, parseWitnesses, type WitnessPolicySummary } from './checkpoint-publisher.ts';
import { LogKeyring, resolveLogSeed } from './log-key.ts';

export const REGISTRY_LOG = 'registry';

/** The URL name of an election's log. */
export function electionLogName(electionId: string): string {
  return `election-${electionId}`;
}

/** The URL name of a repairs contract's log. */
export function contractLogName(contractId: string): string {
  return `contract-${contractId}`;
}

export interface LogInfo {
  readonly name: string;
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  readonly verifierKey: string;
}

/** The deployment's host as it appears in log origins (`<host>/townhall/...`). */
export function originHost(publicUrl: string): string {
  return new URL(publicUrl).host.toLowerCase();
}

@Injectable()
export class LedgerService implements OnModuleInit, OnModuleDestroy {
  readonly #sequencers = new Map<number, LogSequencer>();
  readonly #logIds = new Map<string, number>();
  #keyring: LogKeyring | undefined;
  #publisher: CheckpointPublisher | undefined;

  constructor(
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.#keyring = new LogKeyring(await resolveLogSeed(this.config.ledger.signingKey, this.repository));
    const witnesses = parseWitnesses(this.config.ledger.witnesses);
    const quorum = this.config.ledger.witnessQuorum ?? Math.floor(witnesses.length / 2) + 1;
    if (quorum > witnesses.length && witnesses.length > 0) throw new Error(`witness quorum ${quorum} exceeds the ${witnesses.length} configured witnesses`);
    this.#publisher = new CheckpointPublisher(this.repository, this.#keyring, witnesses, quorum, this.config.ledger.checkpointIntervalMs, (id) => this.#hashSource(id));
    if (witnesses.length === 0) {
      logger.warn('LEDGER WARNING: no witnesses configured (TOWNHALL_WITNESSES). Checkpoints will be published without cosignatures: nobody outside this deployment vouches for the ledger.');
    }
    await this.ensureRegistryLog();
    // Resume: sign heads that have no checkpoint yet, and finish publishing the latest one.
    for (const log of await this.repository.listLogs()) {
      const latest = await this.repository.latestCheckpoint(log.id);
      if (latest && !latest.publishedAt && latest.size === log.size) this.#publisher.publish(latest);
      else if (!latest || latest.size < log.size) this.#publisher.schedule(log.id);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.#sequencers.values()].map((s) => s.idle()));
    await this.#publisher?.close();
  }

  get witnessPolicy(): WitnessPolicySummary {
    return this.#requirePublisher().policy;
  }

  /**
   * The append contract (docs/decisions/0003-ledger-sequencer.md): `work` writes the feature's
   * index rows with `tx` and returns the entries to append; they are appended in the same
   * transaction. `work` is told the index its first entry will get (`position.nextIndex`), so a
   * row that records its entry's index is written in that transaction too, never after the commit
   * (a crash in between would leave an entry whose row does not know it). Resolves once that
   * transaction has committed; rejects if `work` throws (only its own rows are rolled back) or the
   * batch's transaction fails (then nothing was written). `work` may run twice (decision 0007: a
   * batch in which another caller failed runs again with savepoints), so it must act only through
   * `tx`, never on memory, files or other services.
   */
  async append<T>(logName: string, work: AppendWork<T>): Promise<AppendOutcome<T>> {
    return this.#sequencer(await this.#logId(logName)).submit(work);
  }

  /**
   * Creates a log (idempotent): its row and its first entry, LogCreated, whose body is
   * `{ kind, origin }` plus `electionId` for an election log, `contractId` for a contract log
   * (docs/protocol/ledger.md §2.1).
   */
  async createLog(
    name: string,
    origin: string,
    kind: { kind: 'registry' } | { kind: 'election'; electionId: string } | { kind: 'contract'; contractId: string } | { kind: 'benchmark' },
  ): Promise<LogInfo> {
    await this.repository.insertLogIfAbsent({ name, origin, rootHash: EMPTY_ROOT, headHash: GENESIS_PREVIOUS_HASH });
    const log = await this.repository.findLogByName(name);
    if (!log || log.origin !== origin) throw new AppError('CONFLICT', 'A ledger log with that name already exists for another origin.');
    if (log.size === 0n) {
      await this.#sequencer(log.id).submit(async () => ({ entries: [ledgerEntry('LogCreated', { ...kind, origin })], result: undefined }), { onlyIfEmpty: true });
    }
    return this.getLog(name);
  }

  /**
   * The registry log, created on first start with the origin of the public address. A log keeps its
   * origin for ever (its checkpoints name it): when the deployment later runs at another address, the
   * existing registry is served as it is, and start-up says so (docs/operations.md, "Changing the
   * public address"). Only logs created from then on carry the new host.
   */
  async ensureRegistryLog(): Promise<LogInfo> {
    const existing = await this.repository.findLogByName(REGISTRY_LOG);
    const origin = registryLogOrigin(originHost(this.config.publicUrl));
    if (existing && existing.origin !== origin) {
      logger.warn(
        { logOrigin: existing.origin, publicUrl: this.config.publicUrl },
        'the public address differs from the one this deployment started with: its ledger logs keep their origin; see docs/operations.md, "Changing the public address"',
      );
      return this.getLog(REGISTRY_LOG);
    }
    return this.createLog(REGISTRY_LOG, origin, { kind: 'registry' });
  }

  createElectionLog(electionId: string): Promise<LogInfo> {
    return this.createLog(electionLogName(electionId), electionLogOrigin(originHost(this.config.publicUrl), electionId), { kind: 'election', electionId });
  }

  createContractLog(contractId: string): Promise<LogInfo> {
    return this.createLog(contractLogName(contractId), contractLogOrigin(originHost(this.config.publicUrl), contractId), { kind: 'contract', contractId });
  }

  /** Waits until every queued append has settled (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.#sequencers.values()].map((s) => s.idle()));
  }

  /** Signs a checkpoint for the current head now (instead of waiting for the interval) and starts publishing it. */
  async checkpointNow(logName: string): Promise<CheckpointRow | undefined> {
    const checkpoint = await this.#requirePublisher().signLatest(await this.#logId(logName));
    if (checkpoint && !checkpoint.publishedAt) this.#requirePublisher().publish(checkpoint);
    return checkpoint;
  }

  // ----- reads -----

  async listLogs(): Promise<LogInfo[]> {
    return (await this.repository.listLogs()).map((log) => this.#info(log));
  }

  async getLog(name: string): Promise<LogInfo> {
    return this.#info(await this.#log(name));
  }

  verifierKey(origin: string): string {
    return this.#requireKeyring().verifierKey(origin);
  }

  async latestCheckpoint(name: string, options: { published: boolean }): Promise<CheckpointRow | undefined> {
    return this.repository.latestCheckpoint((await this.#log(name)).id, options);
  }

  async publishedCheckpoint(name: string): Promise<CheckpointRow> {
    const checkpoint = await this.latestCheckpoint(name, { published: true });
    if (!checkpoint) throw new AppError('SERVICE_UNAVAILABLE', 'This log has no published checkpoint yet. Try again in a few seconds.');
    return checkpoint;
  }

  /** A C2SP tlog-tiles resource (`tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`); contents never change. */
  async tile(name: string, path: string): Promise<Uint8Array> {
    const log = await this.#log(name);
    const tile = parseTilePath(path);
    if (!tile) throw new AppError('NOT_FOUND', 'There is no such tile path (C2SP tlog-tiles).');
    const start = tile.index * BigInt(TILE_WIDTH);
    const level = tile.kind === 'entries' ? 0 : tile.level * TILE_HEIGHT;
    const available = log.size >> BigInt(level);
    if (start + BigInt(tile.width) > available) throw new AppError('NOT_FOUND', 'That tile does not exist yet.');
    if (tile.kind === 'entries') {
      const rows = await this.repository.entries(log.id, start, start + BigInt(tile.width));
      return encodeEntryBundle(rows.map((r) => r.bytes));
    }
    const hashes = await this.repository.levelHashes(log.id, level, start, tile.width);
    if (hashes.length !== tile.width) throw new Error(`ledger ${name}: tile ${path} is missing stored nodes`);
    return Buffer.concat(hashes);
  }

  async entries(name: string, start: bigint, end: bigint): Promise<EntryRow[]> {
    const log = await this.#log(name);
    if (start > log.size) throw new AppError('NOT_FOUND', `The log has ${log.size} entries.`);
    return this.repository.entries(log.id, start, end < log.size ? end : log.size);
  }

  async entryByLeafHash(name: string, leafHash: Uint8Array): Promise<EntryRow> {
    const entry = await this.repository.entryByLeafHash((await this.#log(name)).id, leafHash);
    if (!entry) throw new AppError('NOT_FOUND', 'No entry of this log has that leaf hash.');
    return entry;
  }

  /**
   * Inclusion proof of leaf `index` in the tree of `size` (default: the latest published checkpoint),
   * with the leaf hash, in one query for a known log.
   */
  async inclusionProof(name: string, index: bigint, size?: bigint): Promise<{ index: bigint; size: bigint; proof: Uint8Array[]; leafHash: Uint8Array }> {
    const logId = await this.#logId(name);
    const treeSize = size ?? (await this.publishedCheckpoint(name)).size;
    if (index >= treeSize) throw new AppError('NOT_FOUND', `Entry ${index} is not in the tree of size ${treeSize}.`);
    const leaf = { level: 0, index };
    let leafHash: Uint8Array | undefined;
    const source: NodeHashSource = {
      getNodeHashes: async (nodes) => {
        const hashes = await this.#readNodes(name, logId, [...nodes, leaf], treeSize);
        leafHash = hashes.pop();
        return hashes;
      },
    };
    const proof = await generateInclusionProof(source, index, treeSize);
    leafHash ??= (await this.#readNodes(name, logId, [leaf], treeSize))[0]!;
    return { index, size: treeSize, proof, leafHash };
  }

  /**
   * Inclusion proofs of many leaves in the tree of `size`, in the order of `indices`, from one read of
   * the nodes they need (what the election record uses for its registry entries). Callers bound the
   * batch: the nodes of every proof are held at once.
   */
  async inclusionProofs(name: string, indices: readonly bigint[], size: bigint): Promise<Uint8Array[][]> {
    const logId = await this.#logId(name);
    for (const index of indices) if (index >= size) throw new AppError('NOT_FOUND', `Entry ${index} is not in the tree of size ${size}.`);
    const source: NodeHashSource = { getNodeHashes: (nodes) => this.#readNodes(name, logId, nodes, size, { bulk: true }) };
    return generateInclusionProofs(source, indices, size);
  }

  /** The index of the last entry of `type` among the first `size` entries of a log, if there is one. */
  async lastIndexOfType(name: string, type: string, size: bigint): Promise<bigint | undefined> {
    return this.repository.lastIndexOfType(await this.#logId(name), type, size);
  }

  async consistencyProof(name: string, from: bigint, to: bigint): Promise<Uint8Array[]> {
    const log = await this.#log(name);
    if (from > to) throw new AppError('VALIDATION_FAILED', 'Sizes must satisfy from ≤ to.');
    // Checked here, not only when a node is missing: a proof that reads no node (from = 0 or from = to) is empty.
    if (to > log.size) throw new AppError('VALIDATION_FAILED', `The log has only ${log.size} entries; ask for a tree size up to that.`);
    const logId = log.id;
    const source: NodeHashSource = { getNodeHashes: (nodes) => this.#readNodes(name, logId, nodes, to) };
    return generateConsistencyProof(source, from, to);
  }

  /** Stored hashes for a tree of `size`; a size beyond the log is the caller's mistake (4xx), a gap below it is a bug. */
  async #readNodes(name: string, logId: number, nodes: readonly { level: number; index: bigint }[], size: bigint, options: { bulk?: boolean } = {}): Promise<Uint8Array[]> {
    const hashes = await (options.bulk ? this.repository.nodeHashesInBulk(logId, nodes) : this.repository.nodeHashes(logId, nodes));
    if (hashes.every((h) => h !== undefined)) return hashes as Uint8Array[];
    const log = await this.#log(name);
    if (size > log.size) throw new AppError('VALIDATION_FAILED', `The log has only ${log.size} entries; ask for a tree size up to that.`);
    throw new Error(`ledger ${name}: stored nodes missing below size ${log.size}`);
  }

  /** A C2SP tlog-proof receipt for entry `index` against the latest published checkpoint, carrying the entry bytes. */
  async receipt(name: string, index: bigint): Promise<string> {
    const log = await this.#log(name);
    const checkpoint = await this.publishedCheckpoint(name);
    if (index >= log.size) throw new AppError('NOT_FOUND', `The log has ${log.size} entries.`);
    if (index >= checkpoint.size) throw new AppError('SERVICE_UNAVAILABLE', 'That entry is not in a published checkpoint yet. Try again in a few seconds.');
    const [entry] = await this.repository.entries(log.id, index, index + 1n);
    return createReceipt(this.#hashSource(log.id), index, checkpoint.note, { extra: entry!.bytes });
  }

  // ----- internals -----

  #info(log: LogHead): LogInfo {
    return { name: log.name, origin: log.origin, size: log.size, rootHash: log.rootHash, verifierKey: this.verifierKey(log.origin) };
  }

  async #log(name: string): Promise<LogHead> {
    const log = await this.repository.findLogByName(name);
    if (!log) throw new AppError('NOT_FOUND', 'There is no ledger log with that name.');
    return log;
  }

  async #logId(name: string): Promise<number> {
    let id = this.#logIds.get(name);
    if (id === undefined) {
      id = (await this.#log(name)).id;
      this.#logIds.set(name, id);
    }
    return id;
  }

  /** Each log's sequencer as it is now (appends waiting, the step of the batch being written), for diagnostics. */
  sequencerStates(): ({ logId: number } & SequencerState)[] {
    return [...this.#sequencers].map(([logId, sequencer]) => ({ logId, ...sequencer.state() }));
  }

  #sequencer(logId: number): LogSequencer {
    let sequencer = this.#sequencers.get(logId);
    if (!sequencer) {
      sequencer = new LogSequencer(logId, this.repository, (id) => this.#publisher?.schedule(id));
      this.#sequencers.set(logId, sequencer);
    }
    return sequencer;
  }

  #hashSource(logId: number): NodeHashSource {
    return {
      getNodeHashes: async (nodes) => {
        const hashes = await this.repository.nodeHashes(logId, nodes);
        return hashes.map((hash, i) => {
          if (!hash) throw new Error(`ledger log ${logId}: node ${nodes[i]!.level}/${nodes[i]!.index} is missing`);
          return hash;
        });
      },
    };
  }

  #requireKeyring(): LogKeyring {
    if (!this.#keyring) throw new Error('LedgerService used before it was initialised');
    return this.#keyring;
  }

  #requirePublisher(): CheckpointPublisher {
    if (!this.#publisher) throw new Error('LedgerService used before it was initialised');
    return this.#publisher;
  }
}
