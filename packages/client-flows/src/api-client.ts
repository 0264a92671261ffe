import { ApiErrorBody, SessionResponse } from '@townhall/protocol';

/**
 * A browser-like API client for medium tests: keeps the session cookie (Node's fetch has no cookie
 * jar), sends the CSRF token and the Origin header on state-changing requests, like the apps do.
 */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly origin: string,
  ) {}

  async request(
    method: string,
    path: string,
    init: { body?: unknown; raw?: string | Uint8Array<ArrayBuffer>; contentType?: string; origin?: string | null; csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookie) headers.cookie = `townhall_session=${this.cookie}`;
    if (method !== 'GET' && method !== 'HEAD') {
      const origin = init.origin === undefined ? this.origin : init.origin;
      if (origin !== null) headers.origin = origin;
      const csrf = init.csrf === undefined ? this.csrfToken : init.csrf;
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (init.raw !== undefined) {
      body = init.raw;
      headers['content-type'] = init.contentType ?? 'text/csv';
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const match = /^townhall_session=([^;]*)/.exec(cookie);
      if (match) this.cookie = match[1];
    }
    return response;
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body: unknown = {}, init: { origin?: string | null; csrf?: string | null } = {}) {
    return this.request('POST', path, { body, ...init });
  }

  /** GET /api/session: gets the cookie and the CSRF token. */
  async session(): Promise<SessionResponse> {
    const response = await this.get('/api/session');
    if (response.status !== 200) throw new Error(`GET /api/session answered ${response.status}`);
    const session = SessionResponse.parse(await response.json());
    this.csrfToken = session.csrfToken;
    return session;
  }

  /** A JSON body of a successful response, or a thrown error with the API's code. */
  async json<T>(response: Response | Promise<Response>, expectedStatus = 200): Promise<T> {
    const r = await response;
    const text = await r.text();
    if (r.status !== expectedStatus) throw new Error(`expected ${expectedStatus}, got ${r.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The error code of a failed response (asserting the error body's shape). */
  static async errorCode(response: Response | Promise<Response>): Promise<{ status: number; code: string; message: string; issues?: { path: string; message: string }[] }> {
    const r = await response;
    const body = ApiErrorBody.parse(await r.json());
    return { status: r.status, code: body.error.code, message: body.error.message, ...(body.error.issues ? { issues: body.error.issues } : {}) };
  }
}
