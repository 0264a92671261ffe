import { AuthenticationOptionsResponse, CouncilSummary, SessionResponse } from '@townhall/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, apiGet, apiGetFile, apiPostWithoutSession, apiSend, apiSendExpectingNothing, configureApiClient, rememberCsrfToken, type FetchLike } from './api-client.ts';

function answer(status: number, body: unknown): FetchLike {
  return async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
}

const council = {
  name: 'Demo Borough Council',
  electorCount: 3,
  districts: [{ code: 'N', name: 'North Ward', electorCount: 3 }],
};

describe('apiGet', () => {
  it('returns a body that matches the protocol schema', async () => {
    await expect(apiGet('/council', CouncilSummary, { fetch: answer(200, council) })).resolves.toEqual(council);
  });

  it('asks for the path under the API base path', async () => {
    const seen: string[] = [];
    const fetch: FetchLike = async (url) => {
      seen.push(url);
      return new Response(JSON.stringify(council), { status: 200 });
    };
    await apiGet('/council', CouncilSummary, { fetch, basePath: '/api' });
    expect(seen).toEqual(['/api/council']);
  });

  it('uses the base path the app configured when a call names none', async () => {
    const seen: string[] = [];
    const fetch: FetchLike = async (url) => {
      seen.push(url);
      return new Response(JSON.stringify(council), { status: 200 });
    };
    try {
      await apiGet('/council', CouncilSummary, { fetch });
      configureApiClient({ basePath: '/mounted/api' });
      await apiGet('/council', CouncilSummary, { fetch });
    } finally {
      configureApiClient({ basePath: '/api' });
    }
    expect(seen).toEqual(['/api/council', '/mounted/api/council']);
  });

  it('rejects a 200 body that breaks the schema with a typed INVALID_RESPONSE error', async () => {
    const malformed = { ...council, electorCount: -1 };
    const error = await apiGet('/council', CouncilSummary, { fetch: answer(200, malformed) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
  });

  it('rejects a body that is not JSON at all', async () => {
    const error = await apiGet('/council', CouncilSummary, { fetch: answer(200, '<html>') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('turns the server error body into an ApiError with its code, message and request id', async () => {
    const body = { error: { code: 'ROUTE_NOT_FOUND', message: 'No route GET /api/nope', requestId: 'req-42' } };
    const error = await apiGet('/council', CouncilSummary, { fetch: answer(404, body) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      message: 'No route GET /api/nope',
      status: 404,
      requestId: 'req-42',
    });
  });

  it('does not trust an error body with a code outside the protocol list', async () => {
    const body = { error: { code: 'TEAPOT', message: 'short and stout', requestId: 'r' } };
    const error = await apiGet('/council', CouncilSummary, { fetch: answer(418, body) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 418 });
  });

  it('reads the body of a status the caller names as an answer with the answer schema', async () => {
    const options = { fetch: answer(503, council), answerStatuses: [503] };
    await expect(apiGet('/council', CouncilSummary, options)).resolves.toEqual(council);
  });

  it('reports a request that never got an answer as NETWORK_ERROR', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const error = await apiGet('/council', CouncilSummary, { fetch }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: null, requestId: null });
  });
});

describe('apiGetFile', () => {
  it('gives the file and the name the server gives it', async () => {
    const fetch: FetchLike = async () =>
      new Response('<Document/>', { status: 200, headers: { 'content-type': 'application/xml', 'content-disposition': 'attachment; filename="run-1.pain001.xml"' } });
    const file = await apiGetFile('/organisations/o/payment-runs/r/pain001', { fetch });
    expect(file.filename).toBe('run-1.pain001.xml');
    expect(await file.blob.text()).toBe('<Document/>');
  });

  it('turns a refusal into an ApiError with the server’s code and issues, not a file', async () => {
    const issues = [{ path: 'organisations.c1', message: 'Castle Repairs Ltd (the contractor) has no bank account for payments recorded' }];
    const refused = apiGetFile('/organisations/o/payment-runs/r/pain001', {
      fetch: answer(409, { error: { code: 'BANK_ACCOUNT_MISSING', message: 'No account.', requestId: 'req-9', issues } }),
    });
    await expect(refused).rejects.toMatchObject({ name: 'ApiError', code: 'BANK_ACCOUNT_MISSING', status: 409, requestId: 'req-9', issues });
  });
});

describe('apiSend', () => {
  const session = (csrfToken: string, kind: 'anonymous' | 'resident' = 'anonymous') => ({
    principal: kind === 'anonymous' ? { kind } : { kind, pseudonym: 'ab', districtCode: 'CAS', givenName: 'Amira' },
    csrfToken,
    expiresAt: kind === 'anonymous' ? null : '2030-01-01T00:00:00.000Z',
  });

  /** A fake API that hands out `token` at GET /session and records every request it gets. */
  function fakeApi(answers: Record<string, (init: RequestInit) => Response>) {
    const requests: { method: string; url: string; csrf: string | null; body: unknown }[] = [];
    const fetch: FetchLike = async (url, init = {}) => {
      const headers = new Headers(init.headers);
      requests.push({ method: init.method ?? 'GET', url, csrf: headers.get('x-csrf-token'), body: init.body });
      const answer = answers[`${init.method ?? 'GET'} ${url}`];
      if (!answer) return new Response(JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: url, requestId: 'r' } }), { status: 404 });
      return answer(init);
    };
    return { fetch, requests };
  }

  beforeEach(() => rememberCsrfToken(null));

  it('fetches the session’s CSRF token once and sends it on every state-changing request', async () => {
    const api = fakeApi({
      'GET /api/session': () => Response.json(session('token-1')),
      'POST /api/sign-in/start': () => Response.json({ options: { challenge: 'abc' } }),
    });
    await apiSend('POST', '/sign-in/start', {}, AuthenticationOptionsResponse, { fetch: api.fetch });
    await apiSend('POST', '/sign-in/start', {}, AuthenticationOptionsResponse, { fetch: api.fetch });
    expect(api.requests.map((r) => `${r.method} ${r.url} ${r.csrf}`)).toEqual([
      'GET /api/session null',
      'POST /api/sign-in/start token-1',
      'POST /api/sign-in/start token-1',
    ]);
    expect(api.requests[1]?.body).toBe('{}');
  });

  it('reads the token from the API’s session also for a request outside the API’s base path', async () => {
    const api = fakeApi({
      'GET /api/session': () => Response.json(session('token-1')),
      'POST /oidc/interaction/abc/abort': () => Response.json({ options: { challenge: 'abc' } }),
    });
    await apiSend('POST', '/oidc/interaction/abc/abort', {}, AuthenticationOptionsResponse, { fetch: api.fetch, basePath: '' });
    expect(api.requests.map((r) => `${r.method} ${r.url} ${r.csrf}`)).toEqual([
      'GET /api/session null',
      'POST /oidc/interaction/abc/abort token-1',
    ]);
  });

  it('uses the new token a sign-in answer carries from then on', async () => {
    const api = fakeApi({
      'GET /api/session': () => Response.json(session('anonymous-token')),
      'POST /api/sign-in/finish': () => Response.json(session('signed-in-token', 'resident')),
      'POST /api/passkeys/start': () => Response.json({ options: { challenge: 'abc' } }),
    });
    const signedIn = await apiSend('POST', '/sign-in/finish', { response: {} }, SessionResponse, { fetch: api.fetch });
    expect(signedIn.principal.kind).toBe('resident');
    await apiSend('POST', '/passkeys/start', {}, AuthenticationOptionsResponse, { fetch: api.fetch });
    expect(api.requests.at(-1)?.csrf).toBe('signed-in-token');
    expect(api.requests.filter((r) => r.url === '/api/session')).toHaveLength(1);
  });

  it('asks for the current token and retries once when the server rejects a stale one', async () => {
    let tokens = ['old', 'new'];
    const api = fakeApi({
      'GET /api/session': () => Response.json(session(tokens.shift() ?? 'none')),
      'POST /api/sign-out': (init) =>
        new Headers(init.headers).get('x-csrf-token') === 'new'
          ? new Response(null, { status: 204 })
          : Response.json({ error: { code: 'CSRF_REJECTED', message: 'no', requestId: 'r' } }, { status: 403 }),
    });
    await expect(apiSendExpectingNothing('POST', '/sign-out', {}, { fetch: api.fetch })).resolves.toBeUndefined();
    expect(api.requests.map((r) => `${r.method} ${r.url} ${r.csrf}`)).toEqual([
      'GET /api/session null',
      'POST /api/sign-out old',
      'GET /api/session null',
      'POST /api/sign-out new',
    ]);
  });

  it('gives up after one retry, with the server’s CSRF error', async () => {
    const api = fakeApi({
      'GET /api/session': () => Response.json(session('t')),
      'POST /api/sign-out': () => Response.json({ error: { code: 'CSRF_REJECTED', message: 'Origin not allowed', requestId: 'r' } }, { status: 403 }),
    });
    const error = await apiSendExpectingNothing('POST', '/sign-out', {}, { fetch: api.fetch }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CSRF_REJECTED', message: 'Origin not allowed', status: 403 });
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('carries the per-field issues of an error', async () => {
    rememberCsrfToken('t');
    const issues = [{ path: 'activationCode', message: 'must be the 16-character code on your poll card' }];
    const api = fakeApi({
      'POST /api/enrolment/start': () => Response.json({ error: { code: 'VALIDATION_FAILED', message: 'Check the form', requestId: 'r', issues } }, { status: 400 }),
    });
    const error = await apiSend('POST', '/enrolment/start', { activationCode: 'x' }, AuthenticationOptionsResponse, { fetch: api.fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).issues).toEqual(issues);
  });
});

describe('apiPostWithoutSession', () => {
  beforeEach(() => rememberCsrfToken(null));

  it('posts JSON without the cookie or a CSRF token, and checks the answer against the schema', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, init: init! });
      return new Response(JSON.stringify(council), { status: 201, headers: { 'content-type': 'application/json' } });
    };
    await expect(apiPostWithoutSession('/elections/e1/ballots', { a: 1 }, CouncilSummary, { fetch, basePath: '/api' })).resolves.toEqual(council);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/api/elections/e1/ballots');
    expect(calls[0]!.init.credentials).toBe('omit');
    expect(calls[0]!.init.body).toBe('{"a":1}');
    expect(Object.keys(calls[0]!.init.headers as Record<string, string>)).not.toContain('x-csrf-token');
  });

  it('turns the server error body into an ApiError, and a malformed answer into INVALID_RESPONSE', async () => {
    const refused = { error: { code: 'CONFLICT', message: 'Already spoiled.', requestId: 'r-9' } };
    const error = await apiPostWithoutSession('/x', {}, CouncilSummary, { fetch: answer(409, refused) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'CONFLICT', status: 409, requestId: 'r-9', message: 'Already spoiled.' });
    const malformed = await apiPostWithoutSession('/x', {}, CouncilSummary, { fetch: answer(201, { name: 1 }) }).catch((e: unknown) => e);
    expect(malformed).toMatchObject({ code: 'INVALID_RESPONSE', status: 201 });
  });
});
