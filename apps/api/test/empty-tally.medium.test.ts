/**
 * An election nobody voted in (docs/protocol/elections.md §7): every aggregate is the identity, so the
 * trustees' partial decryptions carry no shares; with k of them the result, all zeros, is published and
 * the record verifies (record.md §4: `tally.result` wants k trustees even then).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElectionDetail, TallyState, fromHexString } from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { parseRecord, verifyRecord } from '@townhall/verifier';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { dialects } from './support/test-database.ts';
import { ApiClient, tallyAndWait } from '@townhall/client-flows';
import { staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { waitFor } from './ledger-support.ts';
import { demoDraft, runKeyCeremony } from './elections-support.ts';

const code = ApiClient.errorCode;
const IDENTITY = '00'.repeat(32);

describe.each(dialects)('an election closed with no ballots on %s', (dialect) => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
  });

  it('is decrypted by 2 of 3 trustees with empty share lists, publishes all zeros, and its record verifies', async () => {
    const officer = await staffMember(app, 'officer', 'Returning Officer');
    const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
    const id = created.id;
    const newTrustee = async (i: number) => (await staffMember(app, 'trustee', `Trustee ${i}`, id)).client;
    const trustees = await runKeyCeremony(officer.client, id, { trustees: 3, threshold: 2, newTrustee });
    await app.app.get(ElectionScheduler).tick();
    const election = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${id}`)));
    expect(election.status).toBe('open');
    await officer.client.json(officer.client.post(`/api/official/elections/${id}/close`));

    const ledger = app.app.get(LedgerService);
    const log = `election-${id}`;
    const logSize = async () => (await ledger.getLog(log)).size;
    const post = (i: number, body: unknown) => trustees[i]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, body);

    // Before the aggregate exists there is nothing to decrypt, empty or not.
    expect(await code(post(0, { shares: [] }))).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });

    // The tally of nothing: every aggregate is (identity, identity), and it waits for the trustees.
    const tally = await tallyAndWait(officer.client, id);
    expect(tally).toMatchObject({ status: 'tallied', countedBallots: 0, partialDecryptions: [], result: null });
    expect(tally.aggregate!.map((a) => [a.optionId, a.alpha, a.beta])).toEqual(['ada', 'grace', 'alan', 'barbara', 'edsger'].map((o) => [o, IDENTITY, IDENTITY]));
    const fingerprint = fromHexString(election.fingerprint!);
    const honest = trustees[0]!.partialDecryption(tally, fingerprint);
    expect(honest).toEqual({ shares: [] });

    // Wrong posts are refused and nothing is recorded: a share for an empty aggregate, a malformed body.
    const sizeBefore = await logSize();
    const extraShare = { shares: [{ contestId: 'mayor', optionId: 'ada', share: IDENTITY, proof: 'ab'.repeat(96) }] };
    expect(await code(post(1, extraShare))).toMatchObject({ status: 422, code: 'DECRYPTION_REJECTED' });
    expect(await code(post(1, {}))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await code(post(1, { shares: [], extra: true }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await logSize()).toBe(sizeBefore);

    // Trustee 1 alone is not enough (k = 2), and cannot post twice.
    const first = TallyState.parse(await trustees[0]!.client.json(post(0, honest)));
    expect(first).toMatchObject({ status: 'tallied', result: null });
    expect(first.partialDecryptions.map((p) => p.trusteeIndex)).toEqual([1]);
    expect(await code(post(0, honest))).toMatchObject({ status: 409, code: 'CONFLICT' });

    // Trustee 3 makes two: the result of no ballots, all zeros, released by trustees 1 and 3.
    const done = TallyState.parse(await trustees[2]!.client.json(post(2, trustees[2]!.partialDecryption(tally, fingerprint))));
    const zeros = [{ contestId: 'mayor', counts: ['ada', 'grace', 'alan', 'barbara', 'edsger'].map((optionId) => ({ optionId, count: 0 })) }];
    expect(done).toMatchObject({ status: 'published', result: zeros });
    expect(await code(post(1, trustees[1]!.partialDecryption(tally, fingerprint)))).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
    const entries = (await ledger.entries(log, 0n, await logSize())).map((e) => decodeEntry(e.bytes));
    expect(entries.filter((e) => e.type === 'PartialDecryption').map((e) => e.body)).toEqual([1, 3].map((trusteeIndex) => ({ fingerprint: election.fingerprint, trusteeIndex, shares: [] })));
    expect(entries.find((e) => e.type === 'ResultPublished')!.body).toMatchObject({ trustees: [1, 3], result: zeros });

    // The independent verifier (packages/verifier) accepts the record and recomputes the zeros.
    await waitFor(async () => {
      await ledger.checkpointNow(log);
      return (await ledger.latestCheckpoint(log, { published: true }))?.size === (await logSize());
    }, 'a published checkpoint covering the whole election log');
    const response = await fetch(`${app.baseUrl}/api/elections/${id}/record`);
    expect(response.status).toBe(200);
    const report = await verifyRecord(await parseRecord(await response.text()));
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.status]))).toMatchObject({ 'tally.aggregate': 'pass', 'tally.partial-decryptions': 'pass', 'tally.result': 'pass' });
    expect(report.result).toEqual(zeros);
  }, 240_000);
});
