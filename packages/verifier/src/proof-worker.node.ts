// Entry of a Node worker thread of the proof pool (./node.ts).
import { parentPort } from 'node:worker_threads';
import './node-fast-paths.ts';
import { answer, type WorkerRequest } from './pool.ts';

parentPort?.on('message', (request: WorkerRequest) => {
  void answer(request).then((response) => parentPort?.postMessage(response));
});
