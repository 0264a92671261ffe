import { errorStatus, type ErrorCode, type ValidationIssue } from '@townhall/protocol';

/**
 * The one error type services throw. `publicMessage` is safe to show a person and should say what
 * to do; `logMessage` (optional) is for operators and never leaves the server.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly publicMessage: string,
    readonly details: { logMessage?: string; issues?: ValidationIssue[]; cause?: unknown } = {},
  ) {
    super(details.logMessage ?? publicMessage, { cause: details.cause });
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}
