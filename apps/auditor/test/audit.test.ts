import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GENESIS_PREVIOUS_HASH,
  MemoryTree,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  addSignatures,
  cosignCheckpoint,
  createSigner,
  encodeEntry,
  encodeEntryBundle,
  encodeHex,
  entryLeafHash,
  formatVerifierKey,
  generateConsistencyProof,
  parseTilePath,
  signCheckpoint,
} from '@townhall/ledger';
import { AuditFailure, audit } from '../src/index.ts';

const ORIGIN = 'council.example/townhall/registry';
const logKey = createSigner(ORIGIN, SIGNATURE_TYPE_ED25519, new Uint8Array(32).fill(1));
const witnessKey = createSigner('witness.example', SIGNATURE_TYPE_COSIGNATURE_V1, new Uint8Array(32).fill(2));

/** An in-memory log served with the same paths as /api/ledger/<log>. */
class FakeLog {
  entries: Uint8Array[] = [];
  tree = new MemoryTree();
  isCosigned = true;

  append(bodies: string[]): void {
    for (const tag of bodies) {
      const previousHash = this.entries.length === 0 ? GENESIS_PREVIOUS_HASH : entryLeafHash(this.entries[this.entries.length - 1]!);
      const entry = encodeEntry({ type: 'Enrolled', previousHash, body: { tag } });
      this.entries.push(entry);
      this.tree.appendEntry(entry);
    }
  }

  checkpoint(): string {
    const note = signCheckpoint({ origin: ORIGIN, size: this.tree.size, rootHash: this.tree.root() }, [logKey]);
    return this.isCosigned ? addSignatures(note, [cosignCheckpoint(note, witnessKey, 1_800_000_000n)]) : note;
  }

  async handle(path: string): Promise<{ status: number; body: string | Uint8Array }> {
    if (path === '/keys') return { status: 200, body: JSON.stringify({ log: formatVerifierKey(logKey), witnessPolicy: { quorum: 1, witnesses: [{ verifierKey: formatVerifierKey(witnessKey) }] } }) };
    if (path === '/checkpoint') return { status: 200, body: this.checkpoint() };
    const consistency = /^\/proof\/consistency\?from=(\d+)&to=(\d+)$/.exec(path);
    if (consistency) {
      const proof = await generateConsistencyProof(this.tree, BigInt(consistency[1]!), BigInt(consistency[2]!));
      return { status: 200, body: JSON.stringify({ proof: proof.map(encodeHex) }) };
    }
    const tile = parseTilePath(path.slice(1));
    if (tile?.kind === 'entries') {
      const start = Number(tile.index) * 256;
      return { status: 200, body: encodeEntryBundle(this.entries.slice(start, start + tile.width)) };
    }
    return { status: 404, body: 'not found' };
  }
}

describe('audit', () => {
  let server: Server;
  let log: FakeLog;
  let baseUrl: string;
  const dirs: string[] = [];
  const stateDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'townhall-auditor-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      void log.handle(request.url!).then(({ status, body }) => response.writeHead(status).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('mirrors a healthy log across bundle boundaries, then only what is new', async () => {
    log = new FakeLog();
    log.append(Array.from({ length: 300 }, (_, i) => `a${i}`));
    const state = stateDir();
    expect(await audit({ baseUrl, stateDir: state })).toMatchObject({ size: 300n, newEntries: 300, cosigners: ['witness.example+' + witnessKey.keyId.toString(16).padStart(8, '0')] });
    log.append(['b0', 'b1', 'b2']);
    expect(await audit({ baseUrl, stateDir: state })).toMatchObject({ size: 303n, previousSize: 300n, newEntries: 3 });
  });

  it('refuses a checkpoint that is not cosigned by the pinned witnesses', async () => {
    log = new FakeLog();
    log.append(['x']);
    log.isCosigned = false;
    await expect(audit({ baseUrl, stateDir: stateDir() })).rejects.toMatchObject({ kind: 'WITNESS_POLICY' });
  });

  it('reports a rewritten history with both checkpoints as evidence', async () => {
    log = new FakeLog();
    log.append(Array.from({ length: 10 }, (_, i) => `a${i}`));
    const state = stateDir();
    await audit({ baseUrl, stateDir: state });
    const seen = log.checkpoint();
    const fork = new FakeLog();
    fork.append([...Array.from({ length: 6 }, (_, i) => `a${i}`), ...Array.from({ length: 8 }, (_, i) => `forged${i}`)]);
    log = fork;
    const failure = (await audit({ baseUrl, stateDir: state }).catch((error: unknown) => error)) as AuditFailure;
    expect(failure).toBeInstanceOf(AuditFailure);
    expect(failure.kind).toBe('INCONSISTENT');
    expect(failure.evidence.previousCheckpoint).toBe(seen);
    expect(failure.evidence.checkpoint).toBe(fork.checkpoint());
  });

  it('reports a log that shrank', async () => {
    log = new FakeLog();
    log.append(['a', 'b', 'c']);
    const state = stateDir();
    await audit({ baseUrl, stateDir: state });
    log = new FakeLog();
    log.append(['a', 'b']);
    await expect(audit({ baseUrl, stateDir: state })).rejects.toMatchObject({ kind: 'INCONSISTENT' });
  });
});
