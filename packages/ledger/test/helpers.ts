import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { LedgerError, type LedgerErrorCode } from '../src/index.ts';

export const vectorsDir = resolve(dirname(fileURLToPath(import.meta.url)), 'vectors');

export function readVector(path: string): string {
  return readFileSync(join(vectorsDir, path), 'utf8');
}

export function readJsonVector<T = any>(path: string): T {
  return JSON.parse(readVector(path)) as T;
}

export function listVectors(folder: string): string[] {
  return readdirSync(join(vectorsDir, folder)).sort();
}

export const hex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
export const b64 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'base64'));

/** Runs `fn` and returns the LedgerError it throws, failing the test if it throws anything else or nothing. */
export async function catchLedgerError(fn: () => unknown): Promise<LedgerError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LedgerError);
    return error as LedgerError;
  }
  throw new Error('expected a LedgerError, but nothing was thrown');
}

export async function expectLedgerError(fn: () => unknown, code: LedgerErrorCode): Promise<LedgerError> {
  const error = await catchLedgerError(fn);
  expect(error.code).toBe(code);
  return error;
}
