import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  decodeEntryBundle,
  decodeHex,
  encodeHex,
  generateConsistencyProof,
  generateInclusionProof,
  openCheckpoint,
  parseVerifierKey,
  verifyReceipt,
} from '@townhall/ledger';
import { startWitness, type RunningWitness } from '@townhall/witness';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { dialects } from './support/test-database.ts';
import { startTestApp } from './support/test-app.ts';
import { TEST_HOST, ledgerEnv, testLogVerifierKey, waitFor } from './ledger-support.ts';

describe.each(dialects)('a witnessed log on %s', (dialect) => {
  const dirs = [mkdtempSync(join(tmpdir(), 'townhall-w1-')), mkdtempSync(join(tmpdir(), 'townhall-w2-'))];
  const logs = [{ origin: `${TEST_HOST}/townhall/*`, verifierKey: testLogVerifierKey() }];
  let witness1: RunningWitness;
  let witness2: RunningWitness | undefined;
  let witness2Port: number;
  let running: Awaited<ReturnType<typeof startTestApp>>;
  let ledger: LedgerService;
  const api = (path: string) => fetch(`${running.baseUrl}/api/ledger/registry${path}`);

  beforeAll(async () => {
    witness1 = await startWitness({ stateDir: dirs[0]!, name: 'witness-one', logs });
    // Witness 2 exists (its key and port are configured) but is down when the API starts.
    const probe = await startWitness({ stateDir: dirs[1]!, name: 'witness-two', logs });
    witness2Port = probe.port;
    const witness2Key = probe.verifierKey;
    await probe.close();
    running = await startTestApp(dialect, {
      env: ledgerEnv({
        TOWNHALL_WITNESSES: `${witness1.verifierKey}@${witness1.url}, ${witness2Key}@http://127.0.0.1:${witness2Port}`,
        TOWNHALL_WITNESS_QUORUM: '2',
      }),
    });
    ledger = running.app.get(LedgerService);
  });
  afterAll(async () => {
    await running?.destroy();
    await witness1?.close();
    await witness2?.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('does not publish while only one of two required witnesses cosigned, and publishes once the second is back', async () => {
    await Promise.all(Array.from({ length: 300 }, (_, i) => ledger.append(REGISTRY_LOG, async () => ({ entries: [{ type: 'Enrolled', body: { i } }], result: i }))));
    const size = (await ledger.getLog(REGISTRY_LOG)).size;
    expect(size).toBe(301n);
    // Witness 1 cosigns the latest checkpoint; with witness 2 down, quorum 2 is not met.
    await waitFor(async () => {
      const latest = await running.database.prisma.ledgerCheckpoint.findFirst({ orderBy: { size: 'desc' }, include: { cosignatures: true } });
      return latest?.size === size && latest.cosignatures.length === 1;
    }, 'witness 1 to cosign');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await api('/checkpoint')).status).toBe(503);
    expect(await running.database.prisma.ledgerCheckpoint.count({ where: { publishedAt: { not: null } } })).toBe(0);

    witness2 = await startWitness({ stateDir: dirs[1]!, name: 'witness-two', logs, port: witness2Port });
    const note = await waitFor(async () => {
      const response = await api('/checkpoint');
      return response.status === 200 ? response.text() : undefined;
    }, 'the checkpoint to be published', 20_000);
    const opened = openCheckpoint(note, [parseVerifierKey(ledger.verifierKey(`${TEST_HOST}/townhall/registry`)), parseVerifierKey(witness1.verifierKey), parseVerifierKey(witness2.verifierKey)]);
    expect(opened.checkpoint.size).toBe(size);
    expect(opened.verified.map((s) => s.name).sort()).toEqual([`${TEST_HOST}/townhall/registry`, 'witness-one', 'witness-two']);
    const summary = (await (await api('')).json()) as { published: { size: string }; witnessPolicy: { quorum: number; isEnforced: boolean } };
    expect(summary.published.size).toBe('301');
    expect(summary.witnessPolicy).toMatchObject({ quorum: 2, isEnforced: true });
  });

  it('serves receipts that verify offline, proofs that agree with a local recomputation, and tiles with the right bytes', async () => {
    const entries = await running.database.prisma.ledgerEntry.findMany({ where: { log: { name: REGISTRY_LOG } }, orderBy: { index: 'asc' } });
    const local = new MemoryTree();
    for (const e of entries) local.appendEntry(e.bytes);
    const keys = (await (await api('/keys')).json()) as { origin: string; log: string; witnessPolicy: { quorum: number; witnesses: { verifierKey: string }[] } };
    const policy = { witnesses: keys.witnessPolicy.witnesses.map((w) => parseVerifierKey(w.verifierKey)), threshold: keys.witnessPolicy.quorum };

    for (const index of [0, 1, 150, 255, 256, 300]) {
      const receipt = await (await api(`/receipt/${index}`)).text();
      const verified = verifyReceipt(receipt, { origin: keys.origin, logKeys: [parseVerifierKey(keys.log)], policy });
      expect(verified.index).toBe(BigInt(index));
      expect(encodeHex(verified.leafHash)).toBe(encodeHex(entries[index]!.leafHash));
      expect(() => verifyReceipt(receipt, { origin: keys.origin, logKeys: [parseVerifierKey(keys.log)], policy, entry: entries[(index + 1) % entries.length]!.bytes })).toThrow(/ROOT_MISMATCH/);

      const byIndex = (await (await api(`/proof/inclusion?index=${index}&size=301`)).json()) as { proof: string[] };
      expect(byIndex.proof).toEqual((await generateInclusionProof(local, index, 301)).map(encodeHex));
      const byHash = (await (await api(`/proof/inclusion?leafHash=${encodeHex(entries[index]!.leafHash)}&size=200`)).json()) as { index: string; proof: string[] };
      if (index < 200) expect(byHash).toMatchObject({ index: String(index), proof: (await generateInclusionProof(local, index, 200)).map(encodeHex) });
    }
    for (const [from, to] of [[1, 301], [17, 256], [256, 300], [100, 100]] as const) {
      const body = (await (await api(`/proof/consistency?from=${from}&to=${to}`)).json()) as { proof: string[] };
      expect(body.proof).toEqual((await generateConsistencyProof(local, from, to)).map(encodeHex));
    }
    expect((await api('/proof/consistency?from=5&to=4000')).status).toBe(400);
    // Sizes beyond the log are refused even when the proof would read no node (it used to be 200 []).
    for (const [from, to] of [[4000, 4000], [0, 4000], [0, 302], [302, 302]] as const) {
      const refused = await api(`/proof/consistency?from=${from}&to=${to}`);
      expect(refused.status, `${from}..${to}`).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    }

    const tile00 = await api('/tile/0/000');
    expect(tile00.headers.get('cache-control')).toContain('immutable');
    expect(encodeHex(new Uint8Array(await tile00.arrayBuffer()))).toBe(entries.slice(0, 256).map((e) => encodeHex(e.leafHash)).join(''));
    const partial = new Uint8Array(await (await api('/tile/0/001.p/45')).arrayBuffer());
    expect(encodeHex(partial)).toBe(entries.slice(256, 301).map((e) => encodeHex(e.leafHash)).join(''));
    const level1 = new Uint8Array(await (await api('/tile/1/000.p/1')).arrayBuffer());
    expect(encodeHex(level1)).toBe(encodeHex(local.getNodeHashes([{ level: 8, index: 0n }])[0]!));
    const bundle = decodeEntryBundle(new Uint8Array(await (await api('/tile/entries/001.p/45')).arrayBuffer()));
    expect(bundle.map(encodeHex)).toEqual(entries.slice(256).map((e) => encodeHex(e.bytes)));
    expect((await api('/tile/0/001.p/46')).status).toBe(404);
    expect((await api('/tile/0/01')).status).toBe(404);

    const page = (await (await api('/entries?start=299&end=400')).json()) as { entries: { index: string; bytes: string; leafHash: string }[] };
    expect(page.entries.map((e) => e.index)).toEqual(['299', '300']);
    expect(decodeHex(page.entries[1]!.leafHash)).toEqual(entries[300]!.leafHash);
  });

  it('documents the ledger routes in OpenAPI', async () => {
    const document = (await (await fetch(`${running.baseUrl}/api/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/ledger/{log}/checkpoint', '/api/ledger/{log}/receipt/{index}', '/api/ledger/{log}/proof/inclusion']),
    );
  });
});
