/**
 * Signs checkpoints after appends (at most one per log per interval), has them cosigned by the
 * configured witnesses through C2SP tlog-witness add-checkpoint, and marks a checkpoint
 * *published* once the witness policy (k of n) is met. A witness that is down is retried with
 * backoff; a newer checkpoint replaces an older one still waiting, so witnesses catch up.
 */
import { addSignatures, formatCheckpoint, generateConsistencyProof, parseNote, parseVerifierKey, signNote, SIGNATURE_TYPE_COSIGNATURE_V1, type NodeHashSource, type NoteVerifier } from '@townhall/ledger';
import { logger } from '../common/logger.ts';
import type { CheckpointRow, LedgerRepository } from './ledger.repository.ts';
import type { LogKeyring } from './log-key.ts';
import { addCheckpoint } from './witness-client.ts';

export interface ConfiguredWitness {
  readonly verifierKey: string;
  readonly verifier: NoteVerifier;
  readonly url: string;
}

export interface WitnessPolicySummary {
  readonly quorum: number;
  witnesses: { name: string; verifierKey: string; url: string }[];
  /** False when no witness is configured: checkpoints are then published without cosignatures. */
  readonly isEnforced: boolean;
  readonly warning?: string;
}

export function parseWitnesses(list: readonly { verifierKey: string; url: string }[]): ConfiguredWitness[] {
  return list.map(({ verifierKey, url }) => {
    const verifier = parseVerifierKey(verifierKey);
    if (verifier.type !== SIGNATURE_TYPE_COSIGNATURE_V1) throw new Error(`witness key ${verifierKey} is not a cosignature/v1 (type 0x04) key`);
    return { verifierKey, verifier, url };
  });
}

const MAX_RETRY_MS = 5_000;

interface LogState {
  timer?: NodeJS.Timeout;
  signing?: Promise<void>;
  isDirty: boolean;
  lastSignedAt: number;
  /** The newest checkpoint each witness should cosign, and whether a loop is working on it. */
  target?: CheckpointRow;
  loops: Set<string>;
}

export class CheckpointPublisher {
  readonly #logs = new Map<number, LogState>();
  readonly #witnessSizes = new Map<string, bigint>();
  readonly #tasks = new Set<Promise<unknown>>();
  readonly #sleepers = new Set<() => void>();
  #isClosed = false;

  constructor(
    private readonly repository: LedgerRepository,
    private readonly keyring: LogKeyring,
    readonly witnesses: readonly ConfiguredWitness[],
    readonly quorum: number,
    private readonly intervalMs: number,
    private readonly hashSource: (logId: number) => NodeHashSource,
  ) {}

  get policy(): WitnessPolicySummary {
    const witnesses = this.witnesses.map((w) => ({ name: w.verifier.name, verifierKey: w.verifierKey, url: w.url }));
    return this.witnesses.length === 0
      ? { quorum: 0, witnesses, isEnforced: false, warning: 'No witnesses are configured: checkpoints are published without any cosignature, so nobody outside this deployment vouches for them.' }
      : { quorum: this.quorum, witnesses, isEnforced: true };
  }

  #state(logId: number): LogState {
    let state = this.#logs.get(logId);
    if (!state) {
      state = { isDirty: false, lastSignedAt: 0, loops: new Set() };
      this.#logs.set(logId, state);
    }
    return state;
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#tasks.add(promise);
    void promise.finally(() => this.#tasks.delete(promise)).catch(() => undefined);
    return promise;
  }

  /** Called after a batch commits: a checkpoint follows within the interval. */
  schedule(logId: number): void {
    if (this.#isClosed) return;
    const state = this.#state(logId);
    if (state.timer || state.signing) {
      state.isDirty = true;
      return;
    }
    const delay = Math.max(0, state.lastSignedAt + this.intervalMs - Date.now());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.signing = this.#track(this.#signAndPublish(logId)).finally(() => {
        state.signing = undefined;
        state.lastSignedAt = Date.now();
        if (state.isDirty) {
          state.isDirty = false;
          this.schedule(logId);
        }
      });
    }, delay);
  }

  async #signAndPublish(logId: number): Promise<void> {
    try {
      const checkpoint = await this.signLatest(logId);
      if (checkpoint && !checkpoint.publishedAt) this.publish(checkpoint);
    } catch (error) {
      if (!this.#isClosed) logger.error({ err: error, logId }, 'signing a checkpoint failed');
    }
  }

  /** Signs a checkpoint for the log's current head unless the latest checkpoint already covers it. */
  async signLatest(logId: number): Promise<CheckpointRow | undefined> {
    const log = await this.repository.findLogById(logId);
    if (!log || log.size === 0n) return undefined;
    const latest = await this.repository.latestCheckpoint(logId);
    if (latest && latest.size >= log.size) return latest;
    const note = signNote(formatCheckpoint({ origin: log.origin, size: log.size, rootHash: log.rootHash }), [this.keyring.signer(log.origin)]);
    return this.repository.insertCheckpoint(logId, { size: log.size, rootHash: log.rootHash, note });
  }

  /** Sends the checkpoint to every witness (or publishes it at once when none is configured). */
  publish(checkpoint: CheckpointRow): void {
    if (this.#isClosed) return;
    if (this.witnesses.length === 0) {
      void this.#track(this.repository.publishCheckpoint(checkpoint.id, checkpoint.note)).catch((error) => logger.error({ err: error }, 'publishing a checkpoint failed'));
      return;
    }
    const state = this.#state(checkpoint.logId);
    if (state.target && state.target.size >= checkpoint.size) return;
    state.target = checkpoint;
    for (const witness of this.witnesses) {
      if (state.loops.has(witness.verifierKey)) continue;
      state.loops.add(witness.verifierKey);
      void this.#track(this.#witnessLoop(checkpoint.logId, witness));
    }
  }

  /** Gets the newest target checkpoint cosigned by one witness, retrying while it is unreachable. */
  async #witnessLoop(logId: number, witness: ConfiguredWitness): Promise<void> {
    const state = this.#state(logId);
    let delay = 250;
    let done: CheckpointRow | undefined;
    try {
      while (!this.#isClosed && state.target && state.target !== done) {
        const checkpoint = state.target;
        try {
          const outcome = await this.#cosign(checkpoint, witness);
          if (outcome === 'cosigned' || outcome === 'superseded') {
            done = checkpoint;
            delay = 250;
            continue;
          }
        } catch (error) {
          if (this.#isClosed) return;
          logger.warn({ witness: witness.url, logId, size: String(checkpoint.size), err: error }, 'cosigning failed (witness unreachable or refused, or the database); will retry');
        }
        await this.#sleep(delay);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    } finally {
      // Runs in the same tick as the loop's last look at `target`: a checkpoint published after
      // that finds no loop registered and starts a new one.
      state.loops.delete(witness.verifierKey);
    }
  }

  async #cosign(checkpoint: CheckpointRow, witness: ConfiguredWitness): Promise<'cosigned' | 'superseded' | 'refused'> {
    const key = `${checkpoint.logId}|${witness.verifierKey}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const oldSize = this.#witnessSizes.get(key) ?? (await this.repository.witnessedSize(checkpoint.logId, witness.verifierKey));
      if (oldSize > checkpoint.size) {
        const log = await this.repository.findLogById(checkpoint.logId);
        if (log && oldSize > log.size) {
          // The witness cosigned a bigger tree than this log has: it saw another history of this
          // origin (e.g. the database was reset but the witness kept its state). It will refuse us.
          logger.error({ witness: witness.url, witnessSize: String(oldSize), logSize: String(log.size), origin: log.origin }, 'witness has cosigned a larger tree than this log holds: history was reset or forked');
          return 'refused';
        }
        return 'superseded';
      }
      const proof = await generateConsistencyProof(this.hashSource(checkpoint.logId), oldSize, checkpoint.size);
      const result = await addCheckpoint({ url: witness.url, witness: witness.verifier, oldSize, proof, checkpointNote: checkpoint.note });
      if (result.kind === 'conflict') {
        this.#witnessSizes.set(key, result.witnessSize);
        continue;
      }
      if (result.kind === 'refused') {
        logger.error({ witness: witness.url, status: result.status, message: result.message, size: String(checkpoint.size) }, 'witness refused a checkpoint');
        return 'refused';
      }
      this.#witnessSizes.set(key, checkpoint.size);
      await this.repository.insertCosignature(checkpoint.id, witness.verifierKey, result.signatureLine);
      await this.#publishIfQuorum(checkpoint);
      return 'cosigned';
    }
    return 'refused';
  }

  async #publishIfQuorum(checkpoint: CheckpointRow): Promise<void> {
    const cosignatures = await this.repository.cosignatures(checkpoint.id);
    if (cosignatures.length < this.quorum) return;
    const { text } = parseNote(checkpoint.note);
    const signatures = cosignatures.map((c) => parseNote(`${text}\n${c.signature}`).signatures[0]!);
    await this.repository.publishCheckpoint(checkpoint.id, addSignatures(checkpoint.note, signatures));
  }

  /** Waits `ms`, or less if the publisher is closed meanwhile. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }

  /** Stops timers and retry loops and waits for the work in flight (before the database closes). */
  async close(): Promise<void> {
    this.#isClosed = true;
    for (const state of this.#logs.values()) clearTimeout(state.timer);
    for (const wake of [...this.#sleepers]) wake();
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }
}

