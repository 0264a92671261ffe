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
 * Creates `size` workers with `spawn` and returns a pool that splits a list of wire-format
 * ballots into chunks (a few per worker, for progress and balance) and merges the results.
 */
export function createVerificationPool(spawn: () => WorkerEndpoint, size: number, chunksPerWorker = 4): VerificationPool {
  if (!Number.isSafeInteger(size) || size < 1) throw new CryptoError('INVALID_ARGUMENT', 'size', 'expected a positive integer');
  const workers = Array.from({ length: size }, () => {
    const endpoint = spawn();
    const waiting = new Map<number, { resolve: (r: VerifyChunkResponse) => void; reject: (e: CryptoError) => void }>();
    endpoint.onMessage((message) => {
      const response = message as VerifyChunkResponse;
      const entry = waiting.get(response?.requestId);
      if (!entry) return;
      waiting.delete(response.requestId);
      if (response.kind !== 'verify-ballots-result') entry.reject(new CryptoError('WORKER_FAILED', 'worker', 'malformed answer'));
      else entry.resolve(response);
    });
    endpoint.onError((error) => {
      for (const entry of waiting.values()) entry.reject(new CryptoError('WORKER_FAILED', 'worker', String(error), { cause: error }));
      waiting.clear();
    });
    return { endpoint, waiting, queue: Promise.resolve() as Promise<unknown> };
  });
  let nextRequestId = 1;

  function send(worker: (typeof workers)[number], request: VerifyChunkRequest): Promise<VerifyChunkResponse> {
    return new Promise((resolve, reject) => {
      worker.waiting.set(request.requestId, { resolve, reject });
      worker.endpoint.postMessage(request);
    });
  }

  return {
    size,
    async verifyBallots(manifest, ballots, electionKey, fingerprint, onProgress) {
      if (!Array.isArray(ballots)) throw new CryptoError('INVALID_TYPE', 'ballots', 'expected an array');
      const keyHex = pointToHex(electionKey, 'electionKey');
      const fingerprintHex = toHex(fingerprint, 'fingerprint');
      const chunkCount = Math.max(1, Math.min(ballots.length, size * chunksPerWorker));
      const chunkSize = Math.ceil(ballots.length / chunkCount);
      const chunks: { firstIndex: number; ballots: readonly unknown[] }[] = [];
      for (let i = 0; i < ballots.length; i += chunkSize) chunks.push({ firstIndex: i, ballots: ballots.slice(i, i + chunkSize) });
      let done = 0;
      let nextChunk = 0;
      const responses: VerifyChunkResponse[] = [];
      // Each worker pulls the next chunk when it finishes one.
      await Promise.all(
        workers.map(async (worker) => {
          while (nextChunk < chunks.length) {
            const chunk = chunks[nextChunk++]!;
            const response = await send(worker, {
              kind: 'verify-ballots',
              requestId: nextRequestId++,
              manifest,
              electionKey: keyHex,
              fingerprint: fingerprintHex,
              firstIndex: chunk.firstIndex,
              ballots: chunk.ballots,
            });
            if (response.failure) {
              const code = isKnownErrorCode(response.failure.code) ? response.failure.code : 'WORKER_FAILED';
              throw new CryptoError(code, response.failure.field, response.failure.message);
            }
            responses.push(response);
            done += chunk.ballots.length;
            onProgress?.(done, ballots.length);
          }
        }),
      );
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
      await Promise.all(workers.map((w) => w.endpoint.terminate()));
    },
  };
}
