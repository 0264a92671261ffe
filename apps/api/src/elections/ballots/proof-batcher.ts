import { CryptoError, type BallotManifest, type Point, type VerificationPool } from '@townhall/crypto';

/** How long the first request of a batch waits for company, and the largest batch. */
export const BATCH_WINDOW_MS = 3;
export const MAX_BATCH = 64;

interface Waiting {
  /** The ballot in wire format (already parsed once by the caller, so well formed). */
  wire: unknown;
  resolve(): void;
  reject(error: CryptoError): void;
}

/**
 * Verifies the proofs of concurrent ballots of one election together, in worker threads so that
 * the event loop keeps serving requests meanwhile: requests arriving within a few milliseconds,
 * or while every worker is busy with a batch, share one multi-scalar multiplication
 * (`verifyBallotBatch` in the worker, which bisects to name the bad ones). Up to one batch per
 * worker is in flight. A lone request waits only the window. Rejections carry the ballot's
 * CryptoError; a failed worker rejects with WORKER_FAILED (a server fault, not the ballot's).
 */
export class ProofBatcher {
  #queue: Waiting[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  /** The pool's size, known once it has been asked for (it starts on first use). */
  #workers = 1;

  constructor(
    private readonly pool: () => VerificationPool,
    private readonly onWorkerFailure: () => void,
    private readonly manifest: BallotManifest,
    private readonly electionKey: Point,
    private readonly fingerprint: Uint8Array,
  ) {}

  verify(wire: unknown): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ wire, resolve, reject });
      if (this.#isBusy()) return; // picked up when a batch in flight is done
      if (this.#queue.length >= MAX_BATCH) void this.#flush();
      else this.#timer ??= setTimeout(() => void this.#flush(), BATCH_WINDOW_MS);
    });
  }

  /** Every worker has a batch. */
  #isBusy(): boolean {
    return this.#inFlight >= this.#workers;
  }

  async #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#isBusy()) return;
    const batch = this.#queue.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.#inFlight++;
    try {
      const pool = this.pool();
      this.#workers = pool.size;
      const result = await pool.verifyBallots(this.manifest, batch.map((w) => w.wire), this.electionKey, this.fingerprint);
      // The report's message is the worker's CryptoError message, which already starts with the field.
      const failures = new Map(result.invalid.map((i) => [i.index, new CryptoError(i.code, i.field, i.message.startsWith(`${i.field}: `) ? i.message.slice(i.field.length + 2) : i.message)]));
      batch.forEach((w, i) => {
        const failure = failures.get(i);
        if (failure) w.reject(failure);
        else w.resolve();
      });
    } catch (error) {
      const typed = error instanceof CryptoError ? error : new CryptoError('WORKER_FAILED', 'worker', String(error), { cause: error });
      if (typed.code === 'WORKER_FAILED') this.onWorkerFailure();
      for (const w of batch) w.reject(typed);
    } finally {
      this.#inFlight--;
      if (this.#queue.length > 0) void this.#flush();
    }
  }
}
