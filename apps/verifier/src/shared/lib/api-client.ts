import { ApiErrorBody, type ErrorCode } from '@townhall/protocol';
import type { z } from 'zod';
import { appConfig } from '../config/app-config.ts';

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

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
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
  const url = `${options.basePath ?? appConfig.apiBasePath}${path}`;

  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError('NETWORK_ERROR', 'The service could not be reached.', null, null);
  }

  const body = await readJson(response);
  const requestId = response.headers.get('x-request-id');

  const isAnswer = response.ok || (options.answerStatuses ?? []).includes(response.status);
  if (!isAnswer) {
    const parsedError = ApiErrorBody.safeParse(body);
    if (parsedError.success) {
      const { code, message, requestId: bodyRequestId } = parsedError.data.error;
      throw new ApiError(code, message, response.status, bodyRequestId);
    }
    throw new ApiError(
      'INVALID_RESPONSE',
      `The service answered ${response.status} without a valid error body.`,
      response.status,
      requestId,
    );
  }

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      'INVALID_RESPONSE',
      `The service's answer to ${path} did not match the expected format.`,
      response.status,
      requestId,
    );
  }
  return parsed.data;
}
