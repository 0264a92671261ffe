// Input checks shared by the credential modules: every public function validates its byte
// arguments here so a wrong type or length becomes a typed CryptoError naming the argument.
import { CryptoError } from '../errors.ts';

export function requireBytes(value: unknown, field: string, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('INVALID_TYPE', field, `expected Uint8Array, got ${describeType(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new CryptoError('INVALID_LENGTH', field, `expected ${length} bytes, got ${value.length}`);
  }
  return value;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function bytesToBigIntBE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
