/**
 * Node-only helper (import from `@townhall/crypto/workers/node`): spawns verification workers
 * with `worker_threads`. The worker entry is TypeScript, so a small bootstrap registers the `tsx`
 * loader (which this repository uses to run TypeScript in Node) inside each worker first.
 */
import { Worker } from 'node:worker_threads';
import { createVerificationPool, fromNodeWorker, type ChunkPolicy, type VerificationPool } from './pool.ts';

const workerEntry = new URL('./verify-worker.node-bootstrap.mjs', import.meta.url);

/**
 * `chunks` (default: 4 per worker) splits each call for progress reports and balance; a server that
 * already forms its own batches passes `'whole'`, so each batch is one multi-scalar multiplication
 * and concurrent batches go to different workers.
 */
export function createNodeVerificationPool(size: number, options: { chunks?: ChunkPolicy } = {}): VerificationPool {
  return createVerificationPool(() => fromNodeWorker(new Worker(workerEntry)), size, options.chunks);
}
