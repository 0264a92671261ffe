import type { WorkerRequest, WorkerResponse } from './worker-protocol.ts';
import type { WorkerLike } from './verification-session.ts';

function spawn(): Worker {
  return new Worker(new URL('../workers/verify-record.worker.ts', import.meta.url), { type: 'module', name: 'verify-record' });
}

let standby: { worker: Worker; warm: Promise<void> } | null = null;

/**
 * Starts a verifier worker ahead of need and has it start its proof pool, so every script the
 * verification needs is loaded while the network is there: from then on the page verifies a
 * dropped file with no connection. Resolves when the worker has started its pool.
 */
export function warmUpVerifier(): Promise<void> {
  if (!standby) {
    const worker = spawn();
    const warm = new Promise<void>((resolve, reject) => {
      worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
        if (event.data.type === 'warm') resolve();
      });
      worker.addEventListener('error', (event) => reject(new Error(event.message || 'the verifier could not start')));
    });
    worker.postMessage({ type: 'warm-up' } satisfies WorkerRequest);
    standby = { worker, warm };
    // A standby that could not load (no connection, and its scripts not cached) is dropped, so the
    // next attempt starts afresh.
    warm.catch(() => {
      if (standby?.worker === worker) standby = null;
      worker.terminate();
    });
  }
  return standby.warm;
}

/** The warmed-up worker if there is one (a fresh standby is then started for next time), else a new one. */
export async function startVerifierWorker(): Promise<WorkerLike> {
  const next = standby;
  standby = null;
  if (next) {
    try {
      await next.warm;
      void warmUpVerifier().catch(() => {});
      return next.worker as unknown as WorkerLike;
    } catch {
      // Fall through: a fresh worker reports its own error to the session if it cannot load either.
    }
  }
  return spawn() as unknown as WorkerLike;
}
