/**
 * Node-only entry (`@townhall/verifier/node`): a proof pool of worker_threads. The worker entry is
 * TypeScript, so a small bootstrap registers the tsx loader inside each worker first (the loader
 * of the parent thread does not carry over into workers).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import './node-fast-paths.ts';
import { poolOfWorkers, type ProofPool, type WorkerResponse } from './pool.ts';

const workerEntry = new URL('./proof-worker.node-bootstrap.mjs', import.meta.url);

export function createThreadPool(size: number = availableParallelism()): ProofPool {
  return poolOfWorkers(size, () => {
    // A worker holds one batch at a time: a small heap makes V8 collect early, which keeps the
    // process's resident memory near what is live (the default limit is a quarter of the machine).
    const worker = new Worker(workerEntry, { resourceLimits: { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 32 } });
    // The pool closes its workers explicitly; an idle worker alone must not keep Node running.
    worker.unref();
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on('message', (message: WorkerResponse) => listener(message)),
      onError: (listener) => {
        worker.on('error', listener);
        worker.on('exit', (code) => code !== 0 && listener(new Error(`proof worker exited with code ${code}`)));
      },
      terminate: async () => {
        await worker.terminate();
      },
    };
  });
}

/** Peak resident set of this process in bytes (Node reports maxRSS in KiB), workers included: they are threads. */
export const peakResidentBytes = (): number => process.resourceUsage().maxRSS * 1024;

export type { ProofPool } from './pool.ts';
