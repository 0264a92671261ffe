import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRecord, verifyRecord, decodeEntry } from '@townhall/verifier';
import {
  castBallots,
  closeElection,
  computeTally,
  decryptAndPublish,
  downloadRecord,
  finish,
  prepareBallots,
  setUpElection,
  startSimulationServer,
  waitForPublishedCheckpoint,
  type SimulationServer,
} from '../simulate/index.ts';
import { adminUrl } from './support/test-database.ts';

/**
 * The simulator end to end on real Postgres: a 20-elector, 2 × 3 election with a Benaloh spoil and a
 * re-vote, plus ballots prepared for a load tester and fired from the file; the downloaded record is
 * checked by the observer's independent verifier, whose result must be the simulator's plain tally.
 */
describe('the election simulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'townhall-simulate-'));
  let server: SimulationServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('produces a record the verifier accepts, with the result the simulated voters chose', async () => {
    server = await startSimulationServer({ databaseUrl: adminUrl() });
    const sim = await setUpElection({ voters: 20, contests: 2, options: 3, turnout: 0.9, server, concurrency: 8, workers: 2, log: () => undefined });
    try {
      expect(sim.election.status).toBe('open');
      expect(sim.electors).toHaveLength(20);
      expect(sim.voters).toHaveLength(18);
      expect(sim.voters.every((v) => v.credential)).toBe(true);

      // A load tester's file: one ready-to-POST request per voter, accepted as sent.
      const prepared = await prepareBallots(sim, { file: join(dir, 'ballots.jsonl') });
      const lines = readFileSync(prepared.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { method: string; path: string; headers: Record<string, string>; body: string });
      expect(lines).toHaveLength(18);
      for (const line of lines) {
        const response = await fetch(`${server.baseUrl}${line.path}`, { method: line.method, headers: line.headers, body: line.body });
        expect(response.status).toBe(201);
      }

      // Then every voter casts again (superseding the prepared ballot), some spoil first, some re-vote.
      const cast = await castBallots(sim, { spoil: 0.1, revote: 0.1 });
      expect(cast.spoiled).toBe(2);
      expect(cast.revotes).toBe(2);
      await closeElection(sim);
      const tally = await computeTally(sim);
      expect(tally.countedBallots).toBe(18);
      const published = await decryptAndPublish(sim, tally);
      expect(published.trustees).toHaveLength(2);
      expect(published.result).toEqual(cast.expected);
      await waitForPublishedCheckpoint(sim);
      const record = await downloadRecord(sim, join(dir, 'record.jsonl'));

      const text = readFileSync(record.file, 'utf8');
      const types = text.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; bytes?: string }).filter((l) => l.kind === 'entry').map((l) => decodeEntry(Buffer.from(l.bytes!, 'base64')).type);
      expect(types.filter((t) => t === 'BallotCast')).toHaveLength(18 + 18 + 2);
      expect(types.filter((t) => t === 'BallotSpoiled')).toHaveLength(2);
      expect(types.filter((t) => t === 'PartialDecryption')).toHaveLength(2);
      const report = await verifyRecord(await parseRecord(text));
      expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
      expect(report.isValid).toBe(true);
      expect(report.result).toEqual(cast.expected);
    } finally {
      await finish(sim);
    }
  }, 240_000);
});
