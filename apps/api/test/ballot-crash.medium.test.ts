/**
 * Killing the API while it casts ballots (SIGKILL: no shutdown hook runs) loses no acknowledged
 * ballot and leaves no ballot row that disagrees with the ledger: each cast_ballot row is written
 * with its entry's index inside the append's own transaction (AppendPosition), so there is no moment
 * after the commit when the entry exists and its row does not know it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BallotStatus, CastBallotResponse, toHexString } from '@townhall/protocol';
import { decodeEntry, encodeHex, parseVerifierKey, verifyReceipt } from '@townhall/ledger';
import { logger } from '../src/common/logger.ts';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import { startTestApp } from './support/test-app.ts';
import { killAfterAcks } from './support/kill-after-acks.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { obtainCredential, prepareBallot } from '@townhall/client-flows';
import { PUBLIC_URL } from './identity-support/flows.ts';
import { enrolResidents, openElectionWithOneTrustee } from './election-fixture.ts';

const child = fileURLToPath(new URL('./ballot-crash-child.ts', import.meta.url));
const VOTERS = 8;
const BALLOTS_PER_VOTER = 12;
const env = { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000', TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' };

interface Ack {
  trackingCode: string;
  ledgerIndex: bigint;
  leafHash: string;
}

/** Runs the child until it has acknowledged `acks` ballots, then SIGKILLs it. */
async function castAndKill(url: string, ballotsFile: string, acks: number): Promise<Ack[]> {
  const lines = await killAfterAcks(child, { env: { DATABASE_URL: url, BALLOTS_FILE: ballotsFile }, acks, ackLine: /^ack [0-9a-f]{64} \d+ [0-9a-f]{64}$/ });
  return lines.map(([trackingCode, index, leafHash]) => ({ trackingCode: trackingCode!, ledgerIndex: BigInt(index!), leafHash: leafHash! }));
}

describe('killing the API while it casts ballots (postgres)', () => {
  let testDatabase: TestDatabase | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'townhall-ballot-crash-'));
  afterAll(async () => {
    await testDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged ballot, with rows that agree with the ledger and receipts that verify after a restart', async () => {
    logger.level = 'silent';
    testDatabase = await createTestDatabase('postgres');
    const url = (testDatabase.config as { url: string }).url;

    // Set up: an open election, residents with credentials, ballots prepared (several per voter: re-votes).
    let app = await startTestApp('postgres', { env, testDatabase });
    const { election } = await openElectionWithOneTrustee(app);
    const voters = [];
    for (const resident of await enrolResidents(app, VOTERS, 'CRASH')) voters.push(await obtainCredential(resident.client, resident.authenticator, election.id));
    await app.stop();
    const options = ['ada', 'grace', 'alan', 'barbara', 'edsger'];
    const prepared = voters.flatMap((voter, v) => Array.from({ length: BALLOTS_PER_VOTER }, (_, b) => prepareBallot(election, voter, { mayor: [options[(v + b) % 5]!] })));
    const half = prepared.length / 2;
    const write = (name: string, ballots: typeof prepared) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify({ electionId: election.id, ballots: ballots.map((p) => JSON.stringify(p.request)) }));
      return file;
    };
    // The second run sends some ballots of the first again (answered as already cast) and new ones.
    const first = write('first.json', prepared.slice(0, half));
    const second = write('second.json', prepared.slice(half / 2));

    const acknowledged: Ack[] = [];
    acknowledged.push(...(await castAndKill(url, first, 10 + Math.floor(Math.random() * (half / 2)))));
    acknowledged.push(...(await castAndKill(url, second, 10 + Math.floor(Math.random() * (half / 2)))));
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    // Restart on the same database.
    app = await startTestApp('postgres', { env, testDatabase });
    try {
      const ledger = app.app.get(LedgerService);
      const logName = `election-${election.id}`;
      const log = await ledger.getLog(logName);
      const entries = await ledger.entries(logName, 0n, log.size);
      const castEntries = new Map<string, { index: bigint; leafHash: string }>();
      for (const entry of entries) {
        const decoded = decodeEntry(entry.bytes);
        if (decoded.type === 'BallotCast') castEntries.set(String(decoded.body.trackingCode), { index: entry.index, leafHash: encodeHex(entry.leafHash) });
      }

      // Every row names its own entry, and every BallotCast entry has its row: nothing half-written.
      const rows = await app.database.prisma.castBallot.findMany({ where: { electionId: election.id } });
      expect(rows.length).toBe(castEntries.size);
      for (const row of rows) expect(castEntries.get(toHexString(row.trackingCode))?.index).toBe(row.ledgerIndex);

      // Every acknowledged ballot is in the ledger where its answer said.
      for (const ack of acknowledged) expect(castEntries.get(ack.trackingCode)).toEqual({ index: ack.ledgerIndex, leafHash: ack.leafHash });

      // After a checkpoint, each acknowledged ballot's status carries a receipt that verifies offline for its entry.
      await ledger.checkpointNow(logName);
      const keys = (await (await fetch(`${app.baseUrl}/api/ledger/${logName}/keys`)).json()) as { origin: string; log: string; witnessPolicy: { quorum: number; witnesses: { verifierKey: string }[] } };
      const policy = { witnesses: keys.witnessPolicy.witnesses.map((w) => parseVerifierKey(w.verifierKey)), threshold: keys.witnessPolicy.quorum };
      const status = async (trackingCode: string) => BallotStatus.parse(await (await fetch(`${app.baseUrl}/api/elections/${election.id}/ballots/${trackingCode}`)).json());
      const deadline = Date.now() + 30_000;
      while ((await status(acknowledged[0]!.trackingCode)).receipt === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      for (const ack of acknowledged) {
        const answer = await status(ack.trackingCode);
        expect(answer.ledgerIndex).toBe(ack.ledgerIndex.toString());
        const verified = verifyReceipt(answer.receipt!, { origin: keys.origin, logKeys: [parseVerifierKey(keys.log)], policy });
        expect(verified.index).toBe(ack.ledgerIndex);
        expect(encodeHex(verified.leafHash)).toBe(ack.leafHash);
        expect(decodeEntry(verified.extra!).body.trackingCode).toBe(ack.trackingCode);
      }

      // Sending an acknowledged ballot again gets its first answer, and a ballot never sent is cast after the others.
      const again = prepared.find((p) => p.trackingCode === acknowledged[0]!.trackingCode)!;
      const repeated = await fetch(`${app.baseUrl}/api/elections/${election.id}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(again.request) });
      expect(repeated.status).toBe(200);
      expect(CastBallotResponse.parse(await repeated.json())).toMatchObject({ ledgerIndex: acknowledged[0]!.ledgerIndex.toString(), leafHash: acknowledged[0]!.leafHash });
      const fresh = prepared.at(-1)!;
      if (!castEntries.has(fresh.trackingCode)) {
        const cast = await fetch(`${app.baseUrl}/api/elections/${election.id}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fresh.request) });
        expect(cast.status).toBe(201);
        expect(BigInt(CastBallotResponse.parse(await cast.json()).ledgerIndex)).toBe(log.size);
      }
    } finally {
      await app.stop();
    }
  }, 480_000);
});
