import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorStatus, type ApiErrorBody, type ErrorCode } from '@townhall/protocol';
import { isDatabaseUnavailable } from '../database/database-unavailable.ts';
import { AppError } from './app-error.ts';
import { logger, redactUrl } from './logger.ts';

/** Maps what body-parser and Nest throw before our code runs onto the closed error vocabulary. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  // body-parser's errors carry a `type`; Nest may wrap them in an HttpException with the original as cause.
  const bodyParserError = exception instanceof HttpException && exception.cause ? exception.cause : exception;
  const bodyParserType = (bodyParserError as { type?: unknown } | null)?.type;
  if (bodyParserType === 'entity.parse.failed') {
    return new AppError('MALFORMED_JSON', 'The request body is not valid JSON.');
  }
  if (bodyParserType === 'entity.too.large') {
    return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  }
  if (bodyParserType === 'encoding.unsupported' || bodyParserType === 'charset.unsupported') {
    return new AppError('VALIDATION_FAILED', 'The request body uses an unsupported encoding.');
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const byStatus: Partial<Record<number, [ErrorCode, string]>> = {
      400: ['VALIDATION_FAILED', 'The request is not valid.'],
      401: ['UNAUTHENTICATED', 'Sign in to continue.'],
      403: ['FORBIDDEN', 'You do not have permission to do that.'],
      404: ['ROUTE_NOT_FOUND', 'There is no such API route.'],
      405: ['METHOD_NOT_ALLOWED', 'That method is not allowed on this route.'],
      413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
      429: ['RATE_LIMITED', 'Too many requests. Wait a minute and try again.'],
    };
    const [code, message] = byStatus[status] ?? ['INTERNAL', 'Something went wrong on our side. Please try again later.'];
    return new AppError(code, message, { logMessage: exception.message, cause: exception });
  }
  // Postgres restarting or unreachable: not a bug, and the request may be sent again (docs/operations.md).
  if (isDatabaseUnavailable(exception)) {
    return new AppError('SERVICE_UNAVAILABLE', 'The service is briefly unavailable. Try again in a few seconds.', { cause: exception });
  }
  return new AppError('INTERNAL', 'Something went wrong on our side. Please try again later.', { cause: exception });
}

/** The single place an error becomes a response: stable code, safe message, request id, nothing internal. */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toAppError(exception);
    const requestId = String(request.id ?? '');
    const status = errorStatus[error.code];
    if (status >= 500) {
      logger.error({ err: exception, requestId, code: error.code }, 'request failed');
    } else {
      // The detail may quote the URL (Nest's "Cannot GET /api/…"): redacted like the request line.
      logger.info({ requestId, code: error.code, status, detail: redactUrl(error.message) }, 'request rejected');
    }
    const body: ApiErrorBody = {
      error: { code: error.code, message: error.publicMessage, requestId, ...(error.details.issues ? { issues: error.details.issues } : {}) },
    };
    if (response.headersSent) return;
    response.status(status).json(body);
  }
}
