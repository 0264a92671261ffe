// Shared helpers of the credential modules; byte checks are group.ts's, under the name used here.
export { assertBytes as requireBytes, describeType } from '../group.ts';

export function bytesToBigIntBE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
