import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotDigest, parseBallot, signWithBallotKey } from '@townhall/crypto';
import {
  CastBallotResponse,
  ElectionDetail,
  MAX_SPOILS_PER_BALLOT_KEY,
  SpoiledBallotView,
  ballotSignatureMessage,
  fromHexString,
  spoilSignatureMessage,
  toHexString,
  type CastBallotRequest,
  type SpoilBallotRequest,
} from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { dialects } from './support/test-database.ts';
import { ApiClient, obtainCredential, prepareBallot, type VoterCredential } from '@townhall/client-flows';
import { staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { enrolResidents } from './election-fixture.ts';
import { demoDraft, runKeyCeremony } from './elections-support.ts';

/**
 * Benaloh spoils (docs/protocol/elections.md §6), issue #15: a spoiled ballot — or any of its
 * ciphertexts — can never be cast (nor a cast one spoiled), decided inside the append's transaction
 * so a concurrent spoil and cast cannot both pass; a spoil is authorised like a cast (credential and
 * ballot-key signature over the spoil message) and limited per ballot key.
 */

const code = ApiClient.errorCode;
const hex = toHexString;

/** Two contests, so a ballot can share one contest's ciphertexts (with valid proofs) with another ballot. */
const draft = () => {
  const base = demoDraft();
  return demoDraft({
    contests: [
      base.contests[0]!,
      { id: 'council', title: 'Council', options: ['north', 'south', 'east'].map((id) => ({ id, label: id })), minSelections: 0, maxSelections: 2 },
    ],
  });
};

type Voter = { client: ApiClient; credential: VoterCredential };
type Prepared = ReturnType<typeof prepareBallot>;

/**
 * A ballot that takes `contestId` (ciphertexts, proofs and secrets) from `donor` and the other
 * contests from a fresh encryption: valid proofs, another tracking code, shared ciphertexts. Signed
 * by `voter` for casting and for spoiling.
 */
function sharingContest(election: ElectionDetail, voter: VoterCredential, donor: Prepared, contestId: string): Prepared {
  const fresh = prepareBallot(election, voter, { mayor: ['grace'], council: ['south'] });
  const at = election.contests.findIndex((c) => c.id === contestId);
  const wire = structuredClone(fresh.request.ballot);
  wire.contests[at] = structuredClone(donor.request.ballot.contests[at]!);
  const secrets = structuredClone(fresh.spoil.secrets);
  secrets.contests[at] = structuredClone(donor.spoil.secrets.contests[at]!);
  return signed(election, voter, wire, secrets);
}

function signed(election: ElectionDetail, voter: VoterCredential, wire: CastBallotRequest['ballot'], secrets: SpoilBallotRequest['secrets']): Prepared {
  const fingerprint = fromHexString(election.fingerprint!);
  const digest = ballotDigest(parseBallot(wire));
  const credential = { messagePrefix: hex(voter.credential.messagePrefix), signature: hex(voter.credential.signature), ballotPublicKey: hex(voter.keys.publicKey) };
  return {
    trackingCode: hex(digest),
    request: { fingerprint: election.fingerprint!, ballot: wire, credential, signature: hex(signWithBallotKey(voter.keys.secretKey, ballotSignatureMessage(fingerprint, digest))) },
    spoil: { fingerprint: election.fingerprint!, ballot: wire, secrets, credential, signature: hex(signWithBallotKey(voter.keys.secretKey, spoilSignatureMessage(fingerprint, digest))) },
  };
}

describe.each(dialects)('spoiled ballots on %s', (dialect) => {
  let app: RunningApp;
  let election: ElectionDetail;
  let voters: Voter[];
  const logSize = async () => (await app.app.get(LedgerService).getLog(`election-${election.id}`)).size;
  const entryTypes = async () => {
    const ledger = app.app.get(LedgerService);
    const log = `election-${election.id}`;
    return (await ledger.entries(log, 0n, (await ledger.getLog(log)).size)).map((e) => decodeEntry(e.bytes).type);
  };
  const spoil = (body: unknown) => voters[0]!.client.post(`/api/elections/${election.id}/spoiled-ballots`, body);
  const cast = (body: unknown) => voters[0]!.client.post(`/api/elections/${election.id}/ballots`, body);

  beforeAll(async () => {
    // One software trustee is enough here (the trustee minimum is not what these tests are about).
    app = await startIdentityApp(dialect, { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
    const officer = await staffMember(app, 'officer', 'Returning Officer');
    const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', draft()), 201));
    const newTrustee = async (i: number) => (await staffMember(app, 'trustee', `Trustee ${i}`, created.id)).client;
    await runKeyCeremony(officer.client, created.id, { trustees: 1, threshold: 1, newTrustee });
    await app.app.get(ElectionScheduler).tick();
    election = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${created.id}`)));
    expect(election.status).toBe('open');
    const residents = await enrolResidents(app, 4, 'SPOIL');
    voters = [];
    for (const resident of residents) voters.push({ client: resident.client, credential: await obtainCredential(resident.client, resident.authenticator, election.id) });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('refuses to cast a spoiled ballot, or a ballot that reuses one of its ciphertexts: 409 CONFLICT, nothing recorded', async () => {
    const voter = voters[0]!;
    const checked = prepareBallot(election, voter.credential, { mayor: ['edsger'], council: ['north'] });
    expect(SpoiledBallotView.parse(await voter.client.json(spoil(checked.spoil), 201)).choices).toEqual({ mayor: ['edsger'], council: ['north'] });
    const size = await logSize();
    // The very ballot that was opened, by its own key and by another voter's.
    expect(await code(cast(checked.request))).toMatchObject({ status: 409, code: 'CONFLICT' });
    const byOther = signed(election, voters[1]!.credential, checked.request.ballot, checked.spoil.secrets);
    expect(await code(cast(byOther.request))).toMatchObject({ status: 409, code: 'CONFLICT' });
    // Another ballot (another tracking code, valid proofs) whose mayor contest is the opened one's.
    const reusing = sharingContest(election, voter.credential, checked, 'mayor');
    expect(reusing.trackingCode).not.toBe(checked.trackingCode);
    const refused = await code(cast(reusing.request));
    expect(refused).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(refused.message).toMatch(/opened in public .* can never be cast/);
    expect(await logSize()).toBe(size);
    expect(await code(voter.client.get(`/api/elections/${election.id}/ballots/${checked.trackingCode}`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    // A freshly sealed ballot is cast as usual.
    const fresh = prepareBallot(election, voter.credential, { mayor: ['edsger'], council: ['north'] });
    CastBallotResponse.parse(await voter.client.json(cast(fresh.request), 201));
  });

  it('refuses to spoil a cast ballot, or a ballot that shares a ciphertext with a cast one: 409 CONFLICT, nothing recorded', async () => {
    const voter = voters[1]!;
    const castOne = prepareBallot(election, voter.credential, { mayor: ['ada'], council: [] });
    CastBallotResponse.parse(await voter.client.json(cast(castOne.request), 201));
    const size = await logSize();
    expect(await code(spoil(castOne.spoil))).toMatchObject({ status: 409, code: 'CONFLICT' });
    const sharing = sharingContest(election, voter.credential, castOne, 'council');
    expect(await code(spoil(sharing.spoil))).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(await logSize()).toBe(size);
    expect(await code(voter.client.get(`/api/elections/${election.id}/spoiled-ballots/${sharing.trackingCode}`))).toMatchObject({ status: 404 });
  });

  it('refuses a spoil without a credential, with a forged one, or signed as a cast: nothing recorded', async () => {
    const voter = voters[2]!;
    const ballot = prepareBallot(election, voter.credential, { mayor: ['alan'], council: ['east'] });
    const size = await logSize();
    const { credential: _credential, signature: _signature, ...anonymous } = ballot.spoil;
    expect(await code(spoil(anonymous))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const forged = { ...ballot.spoil, credential: { ...ballot.spoil.credential, signature: 'ab'.repeat(384) } };
    expect(await code(spoil(forged))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    // The cast signature (another domain tag) does not authorise a spoil, nor the spoil signature a cast.
    expect(await code(spoil({ ...ballot.spoil, signature: ballot.request.signature }))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    expect(await code(cast({ ...ballot.request, signature: ballot.spoil.signature }))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    // Another voter's key cannot sign for this credential.
    const otherKey = { ...ballot.spoil, signature: hex(signWithBallotKey(voters[3]!.credential.keys.secretKey, spoilSignatureMessage(fromHexString(election.fingerprint!), fromHexString(ballot.trackingCode)))) };
    expect(await code(spoil(otherKey))).toMatchObject({ status: 422, code: 'BALLOT_REJECTED' });
    expect(await logSize()).toBe(size);
  });

  it(`limits spoils to ${MAX_SPOILS_PER_BALLOT_KEY} per ballot key: then SPOIL_LIMIT_REACHED (409), nothing recorded; casting still works`, async () => {
    const voter = voters[3]!;
    for (let i = 0; i < MAX_SPOILS_PER_BALLOT_KEY; i++) {
      await voter.client.json(spoil(prepareBallot(election, voter.credential, { mayor: ['barbara'], council: [] }).spoil), 201);
    }
    const size = await logSize();
    const refused = await code(spoil(prepareBallot(election, voter.credential, { mayor: ['barbara'], council: [] }).spoil));
    expect(refused).toMatchObject({ status: 409, code: 'SPOIL_LIMIT_REACHED' });
    expect(refused.message).toContain(String(MAX_SPOILS_PER_BALLOT_KEY));
    expect(await logSize()).toBe(size);
    CastBallotResponse.parse(await voter.client.json(cast(prepareBallot(election, voter.credential, { mayor: ['barbara'], council: [] }).request), 201));
    // Another key's spoils are counted on their own.
    await voters[2]!.client.json(spoil(prepareBallot(election, voters[2]!.credential, { mayor: ['ada'], council: [] }).spoil), 201);
  });

  it('lets only one of a spoil and a cast of the same ballot (or of one sharing its ciphertexts) through when they race', async () => {
    const voter = voters[2]!;
    const spoiledCodes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const ballot = prepareBallot(election, voter.credential, { mayor: ['grace'], council: ['north', 'south'] });
      // A second ballot sharing its mayor contest races too: at most one of the three may pass.
      const sharing = sharingContest(election, voter.credential, ballot, 'mayor');
      const before = await logSize();
      const answers = await Promise.all([spoil(ballot.spoil), cast(ballot.request), cast(sharing.request)]);
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(statuses[0] === 201 ? 1 : 2);
      for (const answer of answers) if (answer.status !== 201) expect((await code(answer)).code).toBe('CONFLICT');
      expect(await logSize()).toBe(before + BigInt(statuses.filter((s) => s === 201).length));
      if (statuses[0] === 201) spoiledCodes.push(ballot.trackingCode);
    }
    // Whatever won, no tracking code is both spoiled and cast (so none can be counted after close).
    for (const trackingCode of spoiledCodes) expect((await code(voter.client.get(`/api/elections/${election.id}/ballots/${trackingCode}`))).status).toBe(404);
    expect((await entryTypes()).filter((t) => t === 'BallotSpoiled').length).toBe(1 + MAX_SPOILS_PER_BALLOT_KEY + 1 + spoiledCodes.length);
  });
});
