// A load generator on its own thread, so the server's event loop in this process serves requests
// only (as it would with real clients elsewhere). Plain JavaScript: worker threads do not go
// through tsx. Input (workerData): { requests: [{ url, method, headers, body }], mode }, where mode is
//   { kind: 'all', concurrency }: every request, `concurrency` at a time;
//   { kind: 'closed', concurrency, seconds }: `concurrency` clients, each sending its next request as
//     soon as the previous is answered, until `seconds` have passed or the requests run out;
//   { kind: 'open', perSecond, count }: `count` requests (at most as many as there are), one every
//     1/perSecond s whatever the answers.
// Output: one message { results: [{ status, body, ms }], seconds, ranOut } with the results of the
// requests sent, in the order they were sent, the time from the first request to the last answer,
// and whether the prepared requests ran out before the time or count (the caller says so; a
// benchmark never dies halfway because the server was faster than it planned for).
// It uses node:http with kept-alive connections: the generator shares the machine's 2 cores with the
// server, so it should cost as little CPU per request as it can (the lower layer, without fetch's
// streams and Headers objects).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { requests, mode } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: mode.concurrency ?? 256 });

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

const results = [];
let next = 0;
let ranOut = false;
async function sendNext() {
  if (next >= requests.length) {
    ranOut = true;
    return;
  }
  const i = next++;
  const t0 = performance.now();
  const { status, body } = await send(requests[i]);
  results[i] = { status, body, ms: performance.now() - t0 };
}

const started = performance.now();
if (mode.kind === 'all') {
  await Promise.all(Array.from({ length: mode.concurrency }, async () => {
    while (next < requests.length) await sendNext();
  }));
} else if (mode.kind === 'closed') {
  const deadline = started + mode.seconds * 1000;
  await Promise.all(Array.from({ length: mode.concurrency }, async () => {
    while (performance.now() < deadline && !ranOut) await sendNext();
  }));
} else if (mode.kind === 'open') {
  const inflight = [];
  const count = Math.min(mode.count, requests.length);
  ranOut = count < mode.count;
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / mode.perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(sendNext());
  }
  await Promise.all(inflight);
} else {
  throw new Error(`unknown load mode ${JSON.stringify(mode)}`);
}
const seconds = (performance.now() - started) / 1000;
agent.destroy();
parentPort.postMessage({ results: results.slice(0, next), seconds, ranOut });
