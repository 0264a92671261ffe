/**
 * Node-only helper (import from `@townhall/crypto/workers/node`): spawns verification workers
 * with `worker_threads`. The worker entry is TypeScript, so a small bootstrap registers the `tsx`
 * loader (which this repository uses to run TypeScript in Node) inside each worker first.
 */
import { Worker } from 'node:worker_threads';
import { createVerificationPool, fromNodeWorker, type VerificationPool } from './pool.ts';

const workerEntry = new URL('./verify-worker.node-bootstrap.mjs', import.meta.url);

export function createNodeVerificationPool(size: number): VerificationPool {
  return createVerificationPool(() => fromNodeWorker(new Worker(workerEntry)), size);
}
