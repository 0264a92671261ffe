/**
 * C2SP tlog-tiles: tile and entry-bundle paths, the tiles touched by an append, entry bundles,
 * and a NodeHashSource that reads tiles (so proofs can be served from stored tiles alone).
 */
import { LedgerError } from './errors.ts';
import { concatBytes, toUint64 } from './encoding.ts';
import { HASH_SIZE, hashChildren } from './merkle.ts';
import type { NodeHashSource, NodeId } from './proofs.ts';
import type { CompletedNode } from './tree-builder.ts';

/** Levels of the Merkle tree per tile level, and hashes per full tile. */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const MAX_TILE_LEVEL = 63;
/** Entries in a bundle are u16 length-prefixed, which bounds an entry at 65,535 bytes. */
export const MAX_BUNDLE_ENTRY_SIZE = 0xffff;

/** Tile `index` at tile `level`, holding `width` hashes (256 for a full tile). */
export interface TileId {
  readonly level: number;
  readonly index: bigint;
  readonly width: number;
}

function formatTileIndex(index: bigint): string {
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift((n % 1000n).toString().padStart(3, '0'));
    n /= 1000n;
  } while (n > 0n);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function assertTileWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new LedgerError('INVALID_ARGUMENT', `tile width must be an integer in [1, ${TILE_WIDTH}]`, { argument: 'width' });
  }
}

/** `tile/<L>/<N>[.p/<W>]`, with N in x-prefixed 3-digit groups (index 1234067 → x001/x234/067). */
export function formatTilePath(tile: { level: number; index: bigint | number; width?: number }): string {
  const { level } = tile;
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new LedgerError('INVALID_ARGUMENT', `tile level must be an integer in [0, ${MAX_TILE_LEVEL}]`, { argument: 'level' });
  }
  const width = tile.width ?? TILE_WIDTH;
  assertTileWidth(width);
  const suffix = width === TILE_WIDTH ? '' : `.p/${width}`;
  return `tile/${level}/${formatTileIndex(toUint64(tile.index, 'index'))}${suffix}`;
}

/** `tile/entries/<N>[.p/<W>]`: the entry bundle for level-0 tile N. */
export function formatEntryBundlePath(index: bigint | number, width: number = TILE_WIDTH): string {
  assertTileWidth(width);
  return `tile/entries/${formatTileIndex(toUint64(index, 'index'))}${width === TILE_WIDTH ? '' : `.p/${width}`}`;
}

export type ParsedTilePath =
  | { readonly kind: 'hashes'; readonly level: number; readonly index: bigint; readonly width: number }
  | { readonly kind: 'entries'; readonly index: bigint; readonly width: number };

/** Parses a tile or entry-bundle path (without the log prefix); undefined unless it is in canonical form. */
export function parseTilePath(path: string): ParsedTilePath | undefined {
  const match = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!match) return undefined;
  const [, levelText, prefix, last, widthText] = match;
  const groups = [...prefix!.split('/').filter(Boolean).map((g) => g.slice(1)), last!];
  if (groups.length > 1 && groups[0] === '000') return undefined; // no leading zero groups
  const index = BigInt(groups.join(''));
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) return undefined;
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) return undefined;
  return { kind: 'hashes', level, index, width };
}

/** Width of tile (level, index) in a tree of `size` leaves; 0 if the tile does not exist yet. */
export function tileWidth(level: number, index: bigint | number, size: bigint | number): number {
  const hashesAtLevel = toUint64(size, 'size') >> BigInt(TILE_HEIGHT * level);
  const before = toUint64(index, 'index') * BigInt(TILE_WIDTH);
  if (hashesAtLevel <= before) return 0;
  const remaining = hashesAtLevel - before;
  return remaining >= BigInt(TILE_WIDTH) ? TILE_WIDTH : Number(remaining);
}

/** Every tile (full and partial) that a tree of `size` leaves is served as, level by level. */
export function tilesForTreeSize(size: bigint | number): TileId[] {
  const n = toUint64(size, 'size');
  const tiles: TileId[] = [];
  for (let level = 0; n >> BigInt(TILE_HEIGHT * level) > 0n; level++) {
    const hashes = n >> BigInt(TILE_HEIGHT * level);
    const full = hashes / BigInt(TILE_WIDTH);
    for (let i = 0n; i < full; i++) tiles.push({ level, index: i, width: TILE_WIDTH });
    const partial = Number(hashes % BigInt(TILE_WIDTH));
    if (partial > 0) tiles.push({ level, index: full, width: partial });
  }
  return tiles;
}

/** Hashes to write at the end of one tile: `hashes` (concatenated) go at hash position `offset`. */
export interface TileAppend {
  readonly level: number;
  readonly index: bigint;
  readonly offset: number;
  readonly hashes: Uint8Array;
}

/**
 * Groups the nodes that TreeBuilder emitted into appends to tiles: a tile at tile level L holds
 * the tree nodes of level 8·L, so only those nodes are kept. Input order within a level is kept.
 */
export function groupNodesIntoTiles(nodes: readonly CompletedNode[]): TileAppend[] {
  const byTile = new Map<string, { level: number; index: bigint; offset: number; hashes: Uint8Array[]; next: bigint }>();
  for (const node of nodes) {
    if (node.level % TILE_HEIGHT !== 0) continue;
    const level = node.level / TILE_HEIGHT;
    const index = node.index / BigInt(TILE_WIDTH);
    const position = node.index % BigInt(TILE_WIDTH);
    const key = `${level}/${index}`;
    const group = byTile.get(key);
    if (group === undefined) {
      byTile.set(key, { level, index, offset: Number(position), hashes: [node.hash], next: node.index + 1n });
    } else {
      if (node.index !== group.next) {
        throw new LedgerError('INVALID_ARGUMENT', `nodes for tile ${key} are not consecutive`, { argument: 'nodes' });
      }
      group.hashes.push(node.hash);
      group.next++;
    }
  }
  return [...byTile.values()].map(({ level, index, offset, hashes }) => ({ level, index, offset, hashes: concatBytes(...hashes) }));
}

/** One tile to read: the store returns its current bytes, at least `minWidth` hashes long. */
export interface TileRequest {
  readonly level: number;
  readonly index: bigint;
  readonly minWidth: number;
}

export type TileReader = (requests: readonly TileRequest[]) => Promise<readonly Uint8Array[]> | readonly Uint8Array[];

/**
 * A NodeHashSource over stored tiles. A node at tree level 8·L + r is the root of 2^r adjacent
 * hashes of one tile at tile level L, so it is recomputed with 2^r − 1 hashes (at most 255).
 * Every tile a proof needs is requested in one call.
 */
export function createTileHashSource(readTiles: TileReader): NodeHashSource {
  return {
    async getNodeHashes(nodes: readonly NodeId[]): Promise<Uint8Array[]> {
      const requests = new Map<string, { level: number; index: bigint; minWidth: number }>();
      const plans = nodes.map(({ level, index }) => {
        const tileLevel = Math.floor(level / TILE_HEIGHT);
        const height = level % TILE_HEIGHT;
        const first = index << BigInt(height);
        const tileIndex = first / BigInt(TILE_WIDTH);
        const offset = Number(first % BigInt(TILE_WIDTH));
        const count = 1 << height;
        const key = `${tileLevel}/${tileIndex}`;
        const existing = requests.get(key);
        if (existing === undefined) requests.set(key, { level: tileLevel, index: tileIndex, minWidth: offset + count });
        else existing.minWidth = Math.max(existing.minWidth, offset + count);
        return { key, offset, count };
      });
      const list = [...requests.entries()];
      const tiles = await readTiles(list.map(([, request]) => request));
      if (tiles.length !== list.length) {
        throw new LedgerError('INVALID_ARGUMENT', `tile reader returned ${tiles.length} tiles for ${list.length} requests`, { argument: 'readTiles' });
      }
      const byKey = new Map<string, Uint8Array>();
      list.forEach(([key, request], i) => {
        const tile = tiles[i]!;
        if (!(tile instanceof Uint8Array) || tile.length % HASH_SIZE !== 0 || tile.length < request.minWidth * HASH_SIZE) {
          throw new LedgerError('INVALID_ARGUMENT', `tile ${key} is missing or shorter than ${request.minWidth} hashes`, { argument: 'readTiles' });
        }
        byKey.set(key, tile);
      });
      return plans.map(({ key, offset, count }) => {
        const tile = byKey.get(key)!;
        let layer: Uint8Array[] = [];
        for (let i = 0; i < count; i++) layer.push(tile.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE));
        while (layer.length > 1) {
          const next: Uint8Array[] = [];
          for (let i = 0; i < layer.length; i += 2) next.push(hashChildren(layer[i]!, layer[i + 1]!));
          layer = next;
        }
        return layer[0]!.slice();
      });
    },
  };
}

/** Entry bundle: each entry as big-endian u16 length ‖ bytes (C2SP tlog-tiles "Log entries"). */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length > TILE_WIDTH) {
    throw new LedgerError('INVALID_ARGUMENT', `a bundle holds at most ${TILE_WIDTH} entries`, { argument: 'entries' });
  }
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_BUNDLE_ENTRY_SIZE) {
      throw new LedgerError('ENTRY_TOO_LARGE', `entry of ${entry.length} bytes does not fit a bundle`, { size: entry.length, limit: MAX_BUNDLE_ENTRY_SIZE });
    }
    parts.push(Uint8Array.of(entry.length >>> 8, entry.length & 0xff), entry);
  }
  return concatBytes(...parts);
}

export function decodeEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bundle.length) {
    if (offset + 2 > bundle.length) throw new LedgerError('MALFORMED_ENTRY', 'bundle ends inside a length prefix', { offset });
    const length = (bundle[offset]! << 8) | bundle[offset + 1]!;
    offset += 2;
    if (offset + length > bundle.length) throw new LedgerError('MALFORMED_ENTRY', 'bundle ends inside an entry', { offset });
    entries.push(bundle.slice(offset, offset + length));
    offset += length;
  }
  if (entries.length > TILE_WIDTH) throw new LedgerError('MALFORMED_ENTRY', `bundle holds more than ${TILE_WIDTH} entries`, { offset });
  return entries;
}
