import type { WorkerLike } from './verification-session.ts';

type WorkerConstructor = new (options?: { name?: string }) => Worker;

let loading: Promise<WorkerConstructor> | null = null;

/**
 * The verifier worker is bundled inline (a blob: URL, which the CSP's worker-src allows), and this
 * loads its chunk once, when the app starts: after that the page verifies a dropped file with no
 * network at all, and a cancelled worker can be replaced offline too.
 */
export function loadVerifierWorker(): Promise<WorkerConstructor> {
  loading ??= import('../workers/verify-record.worker.ts?worker&inline').then((module) => module.default as WorkerConstructor);
  return loading;
}

export async function startVerifierWorker(): Promise<WorkerLike> {
  const VerifierWorker = await loadVerifierWorker();
  return new VerifierWorker({ name: 'verify-record' }) as unknown as WorkerLike;
}
