import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { computeRoot, encodeHex, verifyChain, decodeEntry } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { LedgerRepository } from '../src/ledger/ledger.repository.ts';
import { dialects } from './support/test-database.ts';
import { startTestApp } from './support/test-app.ts';

describe.each(dialects)('ledger appends on %s', (dialect) => {
  let running: Awaited<ReturnType<typeof startTestApp>>;
  let ledger: LedgerService;

  beforeAll(async () => {
    running = await startTestApp(dialect, { env: { TOWNHALL_SEED_DEMO: 'false', TOWNHALL_LOCAL_WITNESSES: 'false' } });
    ledger = running.app.get(LedgerService);
  });
  afterAll(async () => {
    await running?.destroy();
  });

  const storedEntries = async () =>
    running.database.prisma.ledgerEntry.findMany({ where: { log: { name: REGISTRY_LOG } }, orderBy: { index: 'asc' } });

  it('says loudly in its answers that no witness vouches for the log', async () => {
    const body = (await (await fetch(`${running.baseUrl}/api/ledger/registry`)).json()) as { witnessPolicy: { isEnforced: boolean; warning?: string } };
    expect(body.witnessPolicy.isEnforced).toBe(false);
    expect(body.witnessPolicy.warning).toMatch(/No witnesses are configured/);
  });

  it('starts the registry log with a LogCreated entry', async () => {
    const entries = await storedEntries();
    expect(entries).toHaveLength(1);
    expect(decodeEntry(entries[0]!.bytes)).toMatchObject({ type: 'LogCreated', body: { kind: 'registry', origin: expect.stringMatching(/\/townhall\/registry$/) } });
  });

  it('gives 200 concurrent appends consecutive indices, a valid chain and the recomputed root; a failing work rejects only its caller', async () => {
    const before = (await ledger.getLog(REGISTRY_LOG)).size;
    const prisma = running.database.prisma;
    await prisma.deploymentSecret.create({ data: { name: 'taken', value: new Uint8Array([1]) } });
    const attempts = Array.from({ length: 200 }, (_, i) =>
      ledger.append(REGISTRY_LOG, async (tx) => {
        await tx.deploymentSecret.create({ data: { name: `row-${i}`, value: new Uint8Array([i & 0xff]) } });
        if (i === 100) throw new Error('work 100 fails after writing its row');
        // A failing SQL statement aborts the transaction until its savepoint is rolled back.
        if (i === 150) await tx.deploymentSecret.create({ data: { name: 'taken', value: new Uint8Array([2]) } });
        return { entries: [{ type: 'RollCommitted' as const, body: { n: i } }], result: i };
      }),
    );
    const settled = await Promise.allSettled(attempts);
    const rejected = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []));
    expect(rejected).toEqual([100, 150]);
    const fulfilled = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expect(fulfilled.map((f) => f.result)).toEqual(Array.from({ length: 200 }, (_, i) => i).filter((i) => i !== 100 && i !== 150));
    const indices = fulfilled.map((f) => f.appended[0]!.index).sort((a, b) => (a < b ? -1 : 1));
    expect(indices).toEqual(Array.from({ length: 198 }, (_, i) => before + BigInt(i)));

    const rows = await prisma.deploymentSecret.findMany({ where: { name: { startsWith: 'row-' } } });
    expect(rows.map((r) => r.name).sort()).toEqual(fulfilled.map((f) => `row-${f.result}`).sort());

    const entries = await storedEntries();
    expect(entries.map((e) => e.index)).toEqual(Array.from({ length: entries.length }, (_, i) => BigInt(i)));
    const chain = verifyChain(entries.map((e) => e.bytes));
    expect(chain.entries.filter((e) => e.type === 'RollCommitted').map((e) => e.body.n).sort((a, b) => Number(a) - Number(b))).toEqual(
      fulfilled.map((f) => f.result),
    );
    for (const f of fulfilled) {
      const entry = entries[Number(f.appended[0]!.index)]!;
      expect(encodeHex(entry.leafHash)).toBe(f.appended[0]!.leafHash);
      expect(decodeEntry(entry.bytes).body).toEqual({ n: f.result });
    }
    const log = await ledger.getLog(REGISTRY_LOG);
    expect(log.size).toBe(BigInt(entries.length));
    expect(encodeHex(computeRoot(chain.leafHashes))).toBe(encodeHex(log.rootHash));
  });

  it('takes no savepoint while every caller of a batch succeeds; after a failure it runs the batch again with savepoints', async () => {
    const repository = running.app.get(LedgerRepository);
    const savepoint = vi.spyOn(repository, 'savepoint');
    const prisma = running.database.prisma;
    const appendAll = (prefix: string, failing: number | undefined, runs: number[]) =>
      Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          ledger.append(REGISTRY_LOG, async (tx) => {
            runs[i] = (runs[i] ?? 0) + 1;
            await tx.deploymentSecret.create({ data: { name: `${prefix}-${i}`, value: new Uint8Array([i]) } });
            if (i === failing) throw new Error(`work ${i} fails after writing its row`);
            return { entries: [{ type: 'RollCommitted' as const, body: { prefix, n: i } }], result: i };
          }),
        ),
      );
    try {
      const quietRuns: number[] = [];
      const quiet = await appendAll('quiet', undefined, quietRuns);
      expect(quiet.every((s) => s.status === 'fulfilled')).toBe(true);
      expect(savepoint).not.toHaveBeenCalled();
      expect(quietRuns).toEqual(Array.from({ length: 20 }, () => 1));

      const failingRuns: number[] = [];
      const failing = await appendAll('failing', 7, failingRuns);
      expect(failing.flatMap((s, i) => (s.status === 'rejected' ? [i] : []))).toEqual([7]);
      expect(savepoint).toHaveBeenCalled();
      // The first try was rolled back whole: each work ran at most twice, and its row is there once.
      expect(failingRuns.every((n) => n === 1 || n === 2)).toBe(true);
      const rows = await prisma.deploymentSecret.findMany({ where: { name: { startsWith: 'failing-' } } });
      expect(rows.map((r) => r.name).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `failing-${i}`).filter((n) => n !== 'failing-7').sort());
      const entries = (await storedEntries()).map((e) => decodeEntry(e.bytes).body).filter((b) => b.prefix === 'failing');
      expect(entries.map((b) => b.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 7));
    } finally {
      savepoint.mockRestore();
    }
  });

  it('rejects an entry that cannot be encoded, writing nothing of that caller', async () => {
    const before = (await ledger.getLog(REGISTRY_LOG)).size;
    await expect(
      ledger.append(REGISTRY_LOG, async (tx) => {
        await tx.deploymentSecret.create({ data: { name: 'too-big', value: new Uint8Array([1]) } });
        return { entries: [{ type: 'RollCommitted', body: { padding: 'x'.repeat(70_000) } }], result: null };
      }),
    ).rejects.toThrow(/ENTRY_TOO_LARGE/);
    expect(await running.database.prisma.deploymentSecret.findUnique({ where: { name: 'too-big' } })).toBeNull();
    expect((await ledger.getLog(REGISTRY_LOG)).size).toBe(before);
  });

  it('appends several entries of one caller in order, and refuses an unknown log', async () => {
    const outcome = await ledger.append(REGISTRY_LOG, async () => ({
      entries: [
        { type: 'Enrolled', body: { k: 1 } },
        { type: 'Enrolled', body: { k: 2 } },
      ],
      result: 'ok',
    }));
    expect(outcome.appended[1]!.index).toBe(outcome.appended[0]!.index + 1n);
    await expect(ledger.append('no-such-log', async () => ({ entries: [], result: null }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('two API processes appending to one log (postgres)', () => {
  it('stay in one order: consecutive indices, one chain, one root', async () => {
    const running = await startTestApp('postgres', { env: { TOWNHALL_SEED_DEMO: 'false', TOWNHALL_LOCAL_WITNESSES: 'false', TOWNHALL_LOG_LEVEL: 'silent' } });
    // A second process: its own connection pool, its own sequencer and cached frontier.
    const { openDatabase } = await import('../src/database/database.ts');
    const { LedgerRepository } = await import('../src/ledger/ledger.repository.ts');
    const otherDatabase = await openDatabase(running.config);
    const other = new LedgerService(new LedgerRepository(otherDatabase), running.config);
    try {
      await other.onModuleInit();
      const ledger = running.app.get(LedgerService);
      const election = await ledger.createElectionLog('demo-2026');
      expect(election.origin).toBe(`${new URL(running.config.publicUrl).host}/townhall/election/demo-2026`);
      expect((await other.createElectionLog('demo-2026')).size).toBe(1n); // idempotent: one LogCreated
      const name = 'election-demo-2026';
      const outcomes = await Promise.all(
        Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? ledger : other).append(name, async () => ({ entries: [{ type: 'BallotCast', body: { i } }], result: i }))),
      );
      const indices = outcomes.map((o) => o.appended[0]!.index).sort((a, b) => (a < b ? -1 : 1));
      expect(indices).toEqual(Array.from({ length: 120 }, (_, i) => BigInt(i + 1)));
      const entries = await running.database.prisma.ledgerEntry.findMany({ where: { log: { name } }, orderBy: { index: 'asc' } });
      const chain = verifyChain(entries.map((e) => e.bytes));
      expect(encodeHex(computeRoot(chain.leafHashes))).toBe(encodeHex((await ledger.getLog(name)).rootHash));
    } finally {
      await other.onModuleDestroy();
      await otherDatabase.close();
      await running.destroy();
    }
  });
});
