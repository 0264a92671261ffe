import { z } from 'zod';

/**
 * The closed list of error codes the API returns. Every code has one HTTP status (see
 * `errorStatus`); clients branch on the code, never on the message. Documented in docs/errors.md.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'CSRF_REJECTED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'ROLL_INVALID',
  'ACTIVATION_CODE_INVALID',
  'ACCOUNT_LOCKED',
  'CHALLENGE_EXPIRED',
  'PASSKEY_VERIFICATION_FAILED',
  'PASSKEY_REVOKED',
  'PASSKEY_COUNTER_REGRESSION',
  'ELECTION_INVALID',
  'ELECTION_WRONG_PHASE',
  'CEREMONY_REJECTED',
  'NOT_ELIGIBLE',
  'CREDENTIAL_ALREADY_ISSUED',
  'BALLOT_REJECTED',
  'SPOIL_LIMIT_REACHED',
  'DECRYPTION_REJECTED',
  'SIGN_IN_REQUEST_EXPIRED',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const errorStatus: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  CSRF_REJECTED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ROLL_INVALID: 422,
  ACTIVATION_CODE_INVALID: 400,
  ACCOUNT_LOCKED: 423,
  CHALLENGE_EXPIRED: 400,
  PASSKEY_VERIFICATION_FAILED: 400,
  PASSKEY_REVOKED: 401,
  PASSKEY_COUNTER_REGRESSION: 401,
  ELECTION_INVALID: 422,
  ELECTION_WRONG_PHASE: 409,
  CEREMONY_REJECTED: 422,
  NOT_ELIGIBLE: 403,
  CREDENTIAL_ALREADY_ISSUED: 409,
  BALLOT_REJECTED: 422,
  SPOIL_LIMIT_REACHED: 409,
  DECRYPTION_REJECTED: 422,
  SIGN_IN_REQUEST_EXPIRED: 400,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const ValidationIssue = z.object({
  path: z.string(),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const ApiErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    requestId: z.string(),
    issues: z.array(ValidationIssue).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
