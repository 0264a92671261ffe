import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config/config.ts';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { startTestApp } from './support/test-app.ts';
import { ledgerEnv, waitFor } from './ledger-support.ts';

const cli = resolve(repoRoot, 'apps/auditor/src/cli.ts');

/** Runs `townhall-audit` as a user would, in its own process. */
async function runAuditor(baseUrl: string, stateDir: string) {
  // Asynchronous: a synchronous spawn would block the event loop that serves the API under test.
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, baseUrl, '--state', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}

describe('townhall-audit against the API (postgres)', () => {
  let running: Awaited<ReturnType<typeof startTestApp>>;
  let ledger: LedgerService;
  const dirs: string[] = [];
  const stateDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'townhall-audit-'));
    dirs.push(dir);
    return dir;
  };
  const logUrl = () => `${running.baseUrl}/api/ledger/registry`;

  const appendMany = (count: number, tag: string) =>
    Promise.all(Array.from({ length: count }, (_, i) => ledger.append(REGISTRY_LOG, async () => ({ entries: [{ type: 'Enrolled', body: { tag, i } }], result: i }))));
  const published = (size: bigint) =>
    waitFor(async () => (await running.database.prisma.ledgerCheckpoint.findFirst({ where: { size, publishedAt: { not: null } } })) ?? undefined, `a published checkpoint of size ${size}`);

  beforeAll(async () => {
    running = await startTestApp('postgres', { env: ledgerEnv() });
    ledger = running.app.get(LedgerService);
  });
  afterAll(async () => {
    await running?.destroy();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('is green on a healthy log, first run and incremental run', async () => {
    await appendMany(300, 'a');
    await published(301n);
    const state = stateDir();
    const first = await runAuditor(logUrl(), state);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('size 301 (was 0; 301 new entries mirrored and chained)');
    await appendMany(20, 'b');
    await published(321n);
    const second = await runAuditor(logUrl(), state);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('size 321 (was 301; 20 new entries mirrored and chained)');
  });

  it('fails with evidence when the log presents a checkpoint inconsistent with one it saw before', async () => {
    const state = stateDir();
    expect((await runAuditor(logUrl(), state)).status).toBe(0); // sees size 321
    const logId = (await running.database.prisma.ledgerLog.findUniqueOrThrow({ where: { name: REGISTRY_LOG } })).id;
    // A compromised database rolls the log back to its checkpoint at 301 and writes another history.
    const base = await running.database.prisma.ledgerCheckpoint.findUniqueOrThrow({ where: { logId_size: { logId, size: 301n } } });
    const lastKept = await running.database.prisma.ledgerEntry.findUniqueOrThrow({ where: { logId_index: { logId, index: 300n } } });
    await running.database.sql.transaction(async (tx) => {
      await tx.query('DELETE FROM ledger_checkpoint WHERE log_id = $1 AND size > 301', [logId]);
      await tx.query('DELETE FROM ledger_entry WHERE log_id = $1 AND index >= 301', [logId]);
      await tx.query('DELETE FROM ledger_node WHERE log_id = $1 AND (index + 1) * (1::bigint << level) > 301', [logId]);
      await tx.query('UPDATE ledger_log SET size = 301, root_hash = $2, head_hash = $3 WHERE id = $1', [logId, Buffer.from(base.rootHash), Buffer.from(lastKept.leafHash)]);
    });
    await appendMany(25, 'forged');
    await published(326n);
    const result = await runAuditor(logUrl(), state);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AUDIT FAILED (INCONSISTENT)');
    const evidence = JSON.parse(result.stderr.slice(result.stderr.indexOf('{'))) as { evidence: { previousCheckpoint: string; checkpoint: string } };
    expect(evidence.evidence.previousCheckpoint).toContain('\n321\n');
    expect(evidence.evidence.checkpoint).toContain('\n326\n');
    expect(readdirSync(state).some((f) => f.startsWith('evidence-'))).toBe(true);
  });

  it('fails with evidence when an entry row is edited in the database', async () => {
    const logId = (await running.database.prisma.ledgerLog.findUniqueOrThrow({ where: { name: REGISTRY_LOG } })).id;
    await running.database.sql.query(
      // Still a well-formed, canonical entry: only the tag's letter changes ({"i":…,"tag":"a"} → "x").
      "UPDATE ledger_entry SET bytes = overlay(bytes placing 'x'::bytea from length(bytes) - 2) WHERE log_id = $1 AND index = 8",
      [logId],
    );
    const result = await runAuditor(logUrl(), stateDir());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AUDIT FAILED (CHAIN)');
    expect(result.stderr).toContain('"index": "9"');
  });
});
