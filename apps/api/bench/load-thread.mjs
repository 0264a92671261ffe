// A load generator on its own thread, so the server's event loop in this process serves requests
// only (as it would with real clients elsewhere). Plain JavaScript: worker threads do not go
// through tsx. Input (workerData): { requests: [{ url, method, headers, body }], concurrency };
// output: one message { results: [{ status, body, ms }] } in the order of the requests.
// It uses node:http with kept-alive connections, one per concurrent client: the generator shares
// the machine's 2 cores with the server, so it should cost as little CPU per request as it can (the
// lower layer, without fetch's streams and Headers objects).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { requests, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function send({ url, method, headers, body }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const request = http.request(url, { method, agent, headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

const results = new Array(requests.length);
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const i = next++;
      const t0 = performance.now();
      const { status, body } = await send(requests[i]);
      results[i] = { status, body, ms: performance.now() - t0 };
    }
  }),
);
agent.destroy();
parentPort.postMessage({ results });
