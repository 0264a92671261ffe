import { createVerifierHandler } from '../features/verification/lib/verifier-handler.ts';
import type { WorkerLike } from '../features/verification/lib/verification-session.ts';
import type { WorkerRequest, WorkerResponse } from '../features/verification/lib/worker-protocol.ts';

/**
 * The verifier worker's real handler, run on the test's thread behind the Worker interface, so
 * page tests exercise the real verification and lookups without a Worker implementation.
 */
export function inProcessWorker(): WorkerLike & { isTerminated: boolean } {
  const listeners: ((event: MessageEvent<WorkerResponse>) => void)[] = [];
  const fake = {
    isTerminated: false,
    postMessage(message: WorkerRequest) {
      // Structured clone, as postMessage does, so nothing is shared by reference by accident.
      handle(message.type === 'verify' ? message : structuredClone(message));
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') listeners.push(listener as (event: MessageEvent<WorkerResponse>) => void);
    },
    terminate() {
      fake.isTerminated = true;
    },
  };
  const handle = createVerifierHandler((message) => {
    if (fake.isTerminated) return;
    const event = { data: structuredClone(message) } as MessageEvent<WorkerResponse>;
    queueMicrotask(() => listeners.forEach((listener) => listener(event)));
  });
  return fake as WorkerLike & { isTerminated: boolean };
}

/**
 * A worker that does nothing by itself: the test sends the page each message it wants with
 * `deliver`, to hold the page in a state the real verification passes through too quickly.
 * The page makes its worker asynchronously, so it may show "Verifying" before it listens:
 * await `listening` first. A message delivered to nobody throws rather than vanish.
 */
export function scriptedWorker(): { worker: WorkerLike; listening: Promise<void>; deliver(message: WorkerResponse): void } {
  let listener: ((event: MessageEvent<WorkerResponse>) => void) | undefined;
  let heard!: () => void;
  const listening = new Promise<void>((resolve) => (heard = resolve));
  const worker = {
    postMessage() {},
    addEventListener(type: 'message' | 'error', added: (event: MessageEvent<WorkerResponse>) => void) {
      if (type !== 'message') return;
      listener = added;
      heard();
    },
    terminate() {},
  } as unknown as WorkerLike;
  return {
    worker,
    listening,
    deliver(data) {
      if (!listener) throw new Error('the page is not listening to its worker yet: await listening first');
      listener({ data } as MessageEvent<WorkerResponse>);
    },
  };
}
