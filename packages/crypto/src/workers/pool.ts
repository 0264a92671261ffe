/**
 * A small pool that spreads ballot verification over worker threads (Node `worker_threads`) or
 * Web Workers. The pool only needs a way to spawn an endpoint; the adapters below wrap either
 * kind of worker, so this module imports nothing platform-specific and runs in both.
 */
import { CryptoError } from '../errors.ts';
import { pointToHex, toHex, type Point } from '../group.ts';
import type { BallotManifest } from '../ballot/schema.ts';
import { isKnownErrorCode, type InvalidBallotReport, type VerifyChunkRequest, type VerifyChunkResponse } from './protocol.ts';

/** The part of a worker the pool uses. */
export interface WorkerEndpoint {
  postMessage(message: VerifyChunkRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  onError(listener: (error: unknown) => void): void;
  terminate(): void | Promise<unknown>;
}

/** Adapts a browser `Worker` (module worker running `verify-worker.browser.ts`). */
export function fromWebWorker(worker: Worker): WorkerEndpoint {
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener((event as MessageEvent).data)),
    onError: (listener) => worker.addEventListener('error', (event) => listener(event)),
    terminate: () => worker.terminate(),
  };
}

/** Adapts a Node `worker_threads` Worker (running `verify-worker.node.ts`). */
export function fromNodeWorker(worker: {
  postMessage(message: unknown): void;
  on(event: 'message' | 'error', listener: (value: unknown) => void): unknown;
  terminate(): Promise<number>;
}): WorkerEndpoint {
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    terminate: () => worker.terminate(),
  };
}

export interface PoolVerifyResult {
  readonly isValid: boolean;
  readonly invalid: readonly InvalidBallotReport[];
  /** Sum over workers of the time spent in each phase (ms of worker time, not wall time). */
  readonly timings: { decodeMs: number; equationsMs: number; msmMs: number };
}

export interface VerificationPool {
  readonly size: number;
  verifyBallots(
    manifest: BallotManifest,
    ballots: readonly unknown[],
    electionKey: Point,
    fingerprint: Uint8Array,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PoolVerifyResult>;
  close(): Promise<void>;
}

/**
 * How a call is cut into chunks: `perWorker` (the default, 4) makes `size × 4` chunks of every call,
 * for progress reports and balance; `whole` keeps each call in one chunk (one multi-scalar
 * multiplication), for a caller that forms its own batches and has several in flight at once.
 */
export type ChunkPolicy = { readonly perWorker: number } | 'whole';

/**
 * Creates `size` workers with `spawn` and returns a pool that splits a list of wire-format
 * ballots into chunks and merges the results. Chunks of every call wait in one queue, and each
 * worker takes the next when it is done with one, so concurrent calls share the workers.
 */
export function createVerificationPool(spawn: () => WorkerEndpoint, size: number, chunks: ChunkPolicy = { perWorker: 4 }): VerificationPool {
  if (!Number.isSafeInteger(size) || size < 1) throw new CryptoError('INVALID_ARGUMENT', 'size', 'expected a positive integer');
  type Job = { request: VerifyChunkRequest; resolve: (r: VerifyChunkResponse) => void; reject: (e: CryptoError) => void };
  const queue: Job[] = [];
  const workers = Array.from({ length: size }, () => {
    const endpoint = spawn();
    const worker: { endpoint: WorkerEndpoint; current: Job | undefined; failed: boolean } = { endpoint, current: undefined, failed: false };
    const finish = (settle: (job: Job) => void) => {
      const job = worker.current;
      if (!job) return;
      worker.current = undefined;
      settle(job);
      pump();
    };
    endpoint.onMessage((message) => {
      const response = message as VerifyChunkResponse;
      if (response?.requestId !== worker.current?.request.requestId) return;
      finish((job) => (response.kind !== 'verify-ballots-result' ? job.reject(new CryptoError('WORKER_FAILED', 'worker', 'malformed answer')) : job.resolve(response)));
    });
    endpoint.onError((error) => {
      // A failed worker takes no more chunks; when none is left, nothing queued can be verified.
      worker.failed = true;
      const failure = new CryptoError('WORKER_FAILED', 'worker', String(error), { cause: error });
      finish((job) => job.reject(failure));
      if (workers.every((w) => w.failed)) for (const job of queue.splice(0)) job.reject(failure);
    });
    return worker;
  });
  let nextRequestId = 1;

  function pump(): void {
    for (const worker of workers) {
      if (worker.current || worker.failed || queue.length === 0) continue;
      const job = queue.shift()!;
      worker.current = job;
      worker.endpoint.postMessage(job.request);
    }
  }

  function send(request: VerifyChunkRequest): Promise<VerifyChunkResponse> {
    return new Promise((resolve, reject) => {
      queue.push({ request, resolve, reject });
      pump();
    });
  }

  return {
    size,
    async verifyBallots(manifest, ballots, electionKey, fingerprint, onProgress) {
      if (!Array.isArray(ballots)) throw new CryptoError('INVALID_TYPE', 'ballots', 'expected an array');
      const keyHex = pointToHex(electionKey, 'electionKey');
      const fingerprintHex = toHex(fingerprint, 'fingerprint');
      const chunkCount = chunks === 'whole' ? 1 : Math.max(1, Math.min(ballots.length, size * chunks.perWorker));
      const chunkSize = Math.max(1, Math.ceil(ballots.length / chunkCount));
      let done = 0;
      const pending: Promise<VerifyChunkResponse>[] = [];
      for (let firstIndex = 0; firstIndex < ballots.length; firstIndex += chunkSize) {
        const part = ballots.slice(firstIndex, firstIndex + chunkSize);
        pending.push(
          send({ kind: 'verify-ballots', requestId: nextRequestId++, manifest, electionKey: keyHex, fingerprint: fingerprintHex, firstIndex, ballots: part }).then((response) => {
            if (response.failure) {
              const code = isKnownErrorCode(response.failure.code) ? response.failure.code : 'WORKER_FAILED';
              throw new CryptoError(code, response.failure.field, response.failure.message);
            }
            done += part.length;
            onProgress?.(done, ballots.length);
            return response;
          }),
        );
      }
      const responses = await Promise.all(pending);
      const invalid = responses.flatMap((r) => r.invalid).sort((a, b) => a.index - b.index);
      const timings = { decodeMs: 0, equationsMs: 0, msmMs: 0 };
      for (const r of responses) {
        timings.decodeMs += r.timings.decodeMs;
        timings.equationsMs += r.timings.equationsMs;
        timings.msmMs += r.timings.msmMs;
      }
      return { isValid: invalid.length === 0, invalid, timings };
    },
    async close() {
      for (const job of queue.splice(0)) job.reject(new CryptoError('WORKER_FAILED', 'worker', 'the pool was closed'));
      await Promise.all(workers.map((w) => w.endpoint.terminate()));
    },
  };
}
