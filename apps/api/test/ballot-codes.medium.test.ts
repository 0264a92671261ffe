import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BallotCodeMatches, CastBallotResponse, ElectionDetail, ElectionListResponse, fromHexString, shortTrackingCode } from '@townhall/protocol';
import { dialects } from './support/test-database.ts';
import { ApiClient, obtainCredential, prepareBallot } from '@townhall/client-flows';
import { startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { enrolResidents, openElectionWithOneTrustee } from './election-fixture.ts';

/**
 * What a resident meets after voting (issue #20): the short tracking code they are shown
 * (`BDD4-8321-D517`) finds their ballot, and two ballots sharing it are both named, so the page can
 * ask for more digits; an election closed early says when it closed, in the list as in its page.
 */

const code = ApiClient.errorCode;

describe.each(dialects)('short tracking codes and the close time on %s', (dialect) => {
  let app: RunningApp;
  let election: ElectionDetail;
  let officer: Awaited<ReturnType<typeof openElectionWithOneTrustee>>['officer'];
  let cast: CastBallotResponse;
  let client: ApiClient;
  const lookup = (startsWith: string) => client.get(`/api/elections/${election.id}/ballots?startsWith=${startsWith}`);

  beforeAll(async () => {
    // One software trustee is enough here (the trustee minimum is not what these tests are about).
    app = await startIdentityApp(dialect, { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
    ({ election, officer } = await openElectionWithOneTrustee(app));
    const [resident] = await enrolResidents(app, 1, 'CODES');
    client = resident!.client;
    const credential = await obtainCredential(resident!.client, resident!.authenticator, election.id);
    const ballot = prepareBallot(election, credential, { mayor: ['ada'] });
    cast = CastBallotResponse.parse(await client.json(client.post(`/api/elections/${election.id}/ballots`, ballot.request), 201));
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('finds the ballot by the short code the voter was shown, or by any longer start of its tracking code', async () => {
    expect(cast.shortCode).toBe(shortTrackingCode(cast.trackingCode));
    const short = cast.shortCode.replaceAll('-', '').toLowerCase();
    expect(short).toHaveLength(12);
    expect(BallotCodeMatches.parse(await client.json(lookup(short)))).toEqual({ trackingCodes: [cast.trackingCode] });
    // An odd number of digits (half a byte at the end) and the whole code work too.
    expect(BallotCodeMatches.parse(await client.json(lookup(cast.trackingCode.slice(0, 13))))).toEqual({ trackingCodes: [cast.trackingCode] });
    expect(BallotCodeMatches.parse(await client.json(lookup(cast.trackingCode)))).toEqual({ trackingCodes: [cast.trackingCode] });
    // Another start: nothing.
    const other = (short[0] === '0' ? '1' : '0') + short.slice(1);
    expect(BallotCodeMatches.parse(await client.json(lookup(other)))).toEqual({ trackingCodes: [] });
  });

  it('names every ballot that shares a short code, so that the page can ask for more digits', async () => {
    // A second ballot whose code starts with the same 12 digits (2^-48 by chance: written directly).
    const last = cast.trackingCode.at(-1) === '0' ? '1' : '0';
    const twin = `${cast.trackingCode.slice(0, 63)}${last}`;
    const short = cast.trackingCode.slice(0, 12);
    await app.database.prisma.castBallot.create({
      data: { electionId: election.id, trackingCode: new Uint8Array(fromHexString(twin)), ballotPublicKey: new Uint8Array(32), ballot: {}, ledgerIndex: 999_999n },
    });
    try {
      const both = BallotCodeMatches.parse(await client.json(lookup(short)));
      expect(both.trackingCodes).toEqual([cast.trackingCode, twin].sort());
      // All but the last digit still matches both; the whole code only its own ballot.
      expect(BallotCodeMatches.parse(await client.json(lookup(cast.trackingCode.slice(0, 63)))).trackingCodes).toHaveLength(2);
      expect(BallotCodeMatches.parse(await client.json(lookup(twin))).trackingCodes).toEqual([twin]);
    } finally {
      await app.database.prisma.castBallot.delete({ where: { electionId_trackingCode: { electionId: election.id, trackingCode: new Uint8Array(fromHexString(twin)) } } });
    }
  });

  it('refuses fewer than 12 digits, capitals and other characters; an unknown election is 404', async () => {
    const short = cast.trackingCode.slice(0, 12);
    expect(await code(lookup(short.slice(0, 11)))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await code(lookup(short.toUpperCase().replace(/[0-9]/g, 'A')))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await code(lookup(`${short.slice(0, 4)}-${short.slice(4)}`))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await code(client.get(`/api/elections/00000000-0000-4000-8000-000000000000/ballots?startsWith=${short}`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('says when an election closed early, in the public list and the resident’s list as in its page', async () => {
    const summaryOf = async (path: string) => ElectionListResponse.parse(await client.json(client.get(path))).elections.find((e) => e.id === election.id)!;
    expect((await summaryOf('/api/elections')).closedAt).toBeNull();
    const before = Date.now();
    await officer.client.json(officer.client.post(`/api/official/elections/${election.id}/close`));
    const closed = ElectionDetail.parse(await client.json(client.get(`/api/elections/${election.id}`)));
    expect(closed.status).toBe('closed');
    expect(Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(closed.closedAt!)).toBeLessThan(Date.parse(closed.closesAt));
    expect((await summaryOf('/api/elections')).closedAt).toBe(closed.closedAt);
    expect((await summaryOf('/api/elections/mine')).closedAt).toBe(closed.closedAt);
    // The short code still finds the ballot once voting has closed.
    expect(BallotCodeMatches.parse(await client.json(lookup(cast.trackingCode.slice(0, 12))))).toEqual({ trackingCodes: [cast.trackingCode] });
  });
});
