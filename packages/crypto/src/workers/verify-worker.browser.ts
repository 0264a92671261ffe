/// <reference lib="webworker" />
// Entry of a browser module Web Worker that verifies ballot chunks. An app creates it with
// `new Worker(new URL('@townhall/crypto/workers/verify-worker.browser', import.meta.url), { type: 'module' })`
// and hands it to the pool through `fromWebWorker`.
import { handleVerifyChunk, type VerifyChunkRequest } from './protocol.ts';

self.addEventListener('message', (event: MessageEvent<VerifyChunkRequest>) => {
  self.postMessage(handleVerifyChunk(event.data));
});
