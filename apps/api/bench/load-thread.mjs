// A load generator on its own thread, so the server's event loop in this process serves requests
// only (as it would with real clients elsewhere). Plain JavaScript: worker threads do not go
// through tsx. Input (workerData): { requests: [{ url, method, headers, body }], concurrency };
// output: one message { results: [{ status, body, ms }] } in the order of the requests.
import { parentPort, workerData } from 'node:worker_threads';

const { requests, concurrency } = workerData;
const results = new Array(requests.length);
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const i = next++;
      const { url, method, headers, body } = requests[i];
      const t0 = performance.now();
      const response = await fetch(url, { method, headers, body });
      const text = await response.text();
      results[i] = { status: response.status, body: text, ms: performance.now() - t0 };
    }
  }),
);
parentPort.postMessage({ results });
