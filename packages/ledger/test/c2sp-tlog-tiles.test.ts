// C2SP tlog-tiles: paths, tile layout, entry bundles, and proofs served from stored tiles that
// the sequencer's TreeBuilder produced incrementally.
import { describe, expect, test } from 'vitest';
import {
  MemoryTree,
  TILE_WIDTH,
  TreeBuilder,
  createTileHashSource,
  decodeEntryBundle,
  encodeEntryBundle,
  encodeHex,
  formatEntryBundlePath,
  formatTilePath,
  frontierNodes,
  generateConsistencyProof,
  generateInclusionProof,
  groupNodesIntoTiles,
  hashLeaf,
  parseTilePath,
  tileWidth,
  tilesForTreeSize,
  type TileRequest,
} from '../src/index.ts';
import { expectLedgerError } from './helpers.ts';

describe('tile paths', () => {
  test('the spec example: index 1234067 is x001/x234/067', () => {
    expect(formatTilePath({ level: 0, index: 1234067n })).toBe('tile/0/x001/x234/067');
    expect(formatTilePath({ level: 2, index: 5n, width: 17 })).toBe('tile/2/005.p/17');
    expect(formatTilePath({ level: 1, index: 0 })).toBe('tile/1/000');
    expect(formatTilePath({ level: 0, index: 1000n })).toBe('tile/0/x001/000');
    expect(formatEntryBundlePath(1234067n)).toBe('tile/entries/x001/x234/067');
    expect(formatEntryBundlePath(3n, 112)).toBe('tile/entries/003.p/112');
  });

  test('parse is the inverse of format and rejects non-canonical paths', () => {
    for (const [level, index, width] of [[0, 0n, 256], [3, 999n, 1], [0, 1234067n, 255], [63, 10n ** 18n, 256]] as const) {
      const path = formatTilePath({ level, index, width });
      expect(parseTilePath(path)).toEqual({ kind: 'hashes', level, index, width });
    }
    expect(parseTilePath('tile/entries/x001/x234/067.p/5')).toEqual({ kind: 'entries', index: 1234067n, width: 5 });
    for (const bad of ['tile/0/1234', 'tile/0/x000/001', 'tile/00/001', 'tile/64/000', 'tile/0/001.p/256', 'tile/0/001.p/0', 'tile/0/001.p/07', 'tile/0/001/', 'tile/0/x001', 'tiles/0/001']) {
      expect(parseTilePath(bad), bad).toBeUndefined();
    }
  });

  test('bad arguments are INVALID_ARGUMENT', async () => {
    await expectLedgerError(() => formatTilePath({ level: 64, index: 0n }), 'INVALID_ARGUMENT');
    await expectLedgerError(() => formatTilePath({ level: 0, index: 0n, width: 0 }), 'INVALID_ARGUMENT');
    await expectLedgerError(() => formatTilePath({ level: 0, index: -1n }), 'INVALID_ARGUMENT');
  });
});

describe('tile layout', () => {
  test('the spec example: a tree of 70,000 entries', () => {
    const tiles = tilesForTreeSize(70_000);
    const level0 = tiles.filter((t) => t.level === 0);
    expect(level0.filter((t) => t.width === 256)).toHaveLength(273);
    expect(level0.filter((t) => t.width < 256)).toEqual([{ level: 0, index: 273n, width: 112 }]);
    expect(tiles.filter((t) => t.level === 1)).toEqual([{ level: 1, index: 0n, width: 256 }, { level: 1, index: 1n, width: 17 }]);
    expect(tiles.filter((t) => t.level === 2)).toEqual([{ level: 2, index: 0n, width: 1 }]);
    expect(tiles.filter((t) => t.level > 2)).toEqual([]);
    expect(tileWidth(1, 1n, 70_000)).toBe(17);
    expect(tileWidth(0, 274n, 70_000)).toBe(0);
  });

  test('the spec example: a tree of 256 entries is one full tile and a level-1 tile of width 1', () => {
    expect(tilesForTreeSize(256)).toEqual([{ level: 0, index: 0n, width: 256 }, { level: 1, index: 0n, width: 1 }]);
  });
});

describe('TreeBuilder and tiles', () => {
  const N = 70_000;
  const leaves = Array.from({ length: N }, (_, i) => hashLeaf(new TextEncoder().encode(`entry ${i}`)));

  // A tile store as a sequencer would keep it: bytes per (level, index), appended in place.
  function buildTileStore(batches: number[]) {
    const store = new Map<string, Uint8Array>();
    let builder = TreeBuilder.empty();
    let done = 0;
    for (const batch of batches) {
      // Restart from the frontier between batches, as after a process restart.
      builder = TreeBuilder.fromFrontier(builder.size, builder.frontier().map((n) => n.hash));
      const nodes = builder.appendAll(leaves.slice(done, done + batch));
      done += batch;
      for (const append of groupNodesIntoTiles(nodes)) {
        const key = `${append.level}/${append.index}`;
        const existing = store.get(key) ?? new Uint8Array(0);
        expect(existing.length, `append to ${key} at ${append.offset}`).toBe(append.offset * 32);
        const grown = new Uint8Array(existing.length + append.hashes.length);
        grown.set(existing);
        grown.set(append.hashes, existing.length);
        store.set(key, grown);
      }
    }
    return { store, builder };
  }

  const { store, builder } = buildTileStore([1, 255, 1, 999, 40_000, 28_744]);
  const reads: TileRequest[][] = [];
  const source = createTileHashSource((requests) => {
    reads.push([...requests]);
    return requests.map((r) => store.get(`${r.level}/${r.index}`)!);
  });
  const memory = new MemoryTree();
  for (const leaf of leaves) memory.appendLeafHash(leaf);

  test('incremental roots across restarts equal the in-memory tree root', () => {
    expect(builder.size).toBe(BigInt(N));
    expect(encodeHex(builder.root())).toBe(encodeHex(memory.root()));
  });

  test('stored tiles have exactly the widths tlog-tiles prescribes', () => {
    for (const tile of tilesForTreeSize(N)) {
      expect(store.get(`${tile.level}/${tile.index}`)!.length, `${tile.level}/${tile.index}`).toBe(tile.width * 32);
    }
    expect(store.size).toBe(tilesForTreeSize(N).length);
  });

  test('proofs served from tiles equal proofs from the full tree, one batched read per proof', async () => {
    for (const [index, size] of [[0, 1], [5, 256], [255, 257], [12_345, 70_000], [69_999, 70_000], [65_535, 65_537]] as const) {
      reads.length = 0;
      const fromTiles = await generateInclusionProof(source, index, size);
      expect(reads).toHaveLength(fromTiles.length === 0 ? 0 : 1);
      expect(fromTiles.map(encodeHex)).toEqual((await generateInclusionProof(memory, index, size)).map(encodeHex));
    }
    for (const [a, b] of [[1, 70_000], [256, 65_536], [3_333, 66_666], [69_999, 70_000]] as const) {
      expect((await generateConsistencyProof(source, a, b)).map(encodeHex)).toEqual((await generateConsistencyProof(memory, a, b)).map(encodeHex));
    }
  });

  test('a builder resumed from a hash source continues identically', async () => {
    const resumed = await TreeBuilder.fromSource(source, 65_537);
    expect(resumed.frontier().map((n) => `${n.level}/${n.index}`)).toEqual(frontierNodes(65_537).map((n) => `${n.level}/${n.index}`));
    resumed.appendAll(leaves.slice(65_537));
    expect(encodeHex(resumed.root())).toBe(encodeHex(memory.root()));
  });

  test('a short or missing tile is reported, not silently hashed', async () => {
    const broken = createTileHashSource((requests) => requests.map(() => new Uint8Array(32)));
    await expectLedgerError(() => generateInclusionProof(broken, 12_345, 70_000), 'INVALID_ARGUMENT');
    await expectLedgerError(() => TreeBuilder.fromFrontier(3, [new Uint8Array(32)]), 'INVALID_ARGUMENT');
  });

  test('groupNodesIntoTiles keeps only tile-level nodes', () => {
    const b = TreeBuilder.empty();
    const nodes = b.appendAll(leaves.slice(0, TILE_WIDTH));
    const appends = groupNodesIntoTiles(nodes);
    expect(appends.map((a) => [a.level, a.index, a.offset, a.hashes.length])).toEqual([
      [0, 0n, 0, 256 * 32],
      [1, 0n, 0, 32],
    ]);
  });
});

describe('entry bundles', () => {
  test('round trip with big-endian u16 length prefixes', () => {
    const entries = [new Uint8Array(0), Uint8Array.of(0x61), new Uint8Array(300).fill(7), new Uint8Array(0xffff)];
    const bundle = encodeEntryBundle(entries);
    expect(encodeHex(bundle.subarray(0, 5))).toBe('0000000161');
    expect(decodeEntryBundle(bundle).map(encodeHex)).toEqual(entries.map(encodeHex));
  });

  test('truncation and oversize entries are rejected', async () => {
    const bundle = encodeEntryBundle([Uint8Array.of(1, 2, 3)]);
    await expectLedgerError(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1)), 'MALFORMED_ENTRY');
    await expectLedgerError(() => decodeEntryBundle(bundle.subarray(0, 1)), 'MALFORMED_ENTRY');
    await expectLedgerError(() => encodeEntryBundle([new Uint8Array(0x10000)]), 'ENTRY_TOO_LARGE');
  });
});
