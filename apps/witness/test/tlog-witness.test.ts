import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  SIGNATURE_TYPE_ED25519,
  createSigner,
  formatAddCheckpointRequest,
  formatVerifierKey,
  generateConsistencyProof,
  openCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  TLOG_SIZE_CONTENT_TYPE,
  type NoteSigner,
} from '@townhall/ledger';
import { startWitness, type RunningWitness } from '../src/index.ts';

const ORIGIN = 'council.example/townhall/registry';
const logSigner = createSigner(ORIGIN, SIGNATURE_TYPE_ED25519, new Uint8Array(32).fill(7));
const impostor = createSigner(ORIGIN, SIGNATURE_TYPE_ED25519, new Uint8Array(32).fill(9));

/** A log of `size` leaves; `fork` changes the content from leaf `forkAt` on (a rewritten history). */
function makeTree(size: number, fork?: { at: number }): MemoryTree {
  const tree = new MemoryTree();
  for (let i = 0; i < size; i++) tree.appendEntry(new TextEncoder().encode(fork && i >= fork.at ? `forged ${i}` : `entry ${i}`));
  return tree;
}

function note(tree: MemoryTree, signer: NoteSigner = logSigner, origin = ORIGIN): string {
  return signCheckpoint({ origin, size: tree.size, rootHash: tree.root() }, [signer]);
}

async function request(tree: MemoryTree, oldSize: number, options: { signer?: NoteSigner; origin?: string } = {}): Promise<string> {
  const proof = await generateConsistencyProof(tree, oldSize, tree.size);
  return formatAddCheckpointRequest({ oldSize, proof, checkpointNote: note(tree, options.signer, options.origin) });
}

describe('townhall-witness add-checkpoint (C2SP tlog-witness)', () => {
  const dirs: string[] = [];
  let stateDir: string;
  let witness: RunningWitness;
  const start = () => startWitness({ stateDir, name: 'test-witness', logs: [{ origin: ORIGIN, verifierKey: formatVerifierKey(logSigner) }] });
  const post = (body: string) => fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body });
  const storedSize = () => {
    const files = readdirSync(join(stateDir, 'logs')).filter((f) => f.endsWith('.json'));
    return files.length === 0 ? null : (JSON.parse(readFileSync(join(stateDir, 'logs', files[0]!), 'utf8')) as { size: string }).size;
  };

  beforeEach(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'townhall-witness-'));
    dirs.push(stateDir);
    witness = await start();
  });
  afterEach(async () => {
    await witness.close();
  });
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('cosigns a first checkpoint from size 0 with a cosignature/v1 that verifies under its key', async () => {
    const tree = makeTree(5);
    const response = await post(await request(tree, 0));
    expect(response.status).toBe(200);
    const lines = await response.text();
    const cosigned = `${note(tree)}${lines}`;
    const opened = openCheckpoint(cosigned, [parseVerifierKey(formatVerifierKey(logSigner)), parseVerifierKey(witness.verifierKey)], { origin: ORIGIN });
    expect(opened.verified.map((s) => s.name)).toEqual([ORIGIN, 'test-witness']);
    expect(storedSize()).toBe('5');
  });

  it('answers 409 with its size (text/x.tlog.size) when the old size is not the one it cosigned', async () => {
    expect((await post(await request(makeTree(5), 0))).status).toBe(200);
    const response = await post(await request(makeTree(9), 3));
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe(TLOG_SIZE_CONTENT_TYPE);
    expect(await response.text()).toBe('5\n');
  });

  it('refuses a checkpoint that rewrites history (422, or 409 for another root at the same size) and persists nothing', async () => {
    expect((await post(await request(makeTree(5), 0))).status).toBe(200);
    const before = readFileSync(join(stateDir, 'logs', readdirSync(join(stateDir, 'logs'))[0]!), 'utf8');
    // A fork from leaf 3, grown to 8, with the fork's own consistency proof from 5.
    const forked = await post(await request(makeTree(8, { at: 3 }), 5));
    expect(forked.status).toBe(422);
    // Another root for the very size it cosigned.
    const sameSize = await post(await request(makeTree(5, { at: 4 }), 5));
    expect(sameSize.status).toBe(409);
    expect(await sameSize.text()).toBe('5\n');
    expect(readFileSync(join(stateDir, 'logs', readdirSync(join(stateDir, 'logs'))[0]!), 'utf8')).toBe(before);
    // The honest extension is still accepted.
    expect((await post(await request(makeTree(8), 5))).status).toBe(200);
    expect(storedSize()).toBe('8');
  });

  it('answers 404 for an unknown origin, 403 for a checkpoint not signed by the log key, 400 for a malformed body', async () => {
    const other = createSigner('other.example/log', SIGNATURE_TYPE_ED25519, new Uint8Array(32).fill(7));
    expect((await post(await request(makeTree(2), 0, { signer: other, origin: 'other.example/log' }))).status).toBe(404);
    expect((await post(await request(makeTree(2), 0, { signer: impostor }))).status).toBe(403);
    expect((await post('old x\n\nnot a note')).status).toBe(400);
    expect((await post(formatAddCheckpointRequest({ oldSize: 7, proof: [], checkpointNote: note(makeTree(5)) }))).status).toBe(400);
    expect((await fetch(`${witness.url}/add-checkpoint`)).status).toBe(405);
    expect(storedSize()).toBeNull();
  });

  it('keeps its state and its key across a restart', async () => {
    expect((await post(await request(makeTree(6), 0))).status).toBe(200);
    const key = witness.verifierKey;
    await witness.close();
    witness = await start();
    expect(witness.verifierKey).toBe(key);
    const stale = await post(await request(makeTree(6), 0));
    expect(stale.status).toBe(409);
    expect(await stale.text()).toBe('6\n');
    expect((await post(await request(makeTree(10), 6))).status).toBe(200);
  });

  it('lets exactly one of two concurrent add-checkpoints from the same old size succeed', async () => {
    expect((await post(await request(makeTree(4), 0))).status).toBe(200);
    let size = 4;
    for (let round = 0; round < 10; round++) {
      const [a, b] = [makeTree(size + 1), makeTree(size + 2)];
      const statuses = (await Promise.all([post(await request(a, size)), post(await request(b, size))])).map((r) => r.status);
      expect(statuses.sort()).toEqual([200, 409]);
      size = Number(storedSize());
      expect([a.size, b.size].map(Number)).toContain(size);
    }
  });
});
