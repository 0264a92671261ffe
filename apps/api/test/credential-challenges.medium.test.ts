import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialChallengeResponse, type ElectionDetail } from '@townhall/protocol';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { NONCES_PER_ELECTOR } from '../src/elections/credentials/credentials.service.ts';
import { ApiClient, credentialRequestBody } from '@townhall/client-flows';
import { startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { enrolResidents, openElectionWithOneTrustee } from './election-fixture.ts';

// Credential challenges (elections.md §5): each lives 5 minutes; an elector holds at most a few at
// once (a newer one retires the oldest), and expired ones are deleted by the scheduler.
describe('credential challenges are capped per elector and purged when they expire', () => {
  let app: RunningApp;
  let election: ElectionDetail;
  let resident: Awaited<ReturnType<typeof enrolResidents>>[number];

  beforeAll(async () => {
    app = await startIdentityApp('pglite', { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
    ({ election } = await openElectionWithOneTrustee(app));
    resident = (await enrolResidents(app, 1, 'NONCE'))[0]!;
  }, 60_000);
  afterAll(async () => {
    await app?.destroy();
  });

  const challenge = async () => CredentialChallengeResponse.parse(await resident!.client.json(resident!.client.post(`/api/elections/${election.id}/credential-challenge`)));
  const stored = () => app.database.prisma.credentialNonce.count();

  it(`keeps at most ${NONCES_PER_ELECTOR} per elector: the oldest beyond that stops working`, async () => {
    const challenges = [];
    for (let i = 0; i < NONCES_PER_ELECTOR + 3; i++) challenges.push(await challenge());
    expect(await stored()).toBe(NONCES_PER_ELECTOR);
    const oldest = await credentialRequestBody(resident!.authenticator, challenges[0]!);
    expect(await ApiClient.errorCode(resident!.client.post(`/api/elections/${election.id}/credentials`, oldest.request))).toMatchObject({ status: 400, code: 'CHALLENGE_EXPIRED' });
    // The newest still works.
    const newest = await credentialRequestBody(resident!.authenticator, challenges.at(-1)!);
    await resident!.client.json(resident!.client.post(`/api/elections/${election.id}/credentials`, newest.request), 201);
  });

  it('deletes expired challenges on the scheduler’s pass', async () => {
    await app.database.prisma.credentialNonce.create({
      data: { nonce: new Uint8Array(32).fill(7), electionId: election.id, electorId: (await app.database.prisma.elector.findFirstOrThrow()).id, expiresAt: new Date(Date.now() - 1000) },
    });
    const before = await stored();
    await app.app.get(ElectionScheduler).tick();
    expect(await stored()).toBe(before - 1);
    expect(await app.database.prisma.credentialNonce.count({ where: { expiresAt: { lte: new Date() } } })).toBe(0);
  });
});
