import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElectionDetail, StaffActionsResponse, StaffInvitationCreated, StaffInvitationSummary, StaffListResponse } from '@townhall/protocol';
import { acceptInvitation, ApiClient } from '@townhall/client-flows';
import { newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { demoDraft } from './elections-support.ts';

const tokenOf = (url: string) => url.split('/').pop()!;
const missingId = '00000000-0000-4000-8000-000000000000';

// The rule (docs/decisions/0004-identity.md, "Who may invite whom"): officers run the council's
// elections, so an officer lists and invites the trustees of an election, only trustees, and only
// while that election is a draft; administrators may do the same and invite anyone.
describe('staff: officers invite the trustees of the elections they run', () => {
  let app: RunningApp;
  let officer: ApiClient;
  let admin: ApiClient;
  let draft: ElectionDetail;

  beforeAll(async () => {
    // Two trustees join here: below a real election's minimum, which this test is not about.
    app = await startIdentityApp('postgres', { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
    officer = (await staffMember(app, 'officer', 'Olive Officer')).client;
    admin = (await staffMember(app, 'admin', 'Ada Admin')).client;
    draft = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft({ title: 'Parish poll' })), 201));
  }, 60_000);
  afterAll(async () => {
    await app?.destroy();
  });

  it('lets an officer invite trustees of a draft; they join and are listed in the order they joined', async () => {
    const trustees = StaffListResponse.parse(await officer.json(officer.get(`/api/staff/elections/${draft.id}/trustees`)));
    expect(trustees.staff).toEqual([]);

    const names = ['Tess Trustee', 'Tom Trustee'];
    for (const name of names) {
      const created = StaffInvitationCreated.parse(await officer.json(officer.post(`/api/staff/elections/${draft.id}/trustees/invitations`, { displayName: ` ${name} ` }), 201));
      const trustee = await newBrowser(app);
      const summary = StaffInvitationSummary.parse(await trustee.client.json(trustee.client.get(`/api/staff/invitations/${tokenOf(created.url)}`)));
      expect(summary).toMatchObject({ role: 'trustee', electionId: draft.id, displayName: name });
      const session = await acceptInvitation(trustee.client, trustee.authenticator, tokenOf(created.url));
      expect(session.principal).toMatchObject({ kind: 'staff', roles: [{ role: 'trustee', electionId: draft.id }] });
    }

    // The officer sees exactly this election's trustees (not the other staff), in joining order.
    const listed = StaffListResponse.parse(await officer.json(officer.get(`/api/staff/elections/${draft.id}/trustees`)));
    expect(listed.staff.map((s) => s.displayName)).toEqual(names);
    expect(listed.staff.every((s) => s.activePasskeys === 1)).toBe(true);
    // An administrator sees the same list.
    expect(StaffListResponse.parse(await admin.json(admin.get(`/api/staff/elections/${draft.id}/trustees`)))).toEqual(listed);
    // The officer still cannot list all staff.
    expect((await ApiClient.errorCode(officer.get('/api/staff'))).status).toBe(403);
  });

  it('records who invited whom in the staff audit trail', async () => {
    const actions = StaffActionsResponse.parse(await admin.json(admin.get('/api/staff/actions')));
    const invites = actions.actions.filter((a) => a.action === 'staff.invite-trustee');
    expect(invites).toHaveLength(2);
    expect(invites.every((a) => a.staffName === 'Olive Officer' && a.detail.outcome === 'ok' && a.detail.electionId === draft.id)).toBe(true);
    expect(actions.actions.some((a) => a.action === 'staff.list-trustees' && a.target === draft.id)).toBe(true);
  });

  it('refuses an officer any other role, through either route', async () => {
    for (const role of ['officer', 'admin']) {
      expect((await ApiClient.errorCode(officer.post('/api/staff/invitations', { role, displayName: 'Mallory' }))).status).toBe(403);
    }
    // The route's body names the trustee only: a role smuggled in is a validation error, not an invitation.
    const smuggled = await ApiClient.errorCode(officer.post(`/api/staff/elections/${draft.id}/trustees/invitations`, { displayName: 'Mallory', role: 'admin' }));
    expect(smuggled).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const empty = await ApiClient.errorCode(officer.post(`/api/staff/elections/${draft.id}/trustees/invitations`, { displayName: '  ' }));
    expect(empty).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers an unknown or malformed election with 404 and creates nothing', async () => {
    const before = await app.database.prisma.staffInvitation.count();
    for (const id of [missingId, 'not-an-id']) {
      expect(await ApiClient.errorCode(officer.post(`/api/staff/elections/${id}/trustees/invitations`, { displayName: 'Nobody' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      // The administrators' route too (issue #15: it used to create an invitation to an election that does not exist).
      expect(await ApiClient.errorCode(admin.post('/api/staff/invitations', { role: 'trustee', displayName: 'Nobody', electionId: id }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(await ApiClient.errorCode(officer.get(`/api/staff/elections/${id}/trustees`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    expect(await app.database.prisma.staffInvitation.count()).toBe(before);
  });

  it('refuses new trustees once the key ceremony has started, and creates nothing', async () => {
    const trustees = StaffListResponse.parse(await officer.json(officer.get(`/api/staff/elections/${draft.id}/trustees`)));
    // An invitation made while the election was a draft, not yet accepted when the ceremony starts.
    const pending = StaffInvitationCreated.parse(await officer.json(officer.post(`/api/staff/elections/${draft.id}/trustees/invitations`, { displayName: 'Slow Trustee' }), 201));
    await officer.json(officer.post(`/api/official/elections/${draft.id}/ceremony`, { threshold: 2, trustees: trustees.staff.map((s) => s.id) }));
    // It can no longer be opened or accepted: nobody joins with the role after the ceremony started.
    const slow = await newBrowser(app);
    const staffBefore = await app.database.prisma.staffMember.count();
    for (const attempt of [slow.client.get(`/api/staff/invitations/${tokenOf(pending.url)}`), slow.client.post(`/api/staff/invitations/${tokenOf(pending.url)}/start`)]) {
      const refused = await ApiClient.errorCode(attempt);
      expect(refused).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
      expect(refused.message).toContain('key ceremony has started');
    }
    expect(await app.database.prisma.staffMember.count()).toBe(staffBefore);
    const before = await app.database.prisma.staffInvitation.count();
    const late = await ApiClient.errorCode(officer.post(`/api/staff/elections/${draft.id}/trustees/invitations`, { displayName: 'Late Trustee' }));
    expect(late).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
    expect(late.message).toContain('draft');
    // The administrators' route follows the same rule.
    const lateByAdmin = await ApiClient.errorCode(admin.post('/api/staff/invitations', { role: 'trustee', displayName: 'Late Trustee', electionId: draft.id }));
    expect(lateByAdmin).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
    expect(await app.database.prisma.staffInvitation.count()).toBe(before);
    // Listing still works after the ceremony has started (the official app shows who holds the key).
    expect(StaffListResponse.parse(await officer.json(officer.get(`/api/staff/elections/${draft.id}/trustees`))).staff).toHaveLength(2);
  });
});
