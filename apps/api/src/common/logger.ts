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
 * Request URLs as logged. A staff invitation link's token is a bearer secret (whoever has it becomes
 * staff), so it never reaches the log; nor does personal data from the roll: an elector number in a
 * path, or a name searched for. Every other path and query holds nothing secret.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/staff\/invitations\/)[^/?#]+/g, '$1[redacted]')
    .replace(/(\/roll\/electors\/)[^/?#]+/g, '$1[elector]')
    .replace(/([?&]q=)[^&#]*/g, '$1[redacted]');
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
