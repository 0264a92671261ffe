import { ApiErrorBody, SessionResponse, type ErrorCode, type ValidationIssue } from '@townhall/protocol';
import type { z } from 'zod';

/**
 * The server's closed list of error codes plus two that only a client can observe: the request
 * never got an answer, or the answer was not what the protocol says it must be.
 */
export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR' | 'INVALID_RESPONSE';

/** Every failed API call rejects with this, so the UI branches on `code`, never on a message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** HTTP status, or null when no response arrived. */
    readonly status: number | null,
    /** The server's request id, to quote when reporting a problem. */
    readonly requestId: string | null,
    /** Per-field problems (VALIDATION_FAILED, ROLL_INVALID), when the server named them. */
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(message);
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiGetOptions {
  signal?: AbortSignal;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: FetchLike;
  basePath?: string;
  /**
   * Non-2xx statuses whose body is still the answer rather than an error, e.g. the health check's
   * 503, which carries the health report that says what is wrong.
   */
  answerStatuses?: readonly number[];
}

/**
 * Where the API answers, unless a call passes `basePath`. Each app sets it once at start-up from its
 * own build-time configuration (`VITE_API_BASE_PATH`); the API serves the apps and answers under
 * `/api` on the same origin by default.
 */
let defaultBasePath = '/api';

export function configureApiClient(config: { basePath: string }): void {
  defaultBasePath = config.basePath;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function failedAnswer(response: Response, body: unknown): Promise<ApiError> {
  const parsedError = ApiErrorBody.safeParse(body);
  if (parsedError.success) {
    const { code, message, requestId, issues } = parsedError.data.error;
    return new ApiError(code, message, response.status, requestId, issues ?? []);
  }
  return new ApiError(
    'INVALID_RESPONSE',
    `The service answered ${response.status} without a valid error body.`,
    response.status,
    response.headers.get('x-request-id'),
  );
}

function parseAnswer<Schema extends z.ZodType>(schema: Schema, body: unknown, path: string, response: Response): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      'INVALID_RESPONSE',
      `The service's answer to ${path} did not match the expected format.`,
      response.status,
      response.headers.get('x-request-id'),
    );
  }
  return parsed.data;
}

async function fetchOrFail(doFetch: FetchLike, url: string, init: RequestInit): Promise<Response> {
  try {
    return await doFetch(url, init);
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new ApiError('NETWORK_ERROR', 'The service could not be reached.', null, null);
  }
}

/**
 * GET `path` under the API and validate the JSON body against `schema` (a trust boundary: the
 * UI never renders data that did not pass the protocol's schema). Non-2xx answers become an
 * `ApiError` carrying the server's code and request id.
 */
export async function apiGet<Schema extends z.ZodType>(
  path: `/${string}`,
  schema: Schema,
  options: ApiGetOptions = {},
): Promise<z.infer<Schema>> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = `${options.basePath ?? defaultBasePath}${path}`;
  const response = await fetchOrFail(doFetch, url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
    signal: options.signal,
  });
  const body = await readJson(response);
  const isAnswer = response.ok || (options.answerStatuses ?? []).includes(response.status);
  if (!isAnswer) throw await failedAnswer(response, body);
  return parseAnswer(schema, body, path, response);
}

/**
 * GET a file the API gives as an attachment (a bank file, say): its bytes and the file name from
 * `Content-Disposition`. A refusal is an `ApiError` with the server's code, as for `apiGet`, so a
 * page can say what is wrong instead of the browser saving an error as the file.
 */
export async function apiGetFile(path: `/${string}`, options: ApiGetOptions = {}): Promise<{ blob: Blob; filename: string | null }> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const response = await fetchOrFail(doFetch, `${options.basePath ?? defaultBasePath}${path}`, {
    method: 'GET',
    headers: { accept: '*/*' },
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) throw await failedAnswer(response, await readJson(response));
  const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? null;
  return { blob: await response.blob(), filename };
}

// ---- State-changing requests

/**
 * The CSRF token of this browser's session cookie (protocol identity.ts: every POST/PUT/PATCH/DELETE
 * carries it as `X-CSRF-Token`). Read from GET /session when first needed; replaced whenever a
 * response hands out a new one (signing in and out replace the cookie, and with it the token).
 */
let csrfToken: string | null = null;

export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function currentCsrfToken(options: ApiGetOptions): Promise<string> {
  if (csrfToken === null) {
    // The session is the API's, also for a request outside its base path (Townhall ID's
    // /oidc/interaction/… pages), so its token is read from there.
    const session = await apiGet('/session', SessionResponse, { ...options, basePath: defaultBasePath });
    csrfToken = session.csrfToken;
  }
  return csrfToken;
}

export type SendMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiSendOptions extends ApiGetOptions {
  /** For a body that is not JSON, e.g. a CSV file sent as it is (`text/csv`). */
  contentType?: string;
  /** Ask for the answer at once while long work goes on (`Prefer: respond-async`, RFC 7240). */
  respondAsync?: boolean;
}

/** What a state-changing request answers: JSON checked against a schema, nothing (204), or a file. */
type Expect<Schema extends z.ZodType> = { json: Schema } | { nothing: true } | { file: true };

async function send<Schema extends z.ZodType>(
  method: SendMethod,
  path: `/${string}`,
  body: unknown,
  expect: Expect<Schema>,
  options: ApiSendOptions,
  isRetry = false,
): Promise<z.infer<Schema> | Blob | undefined> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = `${options.basePath ?? defaultBasePath}${path}`;
  const token = await currentCsrfToken(options);
  const isRaw = options.contentType !== undefined;
  const response = await fetchOrFail(doFetch, url, {
    method,
    headers: {
      accept: 'file' in expect ? 'application/pdf, application/json' : 'application/json',
      'content-type': options.contentType ?? 'application/json',
      'x-csrf-token': token,
      ...(options.respondAsync ? { prefer: 'respond-async' } : {}),
    },
    body: isRaw ? (body as BodyInit) : JSON.stringify(body ?? {}),
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) {
    const error = await failedAnswer(response, await readJson(response));
    // The session (and its token) may have changed under us, e.g. it expired or another tab signed
    // out: fetch the current token and try once more. A raw body (a stream) cannot be sent twice.
    if (error.code === 'CSRF_REJECTED' && !isRetry && !(body instanceof ReadableStream)) {
      csrfToken = null;
      return send(method, path, body, expect, options, true);
    }
    throw error;
  }
  if ('nothing' in expect) return undefined;
  if ('file' in expect) return response.blob();
  const answer = parseAnswer(expect.json, await readJson(response), path, response);
  // Signing in answers the new session, whose token replaces the old one.
  const session = SessionResponse.safeParse(answer);
  if (session.success) csrfToken = session.data.csrfToken;
  return answer;
}

/**
 * A state-changing request with the session's CSRF token; the JSON answer is checked against
 * `schema`. A body that is not a plain value needs `options.contentType` (it is then sent as is).
 */
export async function apiSend<Schema extends z.ZodType>(
  method: SendMethod,
  path: `/${string}`,
  body: unknown,
  schema: Schema,
  options: ApiSendOptions = {},
): Promise<z.infer<Schema>> {
  return (await send(method, path, body, { json: schema }, options)) as z.infer<Schema>;
}

/** A state-changing request answered by 204 No Content. */
export async function apiSendExpectingNothing(method: SendMethod, path: `/${string}`, body: unknown, options: ApiSendOptions = {}): Promise<void> {
  await send(method, path, body, { nothing: true }, options);
}

/** A state-changing request answered by a file (e.g. a PDF letter). */
export async function apiSendForFile(method: SendMethod, path: `/${string}`, body: unknown, options: ApiSendOptions = {}): Promise<Blob> {
  return (await send(method, path, body, { file: true }, options)) as Blob;
}

/**
 * A POST that carries no cookie and so no CSRF token (protocol: PublicMachine), for requests that
 * are authorised by what they carry, not by the sign-in session: a ballot is cast with its
 * credential and signature, and the session is kept away from it. Errors and the answer's schema
 * are handled as for every other call.
 */
export async function apiPostWithoutSession<Schema extends z.ZodType>(
  path: `/${string}`,
  body: unknown,
  schema: Schema,
  options: ApiGetOptions = {},
): Promise<z.infer<Schema>> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const response = await fetchOrFail(doFetch, `${options.basePath ?? defaultBasePath}${path}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    signal: options.signal,
  });
  const answer = await readJson(response);
  if (!response.ok) throw await failedAnswer(response, answer);
  return parseAnswer(schema, answer, path, response);
}
