import { describe, expect, it } from 'vitest';
import { bestAttack } from '../simulate/linkage.ts';
import { runLinkageElection } from '../simulate/linkage-run.ts';
import { adminUrl } from './support/test-database.ts';

/**
 * Linking credentials to ballots by their order in the log, with ground truth (elections.md §5.1).
 * Voters act one at a time, each obtaining a credential and casting at once: the worst case. With
 * every CredentialIssued appended as it happens (an epoch of one, as before epochs), the entry just
 * before a ballot names its voter; with epochs of 32 sequenced in pseudonym order, the best of the
 * simple ordering attacks names the right voter for at most 1 ballot in 10.
 */
describe('linking credentials to ballots by their order in the public log', () => {
  it('is easy when each credential entry is appended at once (epochs of one)', async () => {
    const report = await runLinkageElection({ voters: 12, epochMin: 1, databaseUrl: adminUrl() });
    const best = bestAttack(report.outcomes);
    expect(best.ballotKeys).toBe(12);
    expect(best.rate).toBeGreaterThanOrEqual(0.9);
  }, 240_000);

  it('names the right voter for at most 1 ballot in 10 with epochs of 32 in pseudonym order', async () => {
    const report = await runLinkageElection({ voters: 96, epochMin: 32, databaseUrl: adminUrl() });
    const best = bestAttack(report.outcomes);
    expect(best.ballotKeys).toBe(96);
    expect(report.epochSizes).toEqual([32, 32, 32]);
    expect(best.rate, JSON.stringify(report.outcomes)).toBeLessThanOrEqual(0.1);
  }, 300_000);
});
