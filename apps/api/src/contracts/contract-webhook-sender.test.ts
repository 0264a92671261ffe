import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type LookupFunction } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXCERPT_BYTES, WebhookSender } from './contract-webhook-sender.ts';
import { webhookNetworkPolicy } from './contract-webhook-url.ts';

/**
 * The delivery side of the SSRF guard, with no packet sent anywhere but loopback. Private and
 * metadata addresses reach the sender through a fake DNS answer (or as written in the URL); a safety
 * net under every socket of this process refuses any connection to a non-loopback address and
 * records it, so that even a broken guard could not send traffic there, and the test can tell that
 * the guard, not the net, did the refusing.
 */
const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || address === '::ffff:127.0.0.1';
const caughtByNet: string[] = [];
const originalConnect = net.Socket.prototype.connect;

beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // connect(options), connect([options, callback]) (what net.createConnection passes) or connect(port, host).
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : typeof first === 'object' && first !== null ? first : undefined) as net.TcpNetConnectOpts | undefined;
    const host = options?.host ?? (typeof args[1] === 'string' ? args[1] : undefined);
    if (host && net.isIP(host) && !isLoopback(host)) {
      // An address in the URL is connected to without a lookup: send it to a closed port here instead.
      caughtByNet.push(host);
      if (options) Object.assign(options, { host: '127.0.0.1', port: 1 });
      else args.splice(0, 2, 1, '127.0.0.1');
    }
    if (options?.lookup) {
      const lookup = options.lookup;
      options.lookup = ((hostname: string, lookupOptions: { all?: boolean }, callback: (...answer: unknown[]) => void) =>
        lookup(hostname, lookupOptions as never, ((error: Error | null, address: string | { address: string }[], family?: number) => {
          const addresses = error ? [] : Array.isArray(address) ? address.map((a) => a.address) : [address];
          const outside = addresses.filter((a) => !isLoopback(a));
          if (outside.length > 0) {
            caughtByNet.push(...outside);
            callback(new Error(`safety net: refused to connect to ${outside.join(', ')}`));
            return;
          }
          callback(error, address, family);
        }) as never)) as LookupFunction;
    }
    return originalConnect.apply(this, args as never);
  } as typeof net.Socket.prototype.connect;
});
afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
});
afterEach(() => {
  expect(caughtByNet).toEqual([]);
});

/** A fake DNS that answers every name with `address`, as the system lookup would (one or all). */
const resolvesTo =
  (address: string): LookupFunction =>
  (_hostname, options, callback) => {
    const family = net.isIP(address);
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else (callback as (e: null, a: string, f: number) => void)(null, address, family);
  };

/** A receiver on 127.0.0.1 that answers with `handler` and counts connections and requests. */
async function receiver(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server: Server = createHttpServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const production = webhookNetworkPolicy({ environment: 'production' });
const test = webhookNetworkPolicy({ environment: 'test' });
const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };

describe('WebhookSender', () => {
  it('runs under a safety net that catches a connection without the guard, over http and https, by name or address', async () => {
    // 0.0.0.0: outside the net's loopback list, yet a connection to it would stay on this machine,
    // so this check sends nothing out even if the net failed.
    const { request } = await import('node:http');
    const { request: requestTls } = await import('node:https');
    const failure = (send: typeof request, url: string, options: { lookup?: LookupFunction }) =>
      new Promise<string>((resolve) => void send(url, options, () => resolve('answered')).on('error', (error) => resolve(error.message)).end());
    expect(await failure(request, 'http://hooks.example.test/in', { lookup: resolvesTo('0.0.0.0') })).toBe('safety net: refused to connect to 0.0.0.0');
    expect(await failure(requestTls, 'https://hooks.example.test/in', { lookup: resolvesTo('0.0.0.0') })).toBe('safety net: refused to connect to 0.0.0.0');
    expect(await failure(request, 'http://0.0.0.0/in', {})).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(caughtByNet.splice(0)).toEqual(['0.0.0.0', '0.0.0.0', '0.0.0.0']);
  });

  it('refuses a name that resolves to a private or metadata address, before connecting', async () => {
    for (const address of ['10.0.0.1', '169.254.169.254', '192.168.0.10', 'fd00::1', '::ffff:10.0.0.1', '0.0.0.0']) {
      for (const policy of [production, test]) {
        const sender = new WebhookSender({ policy, timeoutMs: 2000, lookup: resolvesTo(address) });
        const outcome = await sender.post('https://hooks.example.test/in', '{}', headers);
        sender.close();
        expect(outcome, address).toEqual({ isDelivered: false, statusCode: null, problem: `refused: the endpoint's address ${address} is not a public internet address` });
      }
    }
  });

  it('refuses a private or metadata address written in the URL, before opening a socket', async () => {
    const sender = new WebhookSender({ policy: test, timeoutMs: 2000 });
    expect(await sender.post('https://10.0.0.1/in', '{}', headers)).toMatchObject({ isDelivered: false, statusCode: null, problem: expect.stringContaining('10.0.0.1 is not a public') });
    expect(await sender.post('http://169.254.169.254/latest/meta-data/', '{}', headers)).toMatchObject({ problem: expect.stringContaining('169.254.169.254 is not a public') });
    expect(await sender.post('https://[fe80::1]/in', '{}', headers)).toMatchObject({ problem: expect.stringContaining('fe80::1 is not a public') });
    sender.close();
  });

  it('refuses loopback in production, by name or by address: the receiver is never connected to', async () => {
    const listening = await receiver((_request, response) => response.end('ok'));
    const sender = new WebhookSender({ policy: production, timeoutMs: 2000 });
    expect(await sender.post(`https://localhost:${listening.port}/in`, '{}', headers)).toMatchObject({ isDelivered: false, problem: expect.stringMatching(/^refused: the endpoint's address (127\.0\.0\.1|::1) is not/) });
    expect(await sender.post(`https://127.0.0.1:${listening.port}/in`, '{}', headers)).toMatchObject({ problem: expect.stringContaining('127.0.0.1 is not a public') });
    // Plain http is refused outright outside development and test.
    expect(await sender.post(`http://127.0.0.1:${listening.port}/in`, '{}', headers)).toMatchObject({ problem: 'refused: only https:// endpoints are called' });
    sender.close();
    expect(listening.connections()).toBe(0);
    await listening.close();
  });

  it('in development and test, POSTs to loopback: the body and headers as given; a 2xx is delivered', async () => {
    let received: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const listening = await receiver((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received = { method: request.method!, headers: request.headers, body };
        response.writeHead(204).end();
      });
    });
    const sender = new WebhookSender({ policy: test, timeoutMs: 2000 });
    expect(await sender.post(`http://127.0.0.1:${listening.port}/in`, '{"a":"é"}', headers)).toEqual({ isDelivered: true, statusCode: 204, problem: null });
    expect(received).toMatchObject({ method: 'POST', body: '{"a":"é"}', headers: { 'content-type': 'application/json', 'content-length': '10', ...headers } });
    sender.close();
    await listening.close();
  });

  it('does not follow a redirect, and keeps only a short excerpt of an error answer', async () => {
    let redirectedTo = 0;
    const listening = await receiver((request, response) => {
      if (request.url === '/moved') return void response.writeHead(302, { location: '/elsewhere' }).end();
      if (request.url === '/elsewhere') return void (redirectedTo++, response.end('ok'));
      response.writeHead(500, { 'content-type': 'text/html' }).end(`<h1>Broken</h1>\n${'x'.repeat(100_000)}`);
    });
    const sender = new WebhookSender({ policy: test, timeoutMs: 2000 });
    expect(await sender.post(`http://127.0.0.1:${listening.port}/moved`, '{}', headers)).toEqual({
      isDelivered: false,
      statusCode: 302,
      problem: 'a redirect, which is not followed: register the final address',
    });
    expect(redirectedTo).toBe(0);
    const failed = await sender.post(`http://127.0.0.1:${listening.port}/broken`, '{}', headers);
    expect(failed).toMatchObject({ isDelivered: false, statusCode: 500, problem: expect.stringMatching(/^not a 2xx answer: <h1>Broken<\/h1> x+$/) });
    expect(failed.problem!.length).toBeLessThanOrEqual('not a 2xx answer: '.length + EXCERPT_BYTES);
    sender.close();
    await listening.close();
  });

  it('gives up an attempt at its time-out, and when told to stop', async () => {
    const listening = await receiver(() => undefined);
    const sender = new WebhookSender({ policy: test, timeoutMs: 300 });
    const started = performance.now();
    expect(await sender.post(`http://127.0.0.1:${listening.port}/slow`, '{}', headers)).toEqual({ isDelivered: false, statusCode: null, problem: 'no answer within 0.3 s' });
    expect(performance.now() - started).toBeLessThan(2000);
    const stop = new AbortController();
    const stopped = sender.post(`http://127.0.0.1:${listening.port}/slow`, '{}', headers, stop.signal);
    setTimeout(() => stop.abort(), 50);
    expect(await stopped).toEqual({ isDelivered: false, statusCode: null, problem: 'the API stopped during the attempt' });
    sender.close();
    await listening.close();
  });
});
