import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BallotStatus, CastBallotResponse, ElectionDetail, SpoiledBallotView, TallyState, fromHexString } from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { dialects } from './support/test-database.ts';
import {
  ApiClient,
  credentialRequestBody,
  enrolOk,
  obtainCredential,
  prepareBallot,
  signInOk,
  type SoftwareAuthenticator,
  type VoterCredential,
} from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { demoDraft, runKeyCeremony } from './elections-support.ts';
import { CredentialChallengeResponse } from '@townhall/protocol';

const code = ApiClient.errorCode;
const ELECTORS = ['CAS-0001', 'CAS-0002', 'CAS-0003', 'CAS-0004', 'NGT-0001', 'NGT-0002', 'NGT-0003', 'NGT-0004', 'RVS-0001', 'RVS-0002'];
const POSTCODES: Record<string, string> = {
  'CAS-0001': 'DB1 1AA', 'CAS-0002': 'DB1 1AA', 'CAS-0003': 'DB1 1AB', 'CAS-0004': 'DB1 1AB',
  'NGT-0001': 'DB2 2BA', 'NGT-0002': 'DB2 2BA', 'NGT-0003': 'DB2 2BB', 'NGT-0004': 'DB2 2BB',
  'RVS-0001': 'DB3 3CA', 'RVS-0002': 'DB3 3CA', 'RVS-0003': 'DB3 3CB', 'RVS-0004': 'DB3 3CB',
};

describe.each(dialects)('an election end to end through the HTTP API on %s', (dialect) => {
  let app: RunningApp;
  let officer: Awaited<ReturnType<typeof staffMember>>;
  const logSize = async (electionId: string) => (await app.app.get(LedgerService).getLog(`election-${electionId}`)).size;
  const entriesOf = async (electionId: string) => {
    const size = await logSize(electionId);
    return (await app.app.get(LedgerService).entries(`election-${electionId}`, 0n, size)).map((e) => decodeEntry(e.bytes));
  };
  const detail = async (id: string) => ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${id}`)));

  /** Creates trustees for the election and runs the whole ceremony with them in software. */
  async function defineAndRunCeremony(draft: ReturnType<typeof demoDraft>, trusteeCount: number, threshold: number) {
    const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', draft), 201));
    const newTrustee = async (i: number) => (await staffMember(app, 'trustee', `Trustee ${i}`, created.id)).client;
    const trustees = await runKeyCeremony(officer.client, created.id, { trustees: trusteeCount, threshold, newTrustee });
    // The ceremony is complete; the opening time is already past, so the app's own scheduler may
    // have opened the election in the meantime (the test then checks the ledger says it did).
    expect(['ready', 'open']).toContain((await detail(created.id)).status);
    return { id: created.id, trustees };
  }

  async function resident(electorNumber: string) {
    const browser = await newBrowser(app);
    await enrolOk(browser.client, browser.authenticator, { activationCode: await issueCard(app, electorNumber), postcode: POSTCODES[electorNumber]! });
    return browser;
  }

  beforeAll(async () => {
    // The second election here runs with one trustee, below a real election's minimum.
    app = await startIdentityApp(dialect, { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
    officer = await staffMember(app, 'officer', 'Returning Officer');
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('refuses an invalid definition with clear messages and nothing saved', async () => {
    const bad = demoDraft({ eligibleDistricts: ['CAS', 'XXX'] });
    bad.contests[0]!.minSelections = 3;
    bad.contests[0]!.maxSelections = 2;
    const refused = await code(officer.client.post('/api/official/elections', bad));
    expect(refused.status).toBe(422);
    expect(refused.code).toBe('ELECTION_INVALID');
    expect(refused.issues!.map((i) => i.path)).toContain('contests.0.minSelections');
    const unknownDistrict = await code(officer.client.post('/api/official/elections', demoDraft({ eligibleDistricts: ['CAS', 'XXX'] })));
    expect(unknownDistrict.issues).toEqual([{ path: 'eligibleDistricts.1', message: 'there is no district "XXX"' }]);
    const backwards = demoDraft({ schedule: { opensAt: '2030-01-02T00:00:00Z', closesAt: '2030-01-01T00:00:00Z' } });
    expect((await code(officer.client.post('/api/official/elections', backwards))).issues![0]!.path).toBe('schedule.closesAt');
    const list = await officer.client.json<{ elections: unknown[] }>(officer.client.get('/api/official/elections'));
    expect(list.elections).toHaveLength(0);
  });

  it('runs define → 3-trustee (k=2) ceremony → scheduled open → 10 voters → close → 2 trustees decrypt → published result', async () => {
    const { id, trustees } = await defineAndRunCeremony(demoDraft(), 3, 2);
    // Drafts cannot be edited once frozen.
    expect((await code(officer.client.request('PUT', `/api/official/elections/${id}`, { body: demoDraft() }))).code).toBe('ELECTION_WRONG_PHASE');

    // The opening time is in the past: the scheduler opens it without anyone clicking.
    await app.app.get(ElectionScheduler).tick();
    let election = await detail(id);
    expect(election.status).toBe('open');
    expect((await entriesOf(id)).find((e) => e.type === 'ElectionOpened')!.body).toMatchObject({ trigger: 'schedule' });

    // A second election (1 trustee) whose credentials must not work in the first.
    // It is open to two of the three districts.
    const other = await defineAndRunCeremony(demoDraft({ title: 'Other election', eligibleDistricts: ['CAS', 'NGT'] }), 1, 1);
    await app.app.get(ElectionScheduler).tick();

    const voters: { client: ApiClient; authenticator: SoftwareAuthenticator; credential: VoterCredential }[] = [];
    for (const number of ELECTORS) {
      const browser = await resident(number);
      const mine = await browser.client.json<{ elections: { id: string; hasCredential?: boolean }[] }>(browser.client.get('/api/elections/mine'));
      expect(mine.elections.find((e) => e.id === id)).toMatchObject({ hasCredential: false });
      voters.push({ ...browser, credential: await obtainCredential(browser.client, browser.authenticator, id) });
    }
    const [first, second, third] = voters;

    // --- credential negatives: nothing recorded
    {
      const browser = await resident('RVS-0003');
      const c1 = CredentialChallengeResponse.parse(await browser.client.json(browser.client.post(`/api/elections/${id}/credential-challenge`)));
      const c2 = CredentialChallengeResponse.parse(await browser.client.json(browser.client.post(`/api/elections/${id}/credential-challenge`)));
      const c3 = CredentialChallengeResponse.parse(await browser.client.json(browser.client.post(`/api/elections/${id}/credential-challenge`)));
      // A district that does not vote in an election gets no challenge for it.
      expect(await code(browser.client.post(`/api/elections/${other.id}/credential-challenge`))).toMatchObject({ status: 403, code: 'NOT_ELIGIBLE' });
      // Another resident cannot use this resident's challenge (with their own passkey); it is used up.
      const borrowed = await credentialRequestBody(first!.authenticator, c3);
      expect(await code(first!.client.post(`/api/elections/${id}/credentials`, borrowed.request))).toMatchObject({ status: 400, code: 'CHALLENGE_EXPIRED' });
      expect(await code(browser.client.post(`/api/elections/${id}/credentials`, (await credentialRequestBody(browser.authenticator, c3)).request))).toMatchObject({
        status: 400,
        code: 'CHALLENGE_EXPIRED',
      });
      // The passkey assertion is checked before anything is signed: a forged
      // signature, another origin, no user verification, an assertion over another blinded message,
      // and a counter that went back are each refused, and nothing is recorded.
      const sizeBefore = await logSize(id);
      const issue = async (overrides: Parameters<typeof credentialRequestBody>[2], bend: (request: Record<string, unknown>) => void = () => {}) => {
        const challenge = CredentialChallengeResponse.parse(await browser.client.json(browser.client.post(`/api/elections/${id}/credential-challenge`)));
        const { request } = await credentialRequestBody(browser.authenticator, challenge, overrides);
        bend(request);
        return code(browser.client.post(`/api/elections/${id}/credentials`, request));
      };
      const refused = { status: 400, code: 'PASSKEY_VERIFICATION_FAILED' };
      expect(await issue({ corruptSignature: true })).toMatchObject(refused);
      expect(await issue({ origin: 'https://elsewhere.example' })).toMatchObject(refused);
      expect(await issue({ flags: 0x01 })).toMatchObject(refused);
      const otherBlinded = (await credentialRequestBody(browser.authenticator, c3)).request.blindedMessage;
      expect(await issue({}, (request) => (request.blindedMessage = otherBlinded))).toMatchObject(refused);
      expect(await logSize(id)).toBe(sizeBefore);
      const body1 = await credentialRequestBody(browser.authenticator, c1);
      await browser.client.json(browser.client.post(`/api/elections/${id}/credentials`, body1.request), 201);
      const size = await logSize(id);
      const replay = await code(browser.client.post(`/api/elections/${id}/credentials`, body1.request));
      expect(replay).toMatchObject({ status: 400, code: 'CHALLENGE_EXPIRED' });
      const body2 = await credentialRequestBody(browser.authenticator, c2);
      const secondCredential = await code(browser.client.post(`/api/elections/${id}/credentials`, body2.request));
      expect(secondCredential).toMatchObject({ status: 409, code: 'CREDENTIAL_ALREADY_ISSUED' });
      // A counter that went back (a cloned passkey) is refused like at sign-in: the passkey is
      // suspended and the resident signed out everywhere (decision 0004); nothing is recorded.
      const cloned = await resident('RVS-0004');
      const clonedSize = await logSize(id);
      await signInOk(cloned.client, cloned.authenticator);
      const challenge = CredentialChallengeResponse.parse(await cloned.client.json(cloned.client.post(`/api/elections/${id}/credential-challenge`)));
      const backwards = (await credentialRequestBody(cloned.authenticator, challenge, { counter: 1 })).request;
      expect(await code(cloned.client.post(`/api/elections/${id}/credentials`, backwards))).toMatchObject({ status: 401, code: 'PASSKEY_COUNTER_REGRESSION' });
      expect((await cloned.client.session()).principal.kind).toBe('anonymous');
      expect(await logSize(id)).toBe(clonedSize);
      expect(await app.database.prisma.electionCredential.count({ where: { electionId: id } })).toBe(await app.database.prisma.electionCredential.count({ where: { electionId: id, electorId: { not: (await app.database.prisma.elector.findFirstOrThrow({ where: { electorNumber: 'RVS-0004' } })).id } } }));
      expect((await code(browser.client.post(`/api/elections/${id}/credential-challenge`))).code).toBe('CREDENTIAL_ALREADY_ISSUED');
      expect(await logSize(id)).toBe(size);
    }
    // Fewer than an epoch (elections.md §5.1): the CredentialIssued entries wait, none is in the log yet.
    expect((await entriesOf(id)).filter((e) => e.type === 'CredentialIssued')).toHaveLength(0);
    expect(await app.database.prisma.credentialEntryQueue.count({ where: { electionId: id } })).toBe(11);

    election = await detail(id);
    const choiceOf = ['ada', 'grace', 'ada', 'alan', 'ada', 'barbara', 'grace', 'edsger', 'ada', 'grace'];
    const castOk = async (client: ApiClient, request: unknown, status = 201) => CastBallotResponse.parse(await client.json(client.post(`/api/elections/${id}/ballots`, request), status));

    // Voter 1 checks a ballot's encryption first (Benaloh): it is spoiled, opened, readable back.
    const checked = prepareBallot(election, first!.credential, { mayor: ['edsger'] });
    const opened = SpoiledBallotView.parse(await first!.client.json(first!.client.post(`/api/elections/${id}/spoiled-ballots`, checked.spoil), 201));
    expect(opened.choices).toEqual({ mayor: ['edsger'] });
    expect(SpoiledBallotView.parse(await first!.client.json(first!.client.get(`/api/elections/${id}/spoiled-ballots/${checked.trackingCode}`))).choices).toEqual({ mayor: ['edsger'] });

    const receipts: string[] = [];
    for (const [i, voter] of voters.entries()) {
      const prepared = prepareBallot(election, voter.credential, { mayor: [choiceOf[i]!] });
      const cast = await castOk(voter.client, prepared.request);
      expect(cast.trackingCode).toBe(prepared.trackingCode);
      receipts.push(cast.trackingCode);
      if (i === 0) {
        // The same ballot again: same tracking code and index, nothing new in the ledger.
        const size = await logSize(id);
        const again = await castOk(voter.client, prepared.request, 200);
        expect(again.ledgerIndex).toBe(cast.ledgerIndex);
        expect(await logSize(id)).toBe(size);
      }
      if (i === 1) {
        // A re-vote sent three times at once (a client retrying before the first answer): one of
        // them is cast, the others are answered with its tracking code and index, one entry in all.
        const size = await logSize(id);
        const retried = prepareBallot(election, voter.credential, { mayor: [choiceOf[i]!] });
        const answers = await Promise.all([0, 1, 2].map(() => voter.client.post(`/api/elections/${id}/ballots`, retried.request)));
        const statuses = answers.map((a) => a.status).sort();
        const bodies = await Promise.all(answers.map(async (a) => CastBallotResponse.parse(await a.json())));
        expect(statuses).toEqual([200, 200, 201]);
        expect(new Set(bodies.map((b) => `${b.trackingCode}@${b.ledgerIndex}`)).size).toBe(1);
        expect(await logSize(id)).toBe(size + 1n);
      }
    }
    // Voter 2 changes their mind: the later ballot supersedes the earlier one.
    const revote = prepareBallot(election, second!.credential, { mayor: ['alan'] });
    const revoted = await castOk(second!.client, revote.request);
    choiceOf[1] = 'alan';

    // --- ballot negatives: clear 4xx, nothing recorded
    const size = await logSize(id);
    const base = prepareBallot(election, third!.credential, { mayor: ['ada'] });
    const forged = { ...base.request, credential: { ...base.request.credential, signature: 'ab'.repeat(384) } };
    expect(await code(third!.client.post(`/api/elections/${id}/ballots`, forged))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    // A genuine credential, but issued for the other election.
    const elsewhere = await obtainCredential(third!.client, third!.authenticator, other.id);
    const reused = prepareBallot(election, elsewhere, { mayor: ['ada'] });
    expect(await code(third!.client.post(`/api/elections/${id}/ballots`, reused.request))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    const wrongFingerprint = { ...base.request, fingerprint: 'cd'.repeat(32) };
    expect(await code(third!.client.post(`/api/elections/${id}/ballots`, wrongFingerprint))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    const tampered = structuredClone(base.request);
    const proof = tampered.ballot.contests[0]!.selections[0]!.proof;
    tampered.ballot.contests[0]!.selections[0]!.proof = proof.slice(0, -2) + (proof.endsWith('00') ? '01' : '00');
    expect(await code(third!.client.post(`/api/elections/${id}/ballots`, tampered))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    expect(await logSize(id)).toBe(size);

    // --- close (by the official), then a late ballot is refused
    await officer.client.json(officer.client.post(`/api/official/elections/${id}/close`));
    expect(await code(third!.client.post(`/api/elections/${id}/ballots`, base.request))).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
    // The close sequenced the last epoch first: 11 CredentialIssued entries in pseudonym order, just before ElectionClosed.
    const closedLog = await entriesOf(id);
    const closeAt = closedLog.findIndex((e) => e.type === 'ElectionClosed');
    const issued = closedLog.slice(closeAt - 11, closeAt);
    expect(issued.every((e) => e.type === 'CredentialIssued')).toBe(true);
    const pseudonyms = issued.map((e) => (e.body as { pseudonym: string }).pseudonym);
    expect(pseudonyms).toEqual([...pseudonyms].sort());
    expect(await app.database.prisma.credentialEntryQueue.count({ where: { electionId: id } })).toBe(0);
    // The entry names the pseudonym and carries the assertion, never the ballot key.
    for (const entry of issued) expect(JSON.stringify(entry.body)).not.toContain(Buffer.from(first!.credential.keys.publicKey).toString('hex'));

    // Counted or not, with a receipt once a checkpoint covers the ballot.
    await app.app.get(LedgerService).checkpointNow(`election-${id}`);
    const superseded = BallotStatus.parse(await second!.client.json(second!.client.get(`/api/elections/${id}/ballots/${receipts[1]}`)));
    expect(superseded.counted).toBe(false);
    const latest = BallotStatus.parse(await second!.client.json(second!.client.get(`/api/elections/${id}/ballots/${revoted.trackingCode}`)));
    expect(latest.counted).toBe(true);
    expect(latest.receipt).toMatch(/^c2sp\.org\/tlog-proof@v1\n/);

    // --- tally: aggregate, then only trustees 1 and 3 decrypt (2 of 3); a bad proof is refused first
    // The aggregation runs in the background: asked not to wait, the API answers 202 at once and
    // the tally state shows its progress until TallyComputed; starting it again is harmless then.
    const started = await officer.client.request('POST', `/api/official/elections/${id}/tally`, { body: {}, headers: { prefer: 'respond-async' } });
    expect(started.status).toBe(202);
    expect(ElectionDetail.parse(await started.json()).status).toBe('closed');
    let tally = TallyState.parse(await officer.client.json(officer.client.get(`/api/elections/${id}/tally`)));
    for (; tally.status === 'closed'; tally = TallyState.parse(await officer.client.json(officer.client.get(`/api/elections/${id}/tally`)))) {
      expect(tally.aggregation).toMatchObject({ total: 10, failure: null });
      expect(tally.aggregation!.summed).toBeLessThanOrEqual(10);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(tally.status).toBe('tallied');
    expect(tally.aggregation).toBeNull();
    expect(tally.countedBallots).toBe(10);
    expect(await code(officer.client.post(`/api/official/elections/${id}/tally`))).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
    const fingerprint = fromHexString(election.fingerprint!);
    const sizeBeforeBad = await logSize(id);
    const bad = await code(trustees[1]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, trustees[1]!.partialDecryption(tally, fingerprint, { corrupt: true })));
    expect(bad).toMatchObject({ status: 422, code: 'DECRYPTION_REJECTED' });
    expect(await logSize(id)).toBe(sizeBeforeBad);
    await trustees[0]!.client.json(trustees[0]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, trustees[0]!.partialDecryption(tally, fingerprint)));
    const done = TallyState.parse(await trustees[2]!.client.json(trustees[2]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, trustees[2]!.partialDecryption(tally, fingerprint))));
    expect(done.status).toBe('published');
    const expected = ['ada', 'grace', 'alan', 'barbara', 'edsger'].map((optionId) => ({ optionId, count: choiceOf.filter((c) => c === optionId).length }));
    expect(done.result).toEqual([{ contestId: 'mayor', counts: expected }]);
    const published = (await entriesOf(id)).find((e) => e.type === 'ResultPublished')!;
    expect(published.body).toMatchObject({ trustees: [1, 3], result: [{ contestId: 'mayor', counts: expected }] });
  }, 240_000);
});
