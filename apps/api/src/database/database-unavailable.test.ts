import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.ts';

/** Shapes as logged by the API while Postgres was restarted (test/faults/postgres-restart.medium.test.ts). */
const prismaError = (cause: Record<string, unknown>) => Object.assign(new Error('Invalid `prisma.$queryRaw()` invocation'), { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['admin shutdown (pg_ctl stop/restart -m fast)', prismaError({ kind: 'postgres', code: '57P01', originalCode: '57P01' })],
    ['starting up / shutting down', prismaError({ kind: 'postgres', code: '57P03', originalCode: '57P03' })],
    ['server unreachable', prismaError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    ['connection closed', prismaError({ kind: 'ConnectionClosed' })],
    ['too many connections', prismaError({ kind: 'TooManyConnections' })],
    ['pg: connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['pg: connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['pg: SQLSTATE 08006', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['wrapped in a cause', new Error('query failed', { cause: Object.assign(new Error('x'), { code: '57P01' }) })],
    ['inside an AggregateError', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])],
  ])('recognises %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', prismaError({ kind: 'NullConstraintViolation', originalCode: '23502' })],
    ['a unique violation (SQLSTATE 23505)', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a Prisma code that only looks like a SQLSTATE', Object.assign(new Error('x'), { code: 'P2002' })],
    ['a plain bug', new TypeError('undefined is not a function')],
    ['not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('does not take %s for an outage', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('terminates on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = new Error('b', { cause: a });
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
