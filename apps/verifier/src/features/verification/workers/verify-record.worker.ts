/// <reference lib="webworker" />
// First: Zod must not probe `new Function` (the CSP has no 'unsafe-eval') before any schema exists.
import '@townhall/web-ui/configure-zod';
import { createVerifierHandler } from '../lib/verifier-handler.ts';
import type { WorkerRequest } from '../lib/worker-protocol.ts';

// Verification takes seconds to minutes on a phone, so it never runs on the page's thread. The
// worker keeps the record once verified, so tracking codes and receipts are checked against it
// without the server. Cancelling is terminating the worker.
const handle = createVerifierHandler((message) => self.postMessage(message));
self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => handle(event.data));
