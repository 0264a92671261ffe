import { ApiErrorBody, errorStatus, type ErrorCode } from '@townhall/protocol';
import type { FuzzRequest } from './arbitraries.ts';
import type { FuzzWorld } from './world.ts';

export interface FuzzOutcome {
  status: number;
  /** Why the response breaks the contract (5xx, a 4xx without the error body, a wrong status for its code); null when it keeps it. */
  violation: string | null;
  code: ErrorCode | null;
}

/** Sends one generated request as the chosen caller would, and checks the response's contract. */
export async function sendFuzzRequest(world: FuzzWorld, request: FuzzRequest): Promise<FuzzOutcome> {
  const caller = world.callers[request.caller];
  const headers: Record<string, string> = { ...request.headers };
  if (caller.cookie) headers.cookie = `townhall_session=${caller.cookie}`;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (request.csrf !== 'no-origin') headers.origin = request.csrf === 'foreign-origin' ? 'https://evil.example' : world.origin;
    if (request.csrf === 'wrong-token') headers['x-csrf-token'] = 'A'.repeat(43);
    else if (request.csrf !== 'missing' && caller.csrfToken) headers['x-csrf-token'] = caller.csrfToken;
  }
  const payload = request.body instanceof Uint8Array ? new Uint8Array(request.body) : request.body;
  const send = () => fetch(`${world.app.baseUrl}${request.url}`, { method: request.method, headers, body: payload, redirect: 'manual' });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    // A URL or header fetch itself refuses never reaches the server: not a finding about the API.
    if (error instanceof TypeError && !/fetch failed/.test(error.message)) return { status: 0, violation: null, code: null };
    // A kept-alive socket the server closed while idle resets once; a reset the request causes repeats.
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    try {
      response = await send();
    } catch (again) {
      return { status: 0, violation: `the connection was reset twice: ${String((again as { cause?: unknown }).cause ?? again)}`, code: null };
    }
  }
  const text = await response.text();
  const status = response.status;
  if (status >= 500) return { status, violation: `answered ${status}: ${text.slice(0, 300)}`, code: null };
  if (status < 400 || request.method === 'HEAD') return { status, violation: null, code: null };
  // The URL as the server sees it: `..` and `%2e%2e` segments are resolved by the client, so a
  // generated path may leave /api; outside /api, Express's own 404 page answers (no JSON contract).
  const path = new URL(request.url, world.app.baseUrl).pathname;
  if (path !== '/api' && !path.startsWith('/api/')) {
    return { status, violation: response.headers.get('x-content-type-options') === 'nosniff' ? null : `a ${status} outside /api without the security headers`, code: null };
  }
  let body: ApiErrorBody;
  try {
    body = ApiErrorBody.parse(JSON.parse(text));
  } catch {
    return { status, violation: `a ${status} without the { error: { code, message, requestId } } body: ${text.slice(0, 300)}`, code: null };
  }
  const { code, requestId } = body.error;
  if (errorStatus[code] !== status) return { status, violation: `code ${code} belongs with ${errorStatus[code]}, answered ${status}`, code };
  if (!requestId || requestId !== response.headers.get('x-request-id')) return { status, violation: `requestId ${JSON.stringify(requestId)} is not the X-Request-Id header`, code };
  return { status, violation: null, code };
}
