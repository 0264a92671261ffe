import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from './app-error.ts';

/**
 * PostgreSQL text cannot hold U+0000, so a NUL in any string that reaches a query fails there as a
 * 500 (found by the fuzzer: `POST /api/roll/electors/%00/reissue-card`). No field of this API has
 * a use for it, so requests carrying one — in the path, the query or the JSON body — are refused
 * up front as VALIDATION_FAILED, whichever route they are for.
 */
export function findNulCharacter(value: unknown): string | null {
  // Iterative: bodies may nest thousands of levels deep.
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path || '(root)';
    } else if (current && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return childPath;
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}

export const rejectNulCharacters: RequestHandler = (request: Request, _response: Response, next: NextFunction) => {
  const fromUrl = /%00/.test(request.originalUrl) ? 'url' : null;
  const where = fromUrl ?? findNulCharacter(request.body as unknown);
  if (where === null) return next();
  const issues = [{ path: where, message: 'must not contain the NUL character' }];
  next(new AppError('VALIDATION_FAILED', `The request is not valid: ${where}: must not contain the NUL character`, { issues }));
};
