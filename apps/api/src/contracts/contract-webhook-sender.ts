import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import type { WebhookNetworkPolicy } from './contract-webhook-url.ts';

/** How much of an endpoint's answer is read and kept: enough to tell an error page, never a copy of it. */
export const EXCERPT_BYTES = 200;

/** One attempt's outcome: delivered (a 2xx), or why not, in a few words a contractor can act on. */
export interface WebhookAttemptOutcome {
  isDelivered: boolean;
  /** The endpoint's HTTP status; null when there was no answer. */
  statusCode: number | null;
  /** Null when delivered. */
  problem: string | null;
}

export interface WebhookSenderOptions {
  policy: WebhookNetworkPolicy;
  /** The whole attempt: DNS lookup, connection, request and the answer's head and excerpt. */
  timeoutMs: number;
  /** The DNS lookup (tests give a fake one; the default is the system's). Its answer is checked before any connection. */
  lookup?: LookupFunction;
}

/**
 * POSTs a signed webhook body. Every connection goes through request-filtering-agent, which checks
 * the address the name resolved to (and an address written in the URL) before connecting, so a
 * private, link-local (the cloud metadata service), unspecified or otherwise non-public address is
 * never contacted, whatever DNS says at that moment (no rebinding window: the checked address is the
 * one connected to). Loopback is allowed only when the policy says so (development and test).
 * Redirects are not followed; an answer's body is read only to a short excerpt.
 */
export class WebhookSender {
  readonly #http: RequestFilteringHttpAgent;
  readonly #https: RequestFilteringHttpsAgent;

  constructor(private readonly options: WebhookSenderOptions) {
    const filter = {
      allowPrivateIPAddress: false,
      allowMetaIPAddress: false,
      // Exact addresses, not ranges: the library cannot match an IPv6 address against an IPv4 range.
      allowIPAddressList: options.policy.isLoopbackAllowed ? ['127.0.0.1', '::1', '::ffff:127.0.0.1'] : [],
      denyIPAddressList: [],
    };
    // No keep-alive: one connection per attempt, so nothing stays open between sweeps or after shutdown.
    this.#http = new RequestFilteringHttpAgent({ keepAlive: false, ...filter });
    this.#https = new RequestFilteringHttpsAgent({ keepAlive: false, ...filter });
  }

  post(url: string, body: string, headers: Record<string, string>, stop?: AbortSignal): Promise<WebhookAttemptOutcome> {
    const target = new URL(url);
    const isHttps = target.protocol === 'https:';
    if (!isHttps && !(target.protocol === 'http:' && this.options.policy.isLoopbackAllowed)) {
      return Promise.resolve({ isDelivered: false, statusCode: null, problem: 'refused: only https:// endpoints are called' });
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error('timeout')), this.options.timeoutMs);
    const onStop = () => abort.abort(new Error('stopped'));
    stop?.addEventListener('abort', onStop, { once: true });
    const send = isHttps ? httpsRequest : httpRequest;
    return new Promise<WebhookAttemptOutcome>((resolve) => {
      const request = send(
        target,
        {
          method: 'POST',
          agent: isHttps ? this.#https : this.#http,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Townhall-Webhooks/1' },
          signal: abort.signal,
          ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
        },
        (response) => void readExcerpt(response).then((excerpt) => resolve(outcomeOf(response.statusCode ?? 0, excerpt))),
      );
      request.on('error', (error) => resolve({ isDelivered: false, statusCode: null, problem: describeFailure(error, abort.signal, this.options.timeoutMs) }));
      request.end(body);
    }).finally(() => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', onStop);
    });
  }

  /** Closes any socket still open (there should be none: no keep-alive). */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

function outcomeOf(statusCode: number, excerpt: string): WebhookAttemptOutcome {
  if (statusCode >= 200 && statusCode < 300) return { isDelivered: true, statusCode, problem: null };
  const what = statusCode >= 300 && statusCode < 400 ? 'a redirect, which is not followed: register the final address' : 'not a 2xx answer';
  return { isDelivered: false, statusCode, problem: excerpt === '' ? what : `${what}: ${excerpt}` };
}

/** The first EXCERPT_BYTES of the answer as one line of printable text; the rest is not read. */
function readExcerpt(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = () => {
      response.removeAllListeners('data');
      response.destroy();
      const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
      resolve(text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, ' ').trim());
    };
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= EXCERPT_BYTES) finish();
    });
    response.on('end', finish);
    response.on('error', finish);
    response.on('aborted', finish);
  });
}

function describeFailure(error: Error, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) {
    return (signal.reason as Error | undefined)?.message === 'stopped' ? 'the API stopped during the attempt' : `no answer within ${timeoutMs / 1000} s`;
  }
  // request-filtering-agent's refusal: "DNS lookup <address>(family:…, host:…) is not allowed. Because, …".
  const refused = /^DNS lookup (\S+?)\(.*is not allowed/.exec(error.message);
  if (refused) return `refused: the endpoint's address ${refused[1]} is not a public internet address`;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `could not connect (${code})` : 'could not connect';
}
