import { CouncilSummary } from '@townhall/protocol';
import { describe, expect, it } from 'vitest';
import { ApiError, apiGet, type FetchLike } from './api-client.ts';

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
