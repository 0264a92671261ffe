import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The benchmarks' load generator (bench/load-thread.mjs): a server faster than planned for makes a
// closed-loop row run out of prepared requests; the row ends early and says so, and `npm run bench`
// goes on (it used to throw "out of prepared requests" and stop the whole run).
describe('the benchmark load thread', () => {
  const server = createServer((_, res) => res.end('ok'));
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = (count: number, mode: object) =>
    new Promise<{ results: { status: number }[]; ranOut: boolean }>((resolve, reject) => {
      const requests = Array.from({ length: count }, () => ({ url, method: 'POST', headers: {}, body: 'x' }));
      const worker = new Worker(new URL('../bench/load-thread.mjs', import.meta.url), { workerData: { requests, mode } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });

  it('ends a closed-loop run early when the prepared requests run out, and says so', async () => {
    const { results, ranOut } = await run(5, { kind: 'closed', concurrency: 2, seconds: 2 });
    expect(results).toHaveLength(5);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(ranOut).toBe(true);
  });

  it('sends what there is of an open-loop count, and says it ran out', async () => {
    const { results, ranOut } = await run(3, { kind: 'open', perSecond: 100, count: 10 });
    expect(results).toHaveLength(3);
    expect(ranOut).toBe(true);
    expect((await run(3, { kind: 'open', perSecond: 100, count: 3 })).ranOut).toBe(false);
  });
});
