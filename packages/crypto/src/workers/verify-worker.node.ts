// Entry of a Node worker thread that verifies ballot chunks (see ./node.ts).
import { parentPort } from 'node:worker_threads';
import { handleVerifyChunk, type VerifyChunkRequest } from './protocol.ts';

parentPort?.on('message', (request: VerifyChunkRequest) => {
  parentPort?.postMessage(handleVerifyChunk(request));
});
