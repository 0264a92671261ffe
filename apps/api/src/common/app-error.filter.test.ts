import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.ts';
import { toAppError } from './app-error.filter.ts';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const error = new AppError('CONFLICT', 'Already done.');
    expect(toAppError(error)).toBe(error);
  });

  it('recognises body-parser failures, bare or wrapped by Nest', () => {
    const parseFailure = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' });
    expect(toAppError(parseFailure).code).toBe('MALFORMED_JSON');
    expect(toAppError(new BadRequestException('x', { cause: parseFailure })).code).toBe('MALFORMED_JSON');
    expect(toAppError(Object.assign(new Error('too big'), { type: 'entity.too.large' })).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('maps Nest HTTP exceptions to the closed vocabulary', () => {
    expect(toAppError(new NotFoundException()).code).toBe('ROUTE_NOT_FOUND');
    expect(toAppError(new HttpException('x', 405)).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('never leaks the message of an unexpected error', () => {
    const error = toAppError(new Error('password=hunter2 in connection string'));
    expect(error.code).toBe('INTERNAL');
    expect(error.publicMessage).not.toContain('hunter2');
  });

  it('answers 503 SERVICE_UNAVAILABLE, not INTERNAL, when the database is away', () => {
    const restarting = Object.assign(new Error('Invalid `prisma.$queryRaw()` invocation'), { meta: { driverAdapterError: { cause: { kind: 'postgres', code: '57P03' } } } });
    expect(toAppError(restarting).code).toBe('SERVICE_UNAVAILABLE');
    expect(toAppError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe('SERVICE_UNAVAILABLE');
    expect(toAppError(Object.assign(new Error('duplicate key'), { code: '23505' })).code).toBe('INTERNAL');
  });
});
