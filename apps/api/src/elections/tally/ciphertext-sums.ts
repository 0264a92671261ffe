import { Worker } from 'node:worker_threads';
import { IDENTITY, decodePoint, type Ciphertext } from '@townhall/crypto';

export interface SumRequest {
  readonly id: number;
  readonly width: number;
  /** Per ballot, its ciphertexts (hex) in manifest order. */
  readonly rows: readonly (readonly string[])[];
}

export type SumReply = { id: number; sums: { alpha: Uint8Array; beta: Uint8Array }[] } | { id: number; error: string };

const entry = new URL('./ciphertext-sum.worker-bootstrap.mjs', import.meta.url);

/**
 * Homomorphic sums of many ballots on worker threads: decoding a ristretto255 point costs an
 * inverse square root (tens of µs), and a tally decodes ten points per 1 × 5 ballot, so the work is
 * spread over `threads` workers while the event loop keeps serving requests. Each call sums one
 * page of ballots; `total()` combines the pages' partial sums.
 */
export class CiphertextSums {
  readonly #workers: Worker[];
  readonly #waiting = new Map<number, { resolve(sums: Ciphertext[]): void; reject(error: Error): void }>();
  readonly #totals: Ciphertext[];
  readonly #pending: Promise<void>[] = [];
  #nextId = 1;
  #turn = 0;

  constructor(
    private readonly width: number,
    threads: number,
  ) {
    this.#totals = Array.from({ length: width }, () => ({ alpha: IDENTITY, beta: IDENTITY }));
    this.#workers = Array.from({ length: threads }, () => {
      const worker = new Worker(entry);
      worker.on('message', (reply: SumReply) => {
        const waiting = this.#waiting.get(reply.id);
        if (!waiting) return;
        this.#waiting.delete(reply.id);
        if ('error' in reply) waiting.reject(new Error(`summing ciphertexts failed: ${reply.error}`));
        else waiting.resolve(reply.sums.map((s) => ({ alpha: decodePoint(new Uint8Array(s.alpha), 'alpha', { allowIdentity: true }), beta: decodePoint(new Uint8Array(s.beta), 'beta', { allowIdentity: true }) })));
      });
      worker.on('error', (error) => this.#failAll(error));
      return worker;
    });
  }

  /** Queues a page, split evenly over the workers (summed in the background; see total()). */
  add(rows: readonly (readonly string[])[]): void {
    const share = Math.ceil(rows.length / this.#workers.length);
    for (let start = 0; start < rows.length; start += share) {
      const worker = this.#workers[this.#turn++ % this.#workers.length]!;
      const id = this.#nextId++;
      const done = new Promise<Ciphertext[]>((resolve, reject) => this.#waiting.set(id, { resolve, reject })).then((sums) => {
        sums.forEach((s, k) => {
          this.#totals[k] = { alpha: this.#totals[k]!.alpha.add(s.alpha), beta: this.#totals[k]!.beta.add(s.beta) };
        });
      });
      done.catch(() => {}); // surfaced by total()
      this.#pending.push(done);
      const request: SumRequest = { id, width: this.width, rows: rows.slice(start, start + share) };
      worker.postMessage(request);
    }
  }

  /** Number of pages handed over and not yet summed (callers bound it to bound memory). */
  get backlog(): number {
    return this.#waiting.size;
  }

  /** Waits for every page and returns the column sums. */
  async total(): Promise<Ciphertext[]> {
    await Promise.all(this.#pending);
    return this.#totals;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #failAll(error: unknown): void {
    for (const waiting of this.#waiting.values()) waiting.reject(new Error('a tally worker stopped', { cause: error }));
    this.#waiting.clear();
  }
}
