import { runAssertionJob, runBallotJob, type AssertionJob, type AssertionOutcome, type BallotJob, type JobResult } from './proof-jobs.ts';

/**
 * Where the verifier's heavy batches run. Without a pool they run in the calling thread; with one
 * from `@townhall/verifier/node` (worker_threads) or `@townhall/verifier/web-workers` (module
 * Web Workers) they are spread over cores. The report does not depend on the pool (report.ts).
 */
export interface ProofPool {
  /** How many jobs can run at once. */
  readonly size: number;
  verifyBallots(job: BallotJob): Promise<JobResult>;
  /** Passkey (ES256) signatures of credential issuances, one outcome per item, in order. */
  verifyAssertions(job: AssertionJob): Promise<AssertionOutcome[]>;
  close(): Promise<void>;
}

export function inProcessPool(): ProofPool {
  return { size: 1, verifyBallots: runBallotJob, verifyAssertions: runAssertionJob, close: async () => {} };
}

/** The messages between a pool and its workers. */
export type WorkerRequest = { id: number; job: BallotJob } | { id: number; assertions: AssertionJob };
export type WorkerResponse = { id: number; result: JobResult | AssertionOutcome[] } | { id: number; error: string };
type Work = { job: BallotJob } | { assertions: AssertionJob };

/** The little a pool needs from a worker, whichever kind it is. */
export interface WorkerPort {
  post(message: WorkerRequest): void;
  onMessage(listener: (message: WorkerResponse) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): Promise<void>;
}

/** A pool over `size` workers made by `spawn`; each worker runs one job at a time, the rest queue. */
export function poolOfWorkers(size: number, spawn: () => WorkerPort): ProofPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size: expected a positive integer, got ${size}`);
  type Pending = { work: Work; resolve: (result: JobResult | AssertionOutcome[]) => void; reject: (error: Error) => void };
  const queue: Pending[] = [];
  const idle: WorkerPort[] = [];
  const running = new Map<number, { worker: WorkerPort; pending: Pending }>();
  const workers: WorkerPort[] = [];
  let nextId = 0;
  let closed = false;

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const pending = queue.shift()!;
      const id = nextId++;
      running.set(id, { worker, pending });
      worker.post({ id, ...pending.work });
    }
  };
  for (let i = 0; i < size; i++) {
    const worker = spawn();
    worker.onMessage((message) => {
      const entry = running.get(message.id);
      if (!entry) return;
      running.delete(message.id);
      idle.push(worker);
      if ('error' in message) entry.pending.reject(new Error(`proof worker: ${message.error}`));
      else entry.pending.resolve(message.result);
      pump();
    });
    worker.onError((error) => {
      // A worker that dies fails the jobs it held; the verification cannot be completed honestly.
      for (const [id, entry] of running) {
        if (entry.worker !== worker) continue;
        running.delete(id);
        entry.pending.reject(error);
      }
    });
    workers.push(worker);
    idle.push(worker);
  }
  const submit = (work: Work) =>
    new Promise<JobResult | AssertionOutcome[]>((resolve, reject) => {
      if (closed) return reject(new Error('the proof pool is closed'));
      queue.push({ work, resolve, reject });
      pump();
    });
  return {
    size,
    verifyBallots: (job) => submit({ job }) as Promise<JobResult>,
    verifyAssertions: (assertions) => submit({ assertions }) as Promise<AssertionOutcome[]>,
    close: async () => {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('the proof pool is closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The body of a worker: answers each request with the job's result. */
export async function answer(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    return { id: request.id, result: 'job' in request ? await runBallotJob(request.job) : await runAssertionJob(request.assertions) };
  } catch (error) {
    return { id: request.id, error: (error as Error).stack ?? String(error) };
  }
}
