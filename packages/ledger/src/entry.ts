/**
 * Ledger entries: canonical, domain-separated, length-prefixed bytes.
 *
 *   offset  size  field
 *   0       15    magic: ASCII "townhall/entry" followed by 0x00
 *   15      2     type code, u16 big-endian (ENTRY_TYPES)
 *   17      1     version of that type's body, u8
 *   18      32    previous entry's leaf hash SHA-256(0x00 ‖ previous entry); 32 zero bytes for index 0
 *   50      4     body length n, u32 big-endian
 *   54      n     body: a JSON object in RFC 8785 (JCS) canonical form, UTF-8
 *
 * The whole entry is at most 65,535 bytes, so it fits a C2SP tlog-tiles entry bundle. Decoding
 * accepts exactly one byte string per entry: the body is re-canonicalised and compared.
 */
import canonicalize from 'canonicalize';
import { ENTRY_TYPE_REGISTRY, type EntryTypeName, type LogKind } from '@townhall/protocol';
import { LedgerError } from './errors.ts';
import { assertBytes, decodeUtf8, encodeHex, encodeUtf8, equalBytes, toUint64 } from './encoding.ts';
import { HASH_SIZE, hashLeaf } from './merkle.ts';

export const ENTRY_MAGIC: Uint8Array = Uint8Array.of(...encodeUtf8('townhall/entry'), 0x00);
export const ENTRY_HEADER_SIZE = ENTRY_MAGIC.length + 2 + 1 + HASH_SIZE + 4;
export const MAX_ENTRY_SIZE = 0xffff;
/** previousHash of the first entry of every log. */
export const GENESIS_PREVIOUS_HASH: Uint8Array = new Uint8Array(HASH_SIZE);

/**
 * The type codes, derived from the one table of entry types in packages/protocol (ENTRY_TYPE_REGISTRY:
 * code, log, versions and body schema; docs/protocol/ledger.md §2.1). Codes are never reused; a changed
 * body layout gets a new version, not a new code.
 */
type EntryTypeCode = { readonly code: number; readonly versions: readonly number[]; readonly log: LogKind };
export const ENTRY_TYPES: { readonly [K in EntryTypeName]: EntryTypeCode } =
  Object.fromEntries(
    Object.entries(ENTRY_TYPE_REGISTRY).map(([name, t]) => [name, { code: t.code, versions: t.versions, log: t.log }]),
  ) as never;

export type { EntryTypeName };
export type EntryBody = { readonly [key: string]: JsonValue };
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

const TYPE_BY_CODE = new Map<number, EntryTypeName>(Object.entries(ENTRY_TYPES).map(([name, t]) => [t.code, name as EntryTypeName]));

export function entryTypeName(code: number): EntryTypeName | undefined {
  return TYPE_BY_CODE.get(code);
}

export interface Entry {
  readonly type: EntryTypeName;
  readonly version: number;
  readonly previousHash: Uint8Array;
  readonly body: EntryBody;
}

export interface DecodedEntry extends Entry {
  readonly typeCode: number;
  /** The canonical JSON text of the body, as stored. */
  readonly bodyJson: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** JCS text of a body; only plain JSON data (objects, arrays, strings, finite numbers, booleans, null). */
function canonicalBody(body: unknown): string {
  const check = (value: unknown, path: string): void => {
    if (value === null || typeof value === 'boolean' || typeof value === 'string') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new LedgerError('INVALID_ARGUMENT', `${path} is not a finite number`, { argument: path });
      return;
    }
    if (Array.isArray(value)) return value.forEach((v, i) => check(v, `${path}[${i}]`));
    if (isPlainObject(value)) return Object.entries(value).forEach(([k, v]) => check(v, `${path}.${k}`));
    throw new LedgerError('INVALID_ARGUMENT', `${path} is not JSON data`, { argument: path });
  };
  if (!isPlainObject(body)) throw new LedgerError('INVALID_ARGUMENT', 'entry body must be a plain JSON object', { argument: 'body' });
  check(body, 'body');
  try {
    return canonicalize(body)!;
  } catch (cause) {
    throw new LedgerError('INVALID_ARGUMENT', `entry body cannot be canonicalised: ${(cause as Error).message}`, { argument: 'body' }, { cause });
  }
}

export function encodeEntry(entry: { type: EntryTypeName; version?: number; previousHash: Uint8Array; body: EntryBody }): Uint8Array {
  const definition = ENTRY_TYPES[entry.type];
  if (definition === undefined) throw new LedgerError('INVALID_ARGUMENT', `unknown entry type ${String(entry.type)}`, { argument: 'type' });
  const version = entry.version ?? definition.versions[definition.versions.length - 1]!;
  if (!(definition.versions as readonly number[]).includes(version)) {
    throw new LedgerError('UNKNOWN_ENTRY_TYPE', `${entry.type} has no version ${version}`, { typeCode: definition.code, version });
  }
  assertBytes(entry.previousHash, 'previousHash', HASH_SIZE);
  const body = encodeUtf8(canonicalBody(entry.body));
  const size = ENTRY_HEADER_SIZE + body.length;
  if (size > MAX_ENTRY_SIZE) throw new LedgerError('ENTRY_TOO_LARGE', `entry would be ${size} bytes`, { size, limit: MAX_ENTRY_SIZE });
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(ENTRY_MAGIC, 0);
  let offset = ENTRY_MAGIC.length;
  view.setUint16(offset, definition.code, false);
  offset += 2;
  out[offset++] = version;
  out.set(entry.previousHash, offset);
  offset += HASH_SIZE;
  view.setUint32(offset, body.length, false);
  offset += 4;
  out.set(body, offset);
  return out;
}

export function decodeEntry(bytes: Uint8Array): DecodedEntry {
  assertBytes(bytes, 'bytes');
  if (bytes.length > MAX_ENTRY_SIZE) throw new LedgerError('ENTRY_TOO_LARGE', `entry is ${bytes.length} bytes`, { size: bytes.length, limit: MAX_ENTRY_SIZE });
  if (bytes.length < ENTRY_HEADER_SIZE) throw new LedgerError('MALFORMED_ENTRY', 'entry is shorter than its header', { offset: bytes.length });
  if (!equalBytes(bytes.subarray(0, ENTRY_MAGIC.length), ENTRY_MAGIC)) throw new LedgerError('MALFORMED_ENTRY', 'entry does not start with the Townhall entry magic', { offset: 0 });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = ENTRY_MAGIC.length;
  const typeCode = view.getUint16(offset, false);
  offset += 2;
  const version = bytes[offset++]!;
  const type = entryTypeName(typeCode);
  if (type === undefined) throw new LedgerError('UNKNOWN_ENTRY_TYPE', `unknown entry type code 0x${typeCode.toString(16).padStart(4, '0')}`, { typeCode, version });
  if (!(ENTRY_TYPES[type].versions as readonly number[]).includes(version)) {
    throw new LedgerError('UNKNOWN_ENTRY_TYPE', `${type} has no version ${version}`, { typeCode, version });
  }
  const previousHash = bytes.slice(offset, offset + HASH_SIZE);
  offset += HASH_SIZE;
  const bodyLength = view.getUint32(offset, false);
  offset += 4;
  if (bodyLength !== bytes.length - offset) {
    throw new LedgerError('MALFORMED_ENTRY', `body length ${bodyLength} does not match the ${bytes.length - offset} bytes that follow`, { offset: offset - 4 });
  }
  const bodyJson = decodeUtf8(bytes.subarray(offset));
  if (bodyJson === undefined) throw new LedgerError('MALFORMED_ENTRY', 'body is not valid UTF-8', { offset });
  let body: unknown;
  try {
    body = JSON.parse(bodyJson);
  } catch {
    throw new LedgerError('MALFORMED_ENTRY', 'body is not JSON', { offset });
  }
  if (!isPlainObject(body)) throw new LedgerError('MALFORMED_ENTRY', 'body is not a JSON object', { offset });
  const canonical = canonicalBody(body);
  if (canonical !== bodyJson) throw new LedgerError('NON_CANONICAL_ENTRY', 'body is not in RFC 8785 canonical form', { canonical });
  return { type, typeCode, version, previousHash, body: body as EntryBody, bodyJson };
}

/** The RFC 6962 leaf hash of an entry: what the tree commits to and what the next entry links to. */
export function entryLeafHash(bytes: Uint8Array): Uint8Array {
  return hashLeaf(bytes);
}

export interface ReplayedChain {
  readonly entries: readonly DecodedEntry[];
  readonly leafHashes: readonly Uint8Array[];
}

/**
 * Replays a log (or a run of it starting at `startIndex` after an entry with leaf hash
 * `previousHash`): decodes every entry and checks each previous-hash link. The leaf hashes are
 * returned so the caller can compute the tree root and compare it with a checkpoint.
 */
export function verifyChain(
  entries: readonly Uint8Array[],
  options?: { startIndex?: bigint | number; previousHash?: Uint8Array },
): ReplayedChain {
  const startIndex = toUint64(options?.startIndex ?? 0n, 'startIndex');
  let expected = options?.previousHash ?? GENESIS_PREVIOUS_HASH;
  assertBytes(expected, 'previousHash', HASH_SIZE);
  if (startIndex === 0n && !equalBytes(expected, GENESIS_PREVIOUS_HASH)) {
    throw new LedgerError('INVALID_ARGUMENT', 'the first entry of a log links to 32 zero bytes', { argument: 'previousHash' });
  }
  const decoded: DecodedEntry[] = [];
  const leafHashes: Uint8Array[] = [];
  entries.forEach((bytes, i) => {
    const entry = decodeEntry(bytes);
    const index = startIndex + BigInt(i);
    if (!equalBytes(entry.previousHash, expected)) {
      throw new LedgerError('CHAIN_BROKEN', `entry ${index} links to ${encodeHex(entry.previousHash)}, expected ${encodeHex(expected)}`, {
        index,
        expectedPrevious: expected.slice(),
        foundPrevious: entry.previousHash.slice(),
      });
    }
    expected = entryLeafHash(bytes);
    decoded.push(entry);
    leafHashes.push(expected);
  });
  return { entries: decoded, leafHashes };
}
