import { describe, expect, it } from 'vitest';
import { ApiErrorBody, ERROR_CODES, errorStatus } from './errors.ts';

describe('error vocabulary', () => {
  it('maps every code to a 4xx or 5xx status, and only INTERNAL and SERVICE_UNAVAILABLE to 5xx', () => {
    for (const code of ERROR_CODES) {
      const status = errorStatus[code];
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status < 500 || code === 'INTERNAL' || code === 'SERVICE_UNAVAILABLE').toBe(true);
    }
  });

  it('rejects an error body with a code outside the closed list', () => {
    const body = { error: { code: 'SOMETHING_ELSE', message: 'x', requestId: 'r' } };
    expect(ApiErrorBody.safeParse(body).success).toBe(false);
    expect(ApiErrorBody.safeParse({ error: { ...body.error, code: 'NOT_FOUND' } }).success).toBe(true);
  });
});
