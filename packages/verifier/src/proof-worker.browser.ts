// Entry of a module Web Worker of the proof pool (./web-workers.ts). It imports no zod, so it needs
// no CSP configuration; everything it runs is @noble and WebCrypto.
import { answer, type WorkerRequest } from './pool.ts';

const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null; postMessage: (message: unknown) => void };
scope.onmessage = (event) => {
  void answer(event.data).then((response) => scope.postMessage(response));
};
