import { CryptoError, verifyBallotBatch, type BallotManifest, type EncryptedBallot, type Point } from '@townhall/crypto';

/** How long the first request of a batch waits for company, and the largest batch. */
export const BATCH_WINDOW_MS = 3;
export const MAX_BATCH = 64;

interface Waiting {
  ballot: EncryptedBallot;
  resolve(): void;
  reject(error: CryptoError): void;
}

/**
 * Verifies the proofs of concurrent ballots of one election together: requests arriving within a few
 * milliseconds share one multi-scalar multiplication (`verifyBallotBatch`, which bisects to name the
 * bad ones), so the cost per ballot falls as load rises while a lone request waits only the window.
 */
export class ProofBatcher {
  #queue: Waiting[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly manifest: BallotManifest,
    private readonly electionKey: Point,
    private readonly fingerprint: Uint8Array,
  ) {}

  verify(ballot: EncryptedBallot): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ ballot, resolve, reject });
      if (this.#queue.length >= MAX_BATCH) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), BATCH_WINDOW_MS);
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue.splice(0, MAX_BATCH);
    if (this.#queue.length > 0) this.#timer = setTimeout(() => this.#flush(), 0);
    if (batch.length === 0) return;
    let result;
    try {
      result = verifyBallotBatch(this.manifest, batch.map((w) => w.ballot), this.electionKey, this.fingerprint);
    } catch (error) {
      const typed = error instanceof CryptoError ? error : new CryptoError('INVALID_BALLOT', 'ballot', String(error));
      for (const w of batch) w.reject(typed);
      return;
    }
    const failures = new Map(result.invalid.map((i) => [i.index, i.error]));
    batch.forEach((w, i) => {
      const failure = failures.get(i);
      if (failure) w.reject(failure);
      else w.resolve();
    });
  }
}
