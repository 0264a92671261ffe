/**
 * Whether an error means "the database is not there right now" (restarting, shutting down,
 * unreachable, connection cut) rather than a bug: the API answers those with 503
 * SERVICE_UNAVAILABLE and the client may retry. Recognises the errors of both paths to Postgres:
 * Prisma over its driver adapter (`meta.driverAdapterError.cause`) and `pg` itself (SQLSTATE `code`,
 * socket errno), following `cause` chains.
 */

// SQLSTATE class 08 (connection exception); 57P01 admin_shutdown, 57P02 crash_shutdown,
// 57P03 cannot_connect_now (starting up, shutting down, in recovery); 53300 too_many_connections.
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
// Prisma driver-adapter error kinds for the same situations.
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'TooManyConnections', 'SocketTimeout']);
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// node-postgres reports a connection lost mid-query with this message and no code.
const PG_CONNECTION_LOST = /^Connection terminated( unexpectedly|$)|^Client has encountered a connection error/;

function looksUnavailable(candidate: Record<string, unknown>): boolean {
  const { code, originalCode, kind, message } = candidate;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
  if (typeof originalCode === 'string' && UNAVAILABLE_SQLSTATE.test(originalCode)) return true;
  if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return true;
  return typeof message === 'string' && PG_CONNECTION_LOST.test(message);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as Record<string, unknown>;
    if (looksUnavailable(candidate)) return true;
    pending.push(candidate.cause);
    const meta = candidate.meta as { driverAdapterError?: { cause?: unknown } } | undefined;
    pending.push(meta?.driverAdapterError?.cause);
    if (Array.isArray(candidate.errors)) pending.push(...(candidate.errors as unknown[]));
  }
  return false;
}
