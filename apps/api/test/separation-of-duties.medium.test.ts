import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElectionDetail, SessionResponse, StaffInvitationCreated } from '@townhall/protocol';
import { acceptInvitation, ApiClient } from '@townhall/client-flows';
import { newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { demoDraft } from './elections-support.ts';

const tokenOf = (url: string) => url.split('/').pop()!;

async function staffIdOf(client: ApiClient): Promise<string> {
  const session = SessionResponse.parse(await client.json(client.get('/api/session')));
  if (session.principal.kind !== 'staff') throw new Error('not staff');
  return session.principal.staffId;
}

/** A trustee who accepted an invitation for `electionId` from `officer`. */
async function invitedTrustee(app: RunningApp, officer: ApiClient, electionId: string, name: string) {
  const created = StaffInvitationCreated.parse(await officer.json(officer.post(`/api/staff/elections/${electionId}/trustees/invitations`, { displayName: name }), 201));
  const browser = await newBrowser(app);
  await acceptInvitation(browser.client, browser.authenticator, tokenOf(created.url));
  return { client: browser.client, staffId: await staffIdOf(browser.client) };
}

// Issue: one official could define an election with themselves as its only trustee (k = 1), hold
// the whole key, and decrypt every ballot. Trustees now come only from accepted invitations for the
// election, its officials can never be its trustees, and k ≥ 2 of n ≥ 3 unless a demo deployment
// waives it — and then the manifest says so.
describe('elections: separation of duties and the trustee minimum', () => {
  let app: RunningApp;
  let officer: ApiClient;
  let officerId: string;
  let draft: ElectionDetail;
  let trustees: { client: ApiClient; staffId: string }[];
  /** Accepted a trustee invitation for the election, but the ceremony does not name them. */
  let unnamed: { client: ApiClient; staffId: string };

  beforeAll(async () => {
    app = await startIdentityApp('postgres');
    officer = (await staffMember(app, 'officer', 'Olive Officer')).client;
    officerId = await staffIdOf(officer);
    draft = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft({ title: 'Separated duties' })), 201));
    trustees = [];
    for (const name of ['Tara', 'Theo', 'Tina']) trustees.push(await invitedTrustee(app, officer, draft.id, name));
    unnamed = await invitedTrustee(app, officer, draft.id, 'Tom');
  }, 90_000);
  afterAll(async () => {
    await app?.destroy();
  });

  const ceremony = (client: ApiClient, body: unknown) => ApiClient.errorCode(client.post(`/api/official/elections/${draft.id}/ceremony`, body));
  const statusOf = async () => (await app.database.prisma.election.findUniqueOrThrow({ where: { id: draft.id } })).status;

  it('refuses fewer than 3 trustees or a threshold below 2, naming the field, and freezes nothing', async () => {
    const [a, b] = trustees;
    const one = await ceremony(officer, { threshold: 1, trustees: [a!.staffId] });
    expect(one).toMatchObject({ status: 422, code: 'ELECTION_INVALID' });
    expect(one.message).toContain('at least 3 trustees');
    expect(await ceremony(officer, { threshold: 2, trustees: [a!.staffId, b!.staffId] })).toMatchObject({ status: 422, code: 'ELECTION_INVALID' });
    expect(await ceremony(officer, { threshold: 1, trustees: trustees.map((t) => t.staffId) })).toMatchObject({ status: 422, code: 'ELECTION_INVALID' });
    expect(await statusOf()).toBe('draft');
  });

  it('refuses as trustee anyone who has not accepted a trustee invitation for this election — the officer included', async () => {
    const self = await ceremony(officer, { threshold: 2, trustees: [officerId, trustees[0]!.staffId, trustees[1]!.staffId] });
    expect(self).toMatchObject({ status: 422, code: 'ELECTION_INVALID' });
    expect(self.message).toContain('has not accepted a trustee invitation for this election');
    // A trustee of another election is not a trustee of this one.
    const other = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft({ title: 'Another poll' })), 201));
    const elsewhere = await invitedTrustee(app, officer, other.id, 'Elsewhere');
    expect(await ceremony(officer, { threshold: 2, trustees: [elsewhere.staffId, trustees[0]!.staffId, trustees[1]!.staffId] })).toMatchObject({ status: 422, code: 'ELECTION_INVALID' });
    expect(await statusOf()).toBe('draft');
  });

  it('refuses as trustee an official of the election even when they hold its trustee role', async () => {
    // As if an administrator had granted the officer this election's trustee role by hand.
    await app.database.prisma.staffRole.create({ data: { staffId: officerId, role: 'trustee', electionId: draft.id } });
    const second = (await staffMember(app, 'officer', 'Second Officer')).client;
    const refused = await ceremony(second, { threshold: 2, trustees: [officerId, trustees[0]!.staffId, trustees[1]!.staffId] });
    expect(refused).toMatchObject({ status: 422, code: 'ELECTION_INVALID' });
    expect(refused.message).toContain('separation of duties');
    // And an officer who is a trustee of the election cannot run it: the guard refuses, nothing changes.
    const before = await app.database.prisma.election.findUniqueOrThrow({ where: { id: draft.id } });
    for (const request of [officer.request('PUT', `/api/official/elections/${draft.id}`, { body: demoDraft({ title: 'Renamed' }) }), officer.post(`/api/official/elections/${draft.id}/open`, {})]) {
      const answer = await ApiClient.errorCode(request);
      expect(answer).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(answer.message).toContain('trustee of this election');
    }
    expect(await app.database.prisma.election.findUniqueOrThrow({ where: { id: draft.id } })).toEqual(before);
    await app.database.prisma.staffRole.deleteMany({ where: { staffId: officerId, role: 'trustee', electionId: draft.id } });
  });

  it('starts a 2-of-3 ceremony with invited trustees; an official of it who holds a trustee role cannot act as trustee', async () => {
    const started = ElectionDetail.parse(await officer.json(officer.post(`/api/official/elections/${draft.id}/ceremony`, { threshold: 2, trustees: trustees.map((t) => t.staffId) })));
    expect(started.manifest?.ceremony).toEqual({ threshold: 2, trustees: 3 });
    // The officer ran this election (recorded when they acted on it); given its trustee role by hand, the trustee routes still refuse them.
    await app.database.prisma.staffRole.create({ data: { staffId: officerId, role: 'trustee', electionId: draft.id } });
    const answer = await ApiClient.errorCode(officer.post(`/api/trustee/elections/${draft.id}/commitment`, { commitment: '00' }));
    expect(answer).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(answer.message).toContain('separation of duties');
    expect(await app.database.prisma.electionTrustee.count({ where: { electionId: draft.id, commitment: { not: null } } })).toBe(0);
  });

  it('answers a trustee the ceremony does not name as for a missing election', async () => {
    // The guard lets them through (they hold the election's trustee role); their seat is what is missing.
    for (const step of ['commitment', 'partial-decryption']) {
      const body = step === 'commitment' ? { commitment: '00' } : { shares: [] };
      expect(await ApiClient.errorCode(unnamed.client.post(`/api/trustee/elections/${draft.id}/${step}`, body))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    expect(await app.database.prisma.electionTrustee.count({ where: { electionId: draft.id, commitment: { not: null } } })).toBe(0);
  });
});

describe('elections: a demo deployment may waive the trustee minimum, and the manifest says so', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startIdentityApp('pglite', { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
  }, 60_000);
  afterAll(async () => {
    await app?.destroy();
  });

  it('accepts 1 of 1 and marks the frozen manifest minimumWaived (a 2-of-3 election is not marked)', async () => {
    const officer = (await staffMember(app, 'officer', 'Demo Officer')).client;
    const small = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft({ title: 'Demo only' })), 201));
    const only = await invitedTrustee(app, officer, small.id, 'Solo');
    const frozen = ElectionDetail.parse(await officer.json(officer.post(`/api/official/elections/${small.id}/ceremony`, { threshold: 1, trustees: [only.staffId] })));
    expect(frozen.manifest?.ceremony).toEqual({ threshold: 1, trustees: 1, minimumWaived: true });

    const full = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft({ title: 'Full' })), 201));
    const three = [];
    for (const name of ['A', 'B', 'C']) three.push(await invitedTrustee(app, officer, full.id, name));
    const normal = ElectionDetail.parse(await officer.json(officer.post(`/api/official/elections/${full.id}/ceremony`, { threshold: 2, trustees: three.map((t) => t.staffId) })));
    expect(normal.manifest?.ceremony).toEqual({ threshold: 2, trustees: 3 });
  });
});
