import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorStatus } from './errors.ts';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('documents every error code with its status', () => {
    const missing = ERROR_CODES.filter((code) => !new RegExp(`\\| \`${code}\` \\| ${errorStatus[code]} \\|`).test(doc));
    expect(missing).toEqual([]);
  });
});
