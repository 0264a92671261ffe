// Byte helpers for the encodings of docs/protocol.md §2–§3, strict in what they accept.

const encoder = new TextEncoder();

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`u32be: ${n} is out of range`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/** lp(x) = u32be(|x|) ‖ x, and lengthPrefixed(x_1, …, x_m) = lp(x_1) ‖ … ‖ lp(x_m) (protocol.md §2). */
export const lengthPrefixed = (...parts: readonly Uint8Array[]): Uint8Array => concatBytes(...parts.flatMap((p) => [u32be(p.length), p]));

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX_VALUES = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < 16; i++) table['0123456789abcdef'.charCodeAt(i)] = i;
  return table;
})();

/** Lowercase hex of even length, nothing else (protocol.md §3). */
export function fromHex(text: string, length?: number): Uint8Array<ArrayBuffer> {
  if (text.length % 2 !== 0) throw new TypeError('not lowercase hex of even length');
  if (length !== undefined && text.length !== 2 * length) throw new TypeError(`expected ${length} bytes, found ${text.length / 2}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const high = HEX_VALUES[text.charCodeAt(2 * i)] ?? -1;
    const low = HEX_VALUES[text.charCodeAt(2 * i + 1)] ?? -1;
    if (high < 0 || low < 0) throw new TypeError('not lowercase hex of even length');
    out[i] = (high << 4) | low;
  }
  return out;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += HEX_BYTES[bytes[i]!];
  return text;
}


/** RFC 4648 §4 with padding and zero pad bits; anything else is refused (ledger.md §4.2). */
export function fromBase64(text: string): Uint8Array {
  // Strict: atob alone would let whitespace, a missing padding or non-zero pad bits through, and
  // none of those survive encoding the bytes again (cheaper than a regular expression over a
  // record's megabytes of base64).
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError('not strict base64');
  }
  if (btoa(binary) !== text) throw new TypeError('not strict base64 (whitespace, padding or non-zero pad bits)');
  return binaryToBytes(binary);
}

/** The bytes of an atob result (one char code per byte). */
function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  // One flat string (built through btoa, not by appending, which would leave a rope of small strings).
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
  const standard = text.replaceAll('-', '+').replaceAll('_', '/');
  return binaryToBytes(atob(standard + '='.repeat((4 - (standard.length % 4)) % 4)));
}
