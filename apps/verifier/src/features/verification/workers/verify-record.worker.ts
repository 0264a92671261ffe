/// <reference lib="webworker" />
// First: Zod must not probe `new Function` (the CSP has no 'unsafe-eval') before any schema exists.
import '@townhall/web-ui/configure-zod';
import { createWebWorkerPool } from '@townhall/verifier/web-workers';
import { createVerifierHandler } from '../lib/verifier-handler.ts';
import type { WorkerRequest } from '../lib/worker-protocol.ts';

// Verification takes seconds to minutes on a phone, so it never runs on the page's thread: this
// worker reads and checks the record, and the ballot proofs (most of the work) run in a pool of
// further workers, one per core but this one. Cancelling is terminating this worker (and its pool).
const poolSize = Math.max(1, (self.navigator.hardwareConcurrency || 2) - 1);
const handle = createVerifierHandler((message) => self.postMessage(message), () => createWebWorkerPool(poolSize));
self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => handle(event.data));
