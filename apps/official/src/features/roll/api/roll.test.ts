import { type FetchLike, rememberCsrfToken } from '@townhall/web-ui';
import { beforeEach, describe, expect, it } from 'vitest';
import { issuePollCards } from './roll.ts';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake API: GET /session hands out a CSRF token; POST /roll/poll-cards answers a PDF. */
function fakeApi(seen: Seen[], pollCards: () => Response): FetchLike {
  return async (url, init = {}) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    seen.push({ url, method: init.method ?? 'GET', headers, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body });
    if (url === '/api/session') {
      return new Response(JSON.stringify({ principal: { kind: 'anonymous' }, csrfToken: 'token-1', expiresAt: null }), { status: 200 });
    }
    return pollCards();
  };
}

describe('issuePollCards', () => {
  beforeEach(() => rememberCsrfToken(null));

  it('POSTs the ward as JSON with the session’s CSRF token and answers the PDF', async () => {
    const seen: Seen[] = [];
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]);
    const fetch = fakeApi(seen, () => new Response(pdf, { status: 200, headers: { 'content-type': 'application/pdf' } }));

    const letters = await issuePollCards('CAS', { fetch, basePath: '/api' });

    expect(new Uint8Array(await letters.arrayBuffer())).toEqual(pdf);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/session', 'POST /api/roll/poll-cards']);
    const post = seen[1]!;
    expect(post.body).toEqual({ district: 'CAS' });
    expect(post.headers['x-csrf-token']).toBe('token-1');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers.accept).toContain('application/pdf');
  });

  it('rejects with the API’s error code, e.g. an unknown ward', async () => {
    const seen: Seen[] = [];
    const notFound = { error: { code: 'NOT_FOUND', message: 'There is no district with that code.', requestId: 'req-7' } };
    const fetch = fakeApi(seen, () => new Response(JSON.stringify(notFound), { status: 404 }));

    await expect(issuePollCards('ZZZ', { fetch, basePath: '/api' })).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404, requestId: 'req-7' });
  });
});
