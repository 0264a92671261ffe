/**
 * The single writer of one log (docs/decisions/0003-ledger-sequencer.md). Appends queue here and
 * are written in batches: one database transaction per batch, the log's head row locked
 * (`FOR UPDATE`) so that several API processes still append in one order. A batch first runs
 * without savepoints; if a caller fails, it runs again with one SAVEPOINT per caller so the failure
 * undoes only that caller's rows (decision 0007). A caller's promise settles only after COMMIT has
 * returned (durable), or it rejects and nothing of it was written.
 */
import { TreeBuilder, encodeEntry, entryLeafHash, encodeHex, type EntryBody, type EntryTypeName, type NodeHashSource } from '@townhall/ledger';
import { AppError } from '../common/app-error.ts';
import type { EntryRow, LedgerRepository, LogHead, NodeRow, TransactionClient } from './ledger.repository.ts';

export interface AppendEntry {
  readonly type: EntryTypeName;
  readonly body: EntryBody;
}

/**
 * Where a caller's entries will land, known before its `work` runs: the first entry it returns gets
 * `nextIndex`, the next one `nextIndex + 1`, and so on (callers of a batch run one after another, and
 * only the entries of callers that succeed advance the log). A `work` writes these indices into its
 * own rows in the same transaction, so no committed entry ever lacks its index row.
 */
export interface AppendPosition {
  readonly nextIndex: bigint;
}

export type AppendWork<T> = (tx: TransactionClient, position: AppendPosition) => Promise<{ entries: readonly AppendEntry[]; result: T }>;

export interface Appended {
  readonly index: bigint;
  /** RFC 6962 leaf hash, lower-case hex. */
  readonly leafHash: string;
}

export interface AppendOutcome<T> {
  readonly result: T;
  readonly appended: Appended[];
}

interface Pending {
  readonly work: AppendWork<unknown>;
  /** Log creation: append only if the log is still empty when this request is sequenced. */
  readonly onlyIfEmpty: boolean;
  resolve(outcome: AppendOutcome<unknown>): void;
  reject(error: unknown): void;
}

/** Callers per transaction: bounds the transaction's length and its number of subtransactions. */
export const MAX_BATCH = 256;

/** What a sequencer is doing, for diagnostics: appends waiting, and the step of the batch being written. */
export interface SequencerState {
  readonly queued: number;
  /** The step of the batch being written (`undefined` when none is), and since when (ms since the epoch). */
  readonly step: string | undefined;
  readonly stepSince: number | undefined;
}

export class LogSequencer {
  readonly #queue: Pending[] = [];
  #running: Promise<void> | undefined;
  #step: string | undefined;
  #stepSince: number | undefined;
  /** The tree's frontier after the last batch this process committed; checked against the locked head. */
  #builder: TreeBuilder | undefined;
  #builderRoot: Uint8Array | undefined;

  constructor(
    readonly logId: number,
    private readonly repository: LedgerRepository,
    private readonly onCommitted: (logId: number) => void,
  ) {}

  submit<T>(work: AppendWork<T>, options: { onlyIfEmpty?: boolean } = {}): Promise<AppendOutcome<T>> {
    return new Promise<AppendOutcome<T>>((resolve, reject) => {
      this.#queue.push({ work, onlyIfEmpty: options.onlyIfEmpty ?? false, resolve: resolve as Pending['resolve'], reject });
      this.#running ??= this.#drain();
    });
  }

  state(): SequencerState {
    return { queued: this.#queue.length, step: this.#step, stepSince: this.#stepSince };
  }

  #at(step: string | undefined): void {
    this.#step = step;
    this.#stepSince = step === undefined ? undefined : Date.now();
  }

  /** Resolves once every queued append has settled. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // Let callers that were just answered submit their next append, so batches stay full.
        await new Promise((resolve) => setImmediate(resolve));
        await this.#writeBatch(this.#queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.#running = undefined;
      this.#at(undefined);
    }
  }

  async #treeAt(tx: TransactionClient, head: LogHead): Promise<TreeBuilder> {
    const cached = this.#builder;
    if (cached && cached.size === head.size && this.#builderRoot && encodeHex(this.#builderRoot) === encodeHex(head.rootHash)) {
      return TreeBuilder.fromFrontier(cached.size, cached.frontier().map((n) => n.hash));
    }
    // Another process appended since (or first use): read the frontier back from the stored nodes.
    const source: NodeHashSource = {
      getNodeHashes: async (nodes) => {
        const hashes = await this.repository.nodeHashes(this.logId, nodes, tx);
        return hashes.map((h, i) => {
          if (!h) throw new Error(`ledger log ${this.logId}: stored node ${nodes[i]!.level}/${nodes[i]!.index} is missing`);
          return h;
        });
      },
    };
    const builder = await TreeBuilder.fromSource(source, head.size);
    if (encodeHex(builder.root()) !== encodeHex(head.rootHash)) {
      throw new Error(`ledger log ${this.logId}: stored nodes do not match the stored root at size ${head.size}`);
    }
    return builder;
  }

  /**
   * One batch, one transaction. It is first tried without savepoints: a caller's SAVEPOINT is a
   * round trip of its own, which with small statements costs about as much as the caller's work. If
   * any caller's `work` fails in that try, the transaction is rolled back whole and the batch runs
   * again with a savepoint per caller, so the failure undoes only the failing caller's rows. A `work`
   * may therefore run twice; it acts only through `tx`, so its first run leaves nothing behind. A
   * batch of one caller needs no savepoint at all: its failure is the transaction's.
   */
  async #writeBatch(batch: Pending[]): Promise<void> {
    let attempt: Attempt;
    try {
      attempt = await this.#attempt(batch, { savepoints: false });
      if (attempt.kind === 'retry') attempt = await this.#attempt(batch, { savepoints: true });
    } catch (error) {
      // The transaction did not commit (or we cannot know that it did): nobody is acknowledged.
      this.#builder = undefined;
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (attempt.kind === 'retry') {
      // Cannot happen (with savepoints every failure stays its caller's), but no caller may hang.
      for (const pending of batch) pending.reject(new Error('ledger batch: the try with savepoints asked for another'));
      return;
    }
    const { builder, appendedCount, outcomes } = attempt;
    // A rolled-back lone caller leaves the tree as it was, and the cached frontier with it.
    if (builder) {
      this.#builder = builder;
      this.#builderRoot = builder.root();
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.outcome) : batch[i]!.reject(outcome.error)));
    if (appendedCount > 0) this.onCommitted(this.logId);
  }

  async #attempt(batch: Pending[], options: { savepoints: boolean }): Promise<Attempt> {
    const isolated = options.savepoints || batch.length === 1;
    try {
      this.#at(`${options.savepoints ? 'savepoint ' : ''}transaction of ${batch.length}: begin`);
      return await this.repository.transaction(async (tx) => {
        const outcomes: Outcome[] = [];
        this.#at('lock head');
        const head = await this.repository.lockHead(tx, this.logId);
        if (!head) throw new AppError('NOT_FOUND', 'There is no such ledger log.', { logMessage: `ledger log ${this.logId} vanished` });
        const builder = await this.#treeAt(tx, head);
        let previousHash = head.headHash;
        const entryRows: EntryRow[] = [];
        const nodeRows: NodeRow[] = [];
        for (const [i, pending] of batch.entries()) {
          if (pending.onlyIfEmpty && builder.size > 0n) {
            outcomes.push({ ok: true, outcome: { result: undefined, appended: [] } });
            continue;
          }
          const savepoint = options.savepoints ? lazySavepoint(tx, () => this.repository.savepoint(tx, `ledger_append_${i}`)) : undefined;
          try {
            this.#at(`work ${i + 1} of ${batch.length}`);
            const { entries, result } = await pending.work(savepoint?.client ?? tx, { nextIndex: builder.size });
            if (!Array.isArray(entries)) throw new TypeError('append work must return { entries: [...], result }');
            // Encode every entry first: a bad entry (too large, not JSON) fails this caller only.
            let previous = previousHash;
            const encoded = entries.map((entry) => {
              const bytes = encodeEntry({ type: entry.type, body: entry.body, previousHash: previous });
              const leafHash = entryLeafHash(bytes);
              previous = leafHash;
              return { type: entry.type, bytes, leafHash };
            });
            const appended: Appended[] = [];
            for (const entry of encoded) {
              const index = builder.size;
              for (const node of builder.append(entry.leafHash)) if (node.level > 0) nodeRows.push(node);
              entryRows.push({ index, ...entry });
              appended.push({ index, leafHash: encodeHex(entry.leafHash) });
            }
            previousHash = previous;
            outcomes.push({ ok: true, outcome: { result, appended } });
          } catch (error) {
            if (!isolated) throw new RetryWithSavepoints();
            if (batch.length === 1) throw new CallerFailed(error);
            if (savepoint?.isTaken()) await this.repository.rollbackToSavepoint(tx, `ledger_append_${i}`);
            outcomes.push({ ok: false, error });
          }
        }
        if (entryRows.length > 0) {
          this.#at('write entries');
          await this.repository.writeBatch(tx, this.logId, { entries: entryRows, nodes: nodeRows, size: builder.size, rootHash: builder.root(), headHash: previousHash });
        }
        this.#at('commit');
        return { kind: 'done' as const, builder, appendedCount: entryRows.length, outcomes };
      });
    } catch (error) {
      if (error instanceof RetryWithSavepoints) return { kind: 'retry' };
      // The lone caller's work failed: its transaction is rolled back, and the tree is as it was.
      if (error instanceof CallerFailed) return { kind: 'done', appendedCount: 0, outcomes: [{ ok: false, error: error.failure }] };
      throw error;
    }
  }
}

type Outcome = { ok: true; outcome: AppendOutcome<unknown> } | { ok: false; error: unknown };
/** `builder` is the tree after a committed transaction; absent when the transaction was rolled back. */
type Attempt = { kind: 'retry' } | { kind: 'done'; builder?: TreeBuilder; appendedCount: number; outcomes: Outcome[] };

/** Thrown out of a batch's transaction (rolling it back) when a caller failed without a savepoint. */
class RetryWithSavepoints extends Error {}

/** Thrown out of a one-caller batch's transaction: the caller's own failure, rolled back with it. */
class CallerFailed extends Error {
  constructor(readonly failure: unknown) {
    super('the append work failed');
  }
}

/**
 * The transaction as one caller's `work` sees it: the caller's SAVEPOINT is taken just before its
 * first statement, so a work that writes nothing (or fails before writing) costs no round trip.
 * Every model method and raw query waits for the savepoint first, keeping statement order.
 */
function lazySavepoint(tx: TransactionClient, take: () => Promise<void>): { client: TransactionClient; isTaken(): boolean } {
  let taken: Promise<void> | undefined;
  const ensure = () => (taken ??= take());
  const wrap = (target: object, value: unknown): unknown =>
    typeof value === 'function' ? (...args: unknown[]) => ensure().then(() => (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
  const delegates = new Map<PropertyKey, unknown>();
  const client = new Proxy(tx, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property === 'symbol' || property === 'then') return value;
      if (typeof value === 'function') return wrap(target, value);
      if (value === null || typeof value !== 'object') return value;
      // A model delegate (tx.elector, tx.ballot, ...): wrap its methods.
      if (!delegates.has(property)) delegates.set(property, new Proxy(value, { get: (delegate, method) => wrap(delegate, Reflect.get(delegate, method) as unknown) }));
      return delegates.get(property);
    },
  });
  return { client, isTaken: () => taken !== undefined };
}
