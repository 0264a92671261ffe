/**
 * Browser entry (`@townhall/verifier/web-workers`): a proof pool of module Web Workers. The
 * `new Worker(new URL(…, import.meta.url), { type: 'module' })` form is the one Vite bundles.
 */
import { poolOfWorkers, type ProofPool, type WorkerResponse } from './pool.ts';

export function createWebWorkerPool(size: number = Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1)): ProofPool {
  return poolOfWorkers(size, () => {
    const worker = new Worker(new URL('./proof-worker.browser.ts', import.meta.url), { type: 'module', name: 'townhall-verifier-proofs' });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => listener(event.data)),
      onError: (listener) => worker.addEventListener('error', (event: ErrorEvent) => listener(new Error(`proof worker: ${event.message}`))),
      terminate: async () => worker.terminate(),
    };
  });
}

export type { ProofPool } from './pool.ts';
