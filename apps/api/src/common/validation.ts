import type { z } from 'zod';
import { AppError } from './app-error.ts';

/** Validates input at the trust boundary; nothing unvalidated crosses into a service (STYLE rule 3). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  throw new AppError('VALIDATION_FAILED', `The ${what} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}
