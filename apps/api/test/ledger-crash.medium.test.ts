import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { computeRoot, computeRootFromSource, encodeHex, verifyChain } from '@townhall/ledger';
import { loadConfig } from '../src/config/config.ts';
import { logger } from '../src/common/logger.ts';
import { openDatabase } from '../src/database/database.ts';
import { LedgerRepository } from '../src/ledger/ledger.repository.ts';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.service.ts';
import { killAfterAcks } from './support/kill-after-acks.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { TEST_LOG_SEED_BASE64 } from './ledger-support.ts';

const child = fileURLToPath(new URL('./ledger-crash-child.ts', import.meta.url));

/** Runs the child until it has acknowledged `acks` appends, then SIGKILLs it (no shutdown hooks run). */
async function runAndKill(url: string, acks: number): Promise<{ index: bigint; leafHash: string; row: string }[]> {
  const env = { DATABASE_URL: url, TOWNHALL_LOG_SIGNING_KEY: TEST_LOG_SEED_BASE64, TOWNHALL_PUBLIC_URL: 'http://townhall.test' };
  const lines = await killAfterAcks(child, { env, acks, ackLine: /^ack \d+ [0-9a-f]{64} \S+$/ });
  return lines.map(([index, leafHash, row]) => ({ index: BigInt(index!), leafHash: leafHash!, row: row! }));
}

describe('killing an appending process (postgres)', () => {
  let testDatabase: TestDatabase;
  afterAll(async () => {
    await testDatabase?.drop();
  });

  it('loses no acknowledged entry and leaves no partial one', async () => {
    testDatabase = await createTestDatabase('postgres');
    const url = (testDatabase.config as { url: string }).url;
    const acknowledged: { index: bigint; leafHash: string; row: string }[] = [];
    for (let round = 0; round < 2; round++) acknowledged.push(...(await runAndKill(url, 50 + Math.floor(Math.random() * 400))));
    expect(acknowledged.length).toBeGreaterThan(100);

    // Restart: a new process opens the same database and appends again.
    const config = { ...loadConfig({ TOWNHALL_LOG_LEVEL: 'silent', TOWNHALL_LOG_SIGNING_KEY: TEST_LOG_SEED_BASE64, TOWNHALL_PUBLIC_URL: 'http://townhall.test' }), database: testDatabase.config };
    logger.level = 'silent';
    const database = await openDatabase(config);
    const ledger = new LedgerService(new LedgerRepository(database), config);
    try {
      await ledger.onModuleInit();
      const after = await ledger.append(REGISTRY_LOG, async () => ({ entries: [{ type: 'Enrolled', body: { row: 'after-restart' } }], result: null }));

      const entries = await database.prisma.ledgerEntry.findMany({ orderBy: { index: 'asc' } });
      const log = await ledger.getLog(REGISTRY_LOG);
      expect(after.appended[0]!.index).toBe(log.size - 1n);
      expect(entries.map((e) => e.index)).toEqual(Array.from({ length: Number(log.size) }, (_, i) => BigInt(i)));
      for (const ack of acknowledged) expect(encodeHex(entries[Number(ack.index)]!.leafHash)).toBe(ack.leafHash);

      const chain = verifyChain(entries.map((e) => e.bytes));
      expect(encodeHex(computeRoot(chain.leafHashes))).toBe(encodeHex(log.rootHash));
      // The stored nodes (what proofs are made from) agree with the entries too.
      const repository = new LedgerRepository(database);
      const logId = (await repository.findLogByName(REGISTRY_LOG))!.id;
      const source = { getNodeHashes: async (nodes: readonly { level: number; index: bigint }[]) => (await repository.nodeHashes(logId, nodes)).map((h) => h!) };
      expect(encodeHex(await computeRootFromSource(source, log.size))).toBe(encodeHex(log.rootHash));
      // Every entry has its index row and every index row its entry: nothing half-written.
      const rows = (await database.prisma.deploymentSecret.findMany({ where: { name: { startsWith: 'crash-' } } })).map((r) => r.name).sort();
      const logged = chain.entries.filter((e) => e.type === 'Enrolled' && e.body.row !== 'after-restart').map((e) => String(e.body.row)).sort();
      expect(logged).toEqual(rows);
      for (const ack of acknowledged) expect(rows).toContain(ack.row);
    } finally {
      await ledger.onModuleDestroy();
      await database.close();
    }
  }, 120_000);
});
