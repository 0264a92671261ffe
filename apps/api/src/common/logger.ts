import { pino, type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

/**
 * Structured JSON logs. Secrets and personal data are redacted by path wherever they could appear
 * in a logged object (cookies, authorisation headers, bodies are never logged).
 */
export const logger: Logger = pino({
  level: process.env.TOWNHALL_LOG_LEVEL ?? 'info',
  base: { service: 'townhall-api' },
  redact: {
    paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    censor: '[redacted]',
  },
});

/**
 * Query parameters whose values are never secret nor personal: paging, a district code, ledger
 * positions and hashes. Every other parameter's value is redacted (a poll card's link carries the
 * activation code as `?code=`, a roll search carries a name as `?q=`), so a parameter added later
 * is redacted until someone decides it is safe.
 */
const PUBLIC_QUERY_PARAMETERS = new Set(['page', 'district', 'start', 'end', 'index', 'leafHash', 'size', 'from', 'to']);

/**
 * Request URLs as logged, whatever serves them (the API or the apps' pages). A staff invitation
 * link's token is a bearer secret (whoever has it becomes staff): it never reaches the log, in the
 * API's `/staff/invitations/<token>` nor in the officials' app page `/official/invite/<token>`; nor
 * does personal data from the roll: an elector number in a path (API or app), or a name searched
 * for; nor any query value but the public ones above (the poll card's `/enrol?code=…`). Also applied
 * to messages that quote a URL (Nest's "Cannot GET …").
 */
export function redactUrl(url: string): string {
  // Routing ignores case, so `/OFFICIAL/Invite/<token>` reaches the same page; an encoded slash is caught too.
  return url
    .replace(/((?:\/|%2f)staff(?:\/|%2f)invitations(?:\/|%2f))[^/?#\s]+/gi, '$1[redacted]')
    .replace(/((?:\/|%2f)official(?:\/|%2f)invite(?:\/|%2f))[^/?#\s]+/gi, '$1[redacted]')
    .replace(/((?:\/|%2f)roll(?:\/|%2f)electors(?:\/|%2f))[^/?#\s]+/gi, '$1[elector]')
    .replace(/\?([^#\s]*)/g, (_, query: string) => `?${redactQuery(query)}`);
}

/** `name=value` pairs keep a public parameter's plain value; any other value, or a bare item, is redacted. */
function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((item) => {
      const equals = item.indexOf('=');
      if (equals < 0) return item === '' ? item : '[redacted]';
      const [name, value] = [item.slice(0, equals), item.slice(equals + 1)];
      return PUBLIC_QUERY_PARAMETERS.has(name) && /^[A-Za-z0-9_.-]*$/.test(value) ? item : `${name}=[redacted]`;
    })
    .join('&');
}

/** Lets Nest's own messages go through the same JSON logger. */
export class NestPinoLogger implements LoggerService {
  log(message: unknown, context?: string) {
    logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    logger.trace({ context }, String(message));
  }
}
