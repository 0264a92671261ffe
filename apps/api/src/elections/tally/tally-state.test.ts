import { describe, expect, it } from 'vitest';
import type { ElectionsRepository } from '../elections.repository.ts';
import type { ElectionsService, FrozenElection } from '../definition/elections.service.ts';
import type { LedgerService } from '../../ledger/ledger.module.ts';
import { TallyService } from './tally.service.ts';

/**
 * The tally state read while the background aggregation finishes. An officer's page (and the API
 * test) polls it while the election is closed and expects to see the aggregation's progress until
 * the status moves on; the job may end between reading the election and reading the job.
 */
describe('TallyService.state while the aggregation finishes', () => {
  const electionId = 'e1';

  function fixture() {
    let status = 'closed';
    /** Runs once between reading the election row and reading its trustees. */
    let betweenReads: (() => Promise<void>) | null = null;
    const row = () => ({ status, closedAtSize: 10n, tally: null, result: null });
    const elections = {
      frozen: async () => {
        return { row: row(), manifest: { ceremony: { threshold: 1 }, contests: [] }, fingerprint: new Uint8Array(32), logName: `election-${electionId}` } as unknown as FrozenElection;
      },
    } as unknown as ElectionsService;
    const repository = {
      countCounted: async () => 10,
      trustees: async () => {
        const run = betweenReads;
        betweenReads = null;
        if (run) await run();
        return [];
      },
    } as unknown as ElectionsRepository;
    const service = new TallyService(repository, elections, {} as LedgerService);
    // The aggregation itself is the part under control here: it commits TallyComputed (the row
    // becomes tallied) when `finish` is called.
    let finish!: () => void;
    service.computeTally = () =>
      new Promise<void>((resolve) => {
        finish = () => {
          status = 'tallied';
          resolve();
        };
      });
    return {
      service,
      finish: () => finish(),
      setBetweenReads: (run: () => Promise<void>) => (betweenReads = run),
      setStatus: (next: string) => (status = next),
    };
  }

  it('shows the running aggregation while the row is closed, even when the job ends right after the row was read', async () => {
    const { service, finish, setBetweenReads } = fixture();
    const job = await service.startTally(electionId);
    expect((await service.state(electionId)).aggregation).toEqual({ summed: 0, total: 10, failure: null });
    // The job commits and is forgotten after the election row (still closed) was read.
    setBetweenReads(async () => {
      finish();
      await job.done;
    });
    const state = await service.state(electionId);
    expect(state.status).toBe('closed');
    expect(state.aggregation).toEqual({ summed: 0, total: 10, failure: null });
    // Once it is over: tallied, and no aggregation to show.
    const after = await service.state(electionId);
    expect(after).toMatchObject({ status: 'tallied', aggregation: null });
  });

  it('shows no aggregation once the row is tallied, even before the finished job is forgotten', async () => {
    const { service, setStatus } = fixture();
    // TallyComputed has committed, but the job's promise has not settled yet.
    service.computeTally = () => new Promise<void>(() => {});
    await service.startTally(electionId);
    setStatus('tallied');
    expect(await service.state(electionId)).toMatchObject({ status: 'tallied', aggregation: null });
  });
});
