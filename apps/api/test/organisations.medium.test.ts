import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppointmentCode,
  AppointmentList,
  AppointmentMadeBody,
  AppointmentSummary,
  MembershipCheckResult,
  MembershipCode,
  MembershipGrantedBody,
  MyOrganisation,
  MyOrganisationList,
  OrganisationInvitationCreated,
  OrganisationInvitationSummary,
  OrganisationMemberList,
  OrganisationPublicPage,
  OrganisationRegisteredBody,
  OrganisationSummary,
  RegistrationOptionsResponse,
  SessionResponse,
  type AppointmentPurpose,
  type OrganisationRegistration,
} from '@townhall/protocol';
import { decodeEntry, verifyChain } from '@townhall/ledger';
import type { Principal } from '../src/common/access.ts';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { AppointmentsService } from '../src/organisations/appointments.service.ts';
import { ApiClient, enrolOk, signInOk, type SoftwareAuthenticator } from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { dialects } from './support/test-database.ts';

const code = ApiClient.errorCode;
type Browser = { client: ApiClient; authenticator: SoftwareAuthenticator };

const DATES_OF_BIRTH: Record<string, string> = {
  'CAS-0001': '1984-03-12',
  'CAS-0002': '1979-11-02',
  'CAS-0003': '1992-07-23',
  'CAS-0004': '1968-01-30',
  'CAS-0005': '1990-04-04',
  'CAS-0006': '1958-09-21',
  'CAS-0007': '1986-12-12',
  'CAS-0008': '1975-03-03',
};

const contractor = (overrides: Partial<OrganisationRegistration> = {}): OrganisationRegistration => ({
  kind: 'contractor',
  legalName: 'Castle Roofing Ltd',
  companyNumber: '01234567',
  address: '1 Yard Lane, Castleton DB1 9ZZ',
  ...overrides,
});
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
const tokenOf = (invitation: OrganisationInvitationCreated) => invitation.url.split('/').pop()!;

describe.each(dialects)('organisations and appointments on %s', (dialect) => {
  let app: RunningApp;
  let admin: ApiClient;
  let officer: ApiClient;
  const residents: Record<string, Browser & { electorId: string }> = {};

  /** A resident who claimed their roll entry with a poll card (signed in). */
  async function resident(electorNumber: string) {
    if (residents[electorNumber]) return residents[electorNumber];
    const browser = await newBrowser(app);
    await enrolOk(browser.client, browser.authenticator, {
      activationCode: await issueCard(app, electorNumber),
      dateOfBirth: DATES_OF_BIRTH[electorNumber]!,
    });
    const elector = await app.database.prisma.elector.findFirstOrThrow({ where: { electorNumber } });
    return (residents[electorNumber] = { ...browser, electorId: elector.id });
  }

  async function register(overrides: Partial<OrganisationRegistration> = {}): Promise<OrganisationSummary> {
    return OrganisationSummary.parse(await admin.json(admin.post('/api/official/organisations', contractor(overrides)), 201));
  }

  async function inviteAdministrator(organisationId: string, displayName = 'Rosa Roofer'): Promise<OrganisationInvitationCreated> {
    return OrganisationInvitationCreated.parse(
      await admin.json(admin.post(`/api/official/organisations/${organisationId}/invitations`, { displayName }), 201),
    );
  }

  /** A new person joins with a new passkey through the invitation link; returns their signed-in browser. */
  async function joinAsNewPerson(token: string): Promise<Browser> {
    const browser = await newBrowser(app);
    const { options } = RegistrationOptionsResponse.parse(
      await browser.client.json(browser.client.post(`/api/organisation-invitations/${token}/start`)),
    );
    const session = SessionResponse.parse(
      await browser.client.json(
        browser.client.post(`/api/organisation-invitations/${token}/finish`, { response: browser.authenticator.create(options) }),
      ),
    );
    browser.client.csrfToken = session.csrfToken;
    return browser;
  }

  async function entryAt(index: string) {
    const [entry] = await app.app.get(LedgerService).entries(REGISTRY_LOG, BigInt(index), BigInt(index) + 1n);
    return decodeEntry(entry!.bytes);
  }

  const asResident = (electorId: string): Principal => ({ kind: 'resident', electorId, sessionId: 'test', passkeyId: null });

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
    admin = (await staffMember(app, 'admin', 'Ada Admin')).client;
    officer = (await staffMember(app, 'officer', 'Otto Officer')).client;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  describe('registering an organisation', () => {
    it('registers it with an OrganisationRegistered entry holding its public facts and nothing about people', async () => {
      const organisation = await register({ companyNumber: 'sc 123456', legalName: 'Moat Plumbing Ltd' });
      expect(organisation).toMatchObject({
        kind: 'contractor',
        legalName: 'Moat Plumbing Ltd',
        companyNumber: 'SC123456',
        status: 'active',
        currentMembers: 0,
      });
      const entry = await entryAt(organisation.registeredIndex);
      expect(entry.type).toBe('OrganisationRegistered');
      expect(OrganisationRegisteredBody.parse(entry.body)).toMatchObject({
        organisationId: organisation.id,
        companyNumber: 'SC123456',
        charityNumber: null,
      });
      // The address is not a fact the ledger needs: it stays in the register.
      expect(JSON.stringify(entry.body)).not.toContain('Yard Lane');
    });

    it('checks Companies House and charity numbers and says what a valid one looks like', async () => {
      for (const companyNumber of ['1234567', '123456789', 'S1234567', 'SC12345X']) {
        const refused = await code(admin.post('/api/official/organisations', contractor({ companyNumber })));
        expect(refused).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
        expect(refused.issues).toEqual([{ path: 'companyNumber', message: expect.stringContaining('SC123456') }]);
      }
      const charity = await code(
        admin.post('/api/official/organisations', contractor({ kind: 'charity', companyNumber: null, charityNumber: '12345' })),
      );
      expect(charity).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'charityNumber', message: expect.stringContaining('6 to 8 digits') }],
      });
      expect(
        await register({ kind: 'charity', legalName: 'Keep Lane Food Bank', companyNumber: null, charityNumber: '1123456-1' }),
      ).toMatchObject({
        charityNumber: '1123456-1',
        companyNumber: null,
      });
      const kind = await code(
        admin.post('/api/official/organisations', contractor({ kind: 'guild' as never, companyNumber: '07654321' })),
      );
      expect(kind).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', issues: [{ path: 'kind' }] });
    });

    it('refuses a second registration of the same number', async () => {
      await register({ companyNumber: '00000042', legalName: 'First Ltd' });
      expect(await code(admin.post('/api/official/organisations', contractor({ companyNumber: '00000042' })))).toMatchObject({
        status: 409,
        code: 'CONFLICT',
      });
    });

    it('lets only council administrators register, change status or invite', async () => {
      const organisation = await register({ companyNumber: '00000043' });
      expect((await code(officer.post('/api/official/organisations', contractor({ companyNumber: '00000044' })))).code).toBe('FORBIDDEN');
      expect((await code(officer.post(`/api/official/organisations/${organisation.id}/status`, { status: 'suspended' }))).code).toBe(
        'FORBIDDEN',
      );
      const amira = await resident('CAS-0001');
      expect(
        (await code(amira.client.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName: 'X' }))).code,
      ).toBe('FORBIDDEN');
    });
  });

  describe('members', () => {
    it('a new person joins by a one-time link with a passkey, signs in again later, and the link works once', async () => {
      const organisation = await register({ companyNumber: '10000001' });
      const invitation = await inviteAdministrator(organisation.id);
      const token = tokenOf(invitation);
      const anonymous = (await newBrowser(app)).client;
      expect(
        OrganisationInvitationSummary.parse(await anonymous.json(anonymous.get(`/api/organisation-invitations/${token}`))),
      ).toMatchObject({
        organisation: { id: organisation.id, legalName: 'Castle Roofing Ltd' },
        displayName: 'Rosa Roofer',
        roles: ['administrator'],
      });
      const rosa = await joinAsNewPerson(token);
      expect((await rosa.client.session()).principal).toEqual({ kind: 'person', displayName: 'Rosa Roofer' });
      const mine = MyOrganisationList.parse(await rosa.client.json(rosa.client.get('/api/account/organisations')));
      expect(mine.organisations).toEqual([
        expect.objectContaining({ organisation: expect.objectContaining({ id: organisation.id }), roles: ['administrator'] }),
      ]);
      const granted = await entryAt(mine.organisations[0]!.grantedIndex);
      expect(granted.type).toBe('MembershipGranted');
      expect(MembershipGrantedBody.parse(granted.body)).toMatchObject({ organisationId: organisation.id, roles: ['administrator'] });
      expect(JSON.stringify(granted.body)).not.toContain('Rosa');

      // Single use: the link is now unknown, to anyone.
      expect(await code(anonymous.get(`/api/organisation-invitations/${token}`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect((await code((await newBrowser(app)).client.post(`/api/organisation-invitations/${token}/start`))).code).toBe('NOT_FOUND');

      // The person signs in with their passkey in another session, like anyone else.
      const again = new ApiClient(app.baseUrl, rosa.client.origin);
      await again.session();
      const session = await signInOk(again, rosa.authenticator);
      expect(session.principal).toEqual({ kind: 'person', displayName: 'Rosa Roofer' });
      // A person is not a resident: resident routes refuse them.
      expect((await code(again.get('/api/account'))).code).toBe('FORBIDDEN');
    });

    it('an expired link is refused like an unknown one', async () => {
      const organisation = await register({ companyNumber: '10000002' });
      const invitation = await inviteAdministrator(organisation.id);
      await app.database.prisma.organisationInvitation.update({
        where: { id: invitation.invitationId },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect(await code((await newBrowser(app)).client.get(`/api/organisation-invitations/${tokenOf(invitation)}`))).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
      });
    });

    it('a signed-in resident links their existing identity without a new passkey, and may belong to several organisations', async () => {
      const amira = await resident('CAS-0001');
      const passkeysBefore = await app.database.prisma.passkey.count({ where: { electorId: amira.electorId } });
      const first = await register({ companyNumber: '10000003', legalName: 'First Builders Ltd' });
      const second = await register({ kind: 'housing-association', companyNumber: '10000004', legalName: 'Moat Homes' });
      for (const organisation of [first, second]) {
        const joined = MyOrganisation.parse(
          await amira.client.json(
            amira.client.post(`/api/organisation-invitations/${tokenOf(await inviteAdministrator(organisation.id, 'Amira P'))}/link`),
          ),
        );
        expect(joined).toMatchObject({ organisation: { id: organisation.id }, roles: ['administrator'] });
      }
      expect(await app.database.prisma.passkey.count({ where: { electorId: amira.electorId } })).toBe(passkeysBefore);
      const mine = MyOrganisationList.parse(await amira.client.json(amira.client.get('/api/account/organisations')));
      expect(mine.organisations.map((m) => m.organisation.id).sort()).toEqual([first.id, second.id].sort());
      // Her pseudonym differs per organisation: the two memberships cannot be joined from the ledger.
      const pseudonyms = await Promise.all(mine.organisations.map(async (m) => (await entryAt(m.grantedIndex)).body.member));
      expect(new Set(pseudonyms).size).toBe(2);
      // A second link to the same organisation: she is a member already.
      const again = await code(
        amira.client.post(`/api/organisation-invitations/${tokenOf(await inviteAdministrator(first.id, 'Amira P'))}/link`),
      );
      expect(again).toMatchObject({ status: 409, code: 'CONFLICT' });
      // Staff cannot link a staff identity to an organisation.
      expect((await code(admin.post(`/api/organisation-invitations/${tokenOf(await inviteAdministrator(first.id))}/link`))).code).toBe(
        'FORBIDDEN',
      );
    });

    it('the organisation’s administrators invite, give roles and remove members; members who are not administrators cannot', async () => {
      const organisation = await register({ companyNumber: '10000005' });
      const boss = await joinAsNewPerson(tokenOf(await inviteAdministrator(organisation.id, 'Bea Boss')));
      const invited = OrganisationInvitationCreated.parse(
        await boss.client.json(
          boss.client.post(`/api/organisations/${organisation.id}/invitations`, {
            displayName: 'Will Worker',
            roles: ['member', 'gas-safe'],
          }),
          201,
        ),
      );
      const worker = await joinAsNewPerson(tokenOf(invited));
      const badRole = await code(
        boss.client.post(`/api/organisations/${organisation.id}/invitations`, { displayName: 'X', roles: ['Gas Safe'] }),
      );
      expect(badRole).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'roles.0', message: expect.stringContaining('lower-case') }],
      });

      const list = OrganisationMemberList.parse(await boss.client.json(boss.client.get(`/api/organisations/${organisation.id}/members`)));
      expect(list.members.map((m) => [m.displayName, m.roles, m.accountKind])).toEqual([
        ['Bea Boss', ['administrator'], 'person'],
        ['Will Worker', ['gas-safe', 'member'], 'person'],
      ]);
      const workerId = list.members[1]!.id;
      // A member without the administrator role: refused.
      expect(await code(worker.client.get(`/api/organisations/${organisation.id}/members`))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
      expect((await code(worker.client.post(`/api/organisations/${organisation.id}/members/${workerId}/remove`))).code).toBe('FORBIDDEN');
      // An administrator of another organisation: refused.
      const other = await register({ companyNumber: '10000006' });
      const otherBoss = await joinAsNewPerson(tokenOf(await inviteAdministrator(other.id, 'Olga Other')));
      expect((await code(otherBoss.client.get(`/api/organisations/${organisation.id}/members`))).code).toBe('FORBIDDEN');
      expect((await code(otherBoss.client.post(`/api/organisations/${other.id}/members/${workerId}/remove`))).code).toBe('NOT_FOUND');

      // Roles change with a new MembershipGranted entry.
      const promoted = await boss.client.json<{ roles: string[]; grantedIndex: string }>(
        boss.client.post(`/api/organisations/${organisation.id}/members/${workerId}/roles`, { roles: ['administrator', 'member'] }),
      );
      expect(promoted.roles).toEqual(['administrator', 'member']);
      expect((await entryAt(promoted.grantedIndex)).body).toMatchObject({ roles: ['administrator', 'member'] });
      expect(
        (await worker.client.json<OrganisationMemberList>(worker.client.get(`/api/organisations/${organisation.id}/members`))).members,
      ).toHaveLength(2);

      // Removed: the next request no longer holds the role; a MembershipRevoked entry.
      const removedAt = (await app.app.get(LedgerService).getLog(REGISTRY_LOG)).size;
      expect((await boss.client.post(`/api/organisations/${organisation.id}/members/${workerId}/remove`)).status).toBe(204);
      expect((await entryAt(removedAt.toString())).type).toBe('MembershipRevoked');
      expect((await code(worker.client.get(`/api/organisations/${organisation.id}/members`))).code).toBe('FORBIDDEN');
      expect(MyOrganisationList.parse(await worker.client.json(worker.client.get('/api/account/organisations'))).organisations).toEqual(
        [],
      );
      expect((await code(boss.client.post(`/api/organisations/${organisation.id}/members/${workerId}/remove`))).code).toBe('NOT_FOUND');

      // The last administrator stays.
      const bossId = list.members[0]!.id;
      expect(await code(boss.client.post(`/api/organisations/${organisation.id}/members/${bossId}/remove`))).toMatchObject({
        status: 409,
        code: 'CONFLICT',
      });
      expect(
        (await code(boss.client.post(`/api/organisations/${organisation.id}/members/${bossId}/roles`, { roles: ['member'] }))).code,
      ).toBe('CONFLICT');
    });

    it('suspending takes the organisation’s roles away from the next request; reinstating gives them back; closing is final', async () => {
      const organisation = await register({ companyNumber: '10000007' });
      const boss = await joinAsNewPerson(tokenOf(await inviteAdministrator(organisation.id, 'Sam Supervisor')));
      const membersUrl = `/api/organisations/${organisation.id}/members`;
      await boss.client.json(boss.client.get(membersUrl));
      const codeShown = MembershipCode.parse(
        await boss.client.json(boss.client.post(`/api/account/organisations/${organisation.id}/membership-code`)),
      );

      await admin.json(admin.post(`/api/official/organisations/${organisation.id}/status`, { status: 'suspended' }));
      expect(await code(boss.client.get(membersUrl))).toMatchObject({ status: 403, code: 'ORGANISATION_NOT_ACTIVE' });
      expect((await code(boss.client.post(`/api/organisations/${organisation.id}/invitations`, { displayName: 'X' }))).code).toBe(
        'ORGANISATION_NOT_ACTIVE',
      );
      expect((await code(boss.client.post(`/api/account/organisations/${organisation.id}/membership-code`))).code).toBe(
        'ORGANISATION_NOT_ACTIVE',
      );
      expect((await code(admin.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName: 'X' }))).code).toBe(
        'ORGANISATION_NOT_ACTIVE',
      );
      const anonymous = (await newBrowser(app)).client;
      expect(
        (await code(anonymous.post(`/api/organisations/${organisation.id}/public/check-member`, { code: codeShown.code }))).code,
      ).toBe('NOT_FOUND');
      expect((await code(admin.post(`/api/official/organisations/${organisation.id}/status`, { status: 'suspended' }))).code).toBe(
        'CONFLICT',
      );

      await admin.json(admin.post(`/api/official/organisations/${organisation.id}/status`, { status: 'active' }));
      await boss.client.json(boss.client.get(membersUrl));
      await admin.json(admin.post(`/api/official/organisations/${organisation.id}/status`, { status: 'closed' }));
      expect((await code(boss.client.get(membersUrl))).code).toBe('ORGANISATION_NOT_ACTIVE');
      expect(await code(admin.post(`/api/official/organisations/${organisation.id}/status`, { status: 'active' }))).toMatchObject({
        status: 409,
        code: 'CONFLICT',
      });

      // The public page: facts and status history, each with a receipt from the registry log.
      const page = OrganisationPublicPage.parse(await anonymous.json(anonymous.get(`/api/organisations/${organisation.id}/public`)));
      expect(page).toMatchObject({ legalName: 'Castle Roofing Ltd', companyNumber: '10000007', status: 'closed', currentMembers: 1 });
      expect(page).not.toHaveProperty('address');
      expect(page.history.map((h) => [h.type, h.status])).toEqual([
        ['OrganisationRegistered', 'active'],
        ['OrganisationStatusChanged', 'suspended'],
        ['OrganisationStatusChanged', 'active'],
        ['OrganisationStatusChanged', 'closed'],
      ]);
      await app.app.get(LedgerService).checkpointNow(REGISTRY_LOG);
      for (const item of page.history) {
        expect((await entryAt(item.ledgerIndex)).body).toMatchObject({ organisationId: organisation.id });
        expect((await anonymous.get(`/api/ledger/registry/receipt/${item.ledgerIndex}`)).status).toBe(200);
      }
      expect((await code(anonymous.get('/api/organisations/not-an-id/public'))).code).toBe('NOT_FOUND');
    });
  });

  describe('checking a member at the door', () => {
    it('confirms a current member’s short-lived code and nothing else', async () => {
      const organisation = await register({ companyNumber: '20000001' });
      const other = await register({ companyNumber: '20000002' });
      const fitter = await joinAsNewPerson(tokenOf(await inviteAdministrator(organisation.id, 'Fred Fitter')));
      const shown = MembershipCode.parse(
        await fitter.client.json(fitter.client.post(`/api/account/organisations/${organisation.id}/membership-code`)),
      );
      expect(shown.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(new Date(shown.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);

      const door = (await newBrowser(app)).client;
      const checked = MembershipCheckResult.parse(
        await door.json(door.post(`/api/organisations/${organisation.id}/public/check-member`, { code: shown.code.toLowerCase() })),
      );
      expect(checked).toMatchObject({
        isCurrentMember: true,
        displayName: 'Fred Fitter',
        roles: ['administrator'],
        organisation: { id: organisation.id },
      });
      // The same code against another organisation, a made-up code, a malformed one: no.
      expect(await code(door.post(`/api/organisations/${other.id}/public/check-member`, { code: shown.code }))).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
      });
      expect((await code(door.post(`/api/organisations/${organisation.id}/public/check-member`, { code: 'ABCDE-FGHJK' }))).code).toBe(
        'NOT_FOUND',
      );
      expect((await code(door.post(`/api/organisations/${organisation.id}/public/check-member`, { code: '123' }))).code).toBe(
        'VALIDATION_FAILED',
      );
      // Someone who is not a member of it cannot make one.
      expect((await code(fitter.client.post(`/api/account/organisations/${other.id}/membership-code`))).code).toBe('NOT_FOUND');
      // An expired code: no.
      await app.database.prisma.membershipCode.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await code(door.post(`/api/organisations/${organisation.id}/public/check-member`, { code: shown.code }))).code).toBe(
        'NOT_FOUND',
      );
    });
  });

  describe('appointments', () => {
    async function appointmentCodeOf(browser: Browser): Promise<string> {
      return AppointmentCode.parse(await browser.client.json(browser.client.post('/api/account/appointment-code'))).code;
    }
    async function appoint(appointer: Browser, representative: Browser, purposes: AppointmentPurpose[] = ['manage-council-services']) {
      const body = { representativeCode: await appointmentCodeOf(representative), purposes, endsOn: inAYear() };
      return AppointmentSummary.parse(await appointer.client.json(appointer.client.post('/api/appointments', body), 201));
    }
    const resolve = (principal: Principal, forId: string, purpose: AppointmentPurpose = 'manage-council-services') =>
      app.app.get(AppointmentsService).resolveActingFor(principal, forId, purpose, 'test: looked at council tax');

    it('takes effect when accepted; serves only the purposes it names; records every use; either side ends it', async () => {
      const george = await resident('CAS-0006');
      const owen = await resident('CAS-0002');
      const made = await appoint(george, owen, ['manage-council-services', 'receive-correspondence']);
      expect(made).toMatchObject({ role: 'appointer', otherParty: 'Owen', state: 'waiting-for-acceptance', basis: 'resident' });
      const madeEntry = await entryAt(made.ledger.made);
      expect(madeEntry.type).toBe('AppointmentMade');
      expect(AppointmentMadeBody.parse(madeEntry.body)).toMatchObject({
        appointmentId: made.id,
        purposes: ['manage-council-services', 'receive-correspondence'],
      });
      expect(JSON.stringify(madeEntry.body)).not.toMatch(/George|Owen|CAS-000|Lindqvist|Hughes/);
      expect(JSON.stringify(madeEntry.body)).not.toContain(george.electorId);

      await expect(resolve(asResident(owen.electorId), george.electorId)).rejects.toMatchObject({
        code: 'APPOINTMENT_NOT_ACCEPTED',
        status: 403,
      });
      // Only the representative accepts; to anyone else it does not exist.
      expect(await code(george.client.post(`/api/appointments/${made.id}/accept`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      const accepted = AppointmentSummary.parse(await owen.client.json(owen.client.post(`/api/appointments/${made.id}/accept`)));
      expect(accepted).toMatchObject({ role: 'representative', otherParty: 'George', state: 'active' });
      expect((await entryAt(accepted.ledger.accepted!)).type).toBe('AppointmentAccepted');
      expect((await code(owen.client.post(`/api/appointments/${made.id}/accept`))).code).toBe('CONFLICT');

      const acting = await resolve(asResident(owen.electorId), george.electorId);
      expect(acting).toMatchObject({ appointmentId: made.id, appointerId: george.electorId, representativeId: owen.electorId });
      await expect(resolve(asResident(owen.electorId), george.electorId, 'report-repairs')).rejects.toMatchObject({
        code: 'PURPOSE_NOT_APPOINTED',
        status: 403,
      });
      // The other way round there is no appointment.
      await expect(resolve(asResident(george.electorId), owen.electorId)).rejects.toMatchObject({ code: 'NOT_APPOINTED', status: 403 });
      await expect(resolve(asResident(owen.electorId), owen.electorId)).rejects.toMatchObject({ code: 'SELF_APPOINTMENT', status: 422 });
      await expect(resolve({ kind: 'anonymous' }, george.electorId)).rejects.toMatchObject({ code: 'NOT_APPOINTED' });

      // Who acted, for whom, under which appointment: recorded, and shown to the appointer.
      const uses = await app.database.prisma.actingRecord.findMany({ where: { appointmentId: made.id } });
      expect(uses).toEqual([
        expect.objectContaining({
          actorId: owen.electorId,
          forId: george.electorId,
          purpose: 'manage-council-services',
          action: 'test: looked at council tax',
        }),
      ]);
      const georgeView = AppointmentList.parse(await george.client.json(george.client.get('/api/account/appointments')));
      expect(georgeView.appointments.find((a) => a.id === made.id)!.uses).toEqual([
        expect.objectContaining({ purpose: 'manage-council-services' }),
      ]);
      const owenView = AppointmentList.parse(await owen.client.json(owen.client.get('/api/account/appointments')));
      expect(owenView.appointments.find((a) => a.id === made.id)).toMatchObject({ role: 'representative', uses: [] });

      // A second appointment between the same two while this one runs: refused.
      const duplicate = await code(
        george.client.post('/api/appointments', {
          representativeCode: await appointmentCodeOf(owen),
          purposes: ['report-repairs'],
          endsOn: inAYear(),
        }),
      );
      expect(duplicate).toMatchObject({ status: 409, code: 'CONFLICT' });

      const ended = AppointmentSummary.parse(await owen.client.json(owen.client.post(`/api/appointments/${made.id}/end`)));
      expect(ended.state).toBe('ended');
      expect((await entryAt(ended.ledger.ended!)).body).toMatchObject({ appointmentId: made.id, endedBy: 'representative' });
      await expect(resolve(asResident(owen.electorId), george.electorId)).rejects.toMatchObject({
        code: 'APPOINTMENT_ENDED',
        status: 403,
      });
      expect((await code(george.client.post(`/api/appointments/${made.id}/end`))).code).toBe('CONFLICT');
    });

    it('refuses self-appointment, used or unknown codes, past end dates and strangers', async () => {
      const grace = await resident('CAS-0003');
      const tomasz = await resident('CAS-0004');
      const own = await code(
        grace.client.post('/api/appointments', {
          representativeCode: await appointmentCodeOf(grace),
          purposes: ['report-repairs'],
          endsOn: inAYear(),
        }),
      );
      expect(own).toMatchObject({ status: 422, code: 'SELF_APPOINTMENT' });
      const tomaszCode = await appointmentCodeOf(tomasz);
      const past = await code(
        grace.client.post('/api/appointments', { representativeCode: tomaszCode, purposes: ['report-repairs'], endsOn: '2020-01-01' }),
      );
      expect(past).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', issues: [{ path: 'endsOn' }] });
      const made = AppointmentSummary.parse(
        await grace.client.json(
          grace.client.post('/api/appointments', { representativeCode: tomaszCode, purposes: ['report-repairs'], endsOn: inAYear() }),
          201,
        ),
      );
      // Single use: the same code again is refused.
      const reused = await code(
        grace.client.post('/api/appointments', { representativeCode: tomaszCode, purposes: ['report-repairs'], endsOn: inAYear() }),
      );
      expect(reused).toMatchObject({ status: 400, code: 'APPOINTMENT_CODE_INVALID' });
      expect(
        (
          await code(
            grace.client.post('/api/appointments', {
              representativeCode: 'ABCD-EFGH-JKMN',
              purposes: ['report-repairs'],
              endsOn: inAYear(),
            }),
          )
        ).code,
      ).toBe('APPOINTMENT_CODE_INVALID');
      const unknownPurpose = await code(
        grace.client.post('/api/appointments', { representativeCode: 'ABCD-EFGH-JKMN', purposes: ['sell-my-house'], endsOn: inAYear() }),
      );
      expect(unknownPurpose).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', issues: [{ path: 'purposes.0' }] });
      // A stranger can neither accept nor end it.
      const stranger = await resident('CAS-0005');
      expect((await code(stranger.client.post(`/api/appointments/${made.id}/accept`))).code).toBe('NOT_FOUND');
      expect((await code(stranger.client.post(`/api/appointments/${made.id}/end`))).code).toBe('NOT_FOUND');
      // An appointment past its end date is refused, even once accepted; it can no longer be accepted either.
      await app.database.prisma.appointment.update({ where: { id: made.id }, data: { endsOn: new Date('2020-01-01T00:00:00Z') } });
      expect((await code(tomasz.client.post(`/api/appointments/${made.id}/accept`))).code).toBe('APPOINTMENT_ENDED');
      await app.database.prisma.appointment.update({ where: { id: made.id }, data: { acceptedAt: new Date() } });
      await expect(resolve(asResident(tomasz.electorId), grace.electorId, 'report-repairs')).rejects.toMatchObject({
        code: 'APPOINTMENT_ENDED',
      });
      // Staff are not residents: they appoint no one.
      expect(
        (
          await code(
            admin.post('/api/appointments', { representativeCode: 'ABCD-EFGH-JKMN', purposes: ['report-repairs'], endsOn: inAYear() }),
          )
        ).code,
      ).toBe('FORBIDDEN');
    });

    it('cannot be chained: a representative cannot appoint anyone for the person they represent', async () => {
      const amira = await resident('CAS-0001');
      const hana = await resident('CAS-0007');
      const ivan = await resident('CAS-0008');
      const first = await appoint(amira, hana);
      await hana.client.json(hana.client.post(`/api/appointments/${first.id}/accept`));
      // Hana can only ever appoint for herself: the request has no way to name Amira.
      const forAmira = await code(
        hana.client.post('/api/appointments', {
          representativeCode: await appointmentCodeOf(ivan),
          purposes: ['manage-council-services'],
          endsOn: inAYear(),
          appointer: amira.electorId,
        }),
      );
      expect(forAmira).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      const second = await appoint(hana, ivan);
      await ivan.client.json(ivan.client.post(`/api/appointments/${second.id}/accept`));
      await expect(resolve(asResident(ivan.electorId), hana.electorId)).resolves.toMatchObject({ appointmentId: second.id });
      // Ivan acts for Hana, never through her for Amira.
      await expect(resolve(asResident(ivan.electorId), amira.electorId)).rejects.toMatchObject({ code: 'NOT_APPOINTED', status: 403 });
    });

    it('staff record a lasting power of attorney by its reference; it takes effect when the attorney accepts', async () => {
      const donor = await resident('CAS-0005');
      const attorney = await resident('CAS-0003');
      const body = {
        donorElectorNumber: 'CAS-0005',
        attorneyElectorNumber: 'CAS-0003',
        documentReference: 'm-1234-5678-9012',
        purposes: ['manage-council-services'],
        endsOn: inAYear(),
      };
      const recorded = AppointmentSummary.parse(await officer.json(officer.post('/api/official/appointments', body), 201));
      expect(recorded).toMatchObject({ role: 'recorder', basis: 'lasting-power-of-attorney', state: 'waiting-for-acceptance' });
      const stored = await app.database.prisma.appointment.findUniqueOrThrow({ where: { id: recorded.id } });
      expect(stored.documentReference).toBe('M-1234-5678-9012');
      const entry = await entryAt(recorded.ledger.made);
      expect(entry.body).toMatchObject({ basis: 'lasting-power-of-attorney' });
      expect(JSON.stringify(entry.body)).not.toContain('1234-5678');
      await expect(resolve(asResident(attorney.electorId), donor.electorId)).rejects.toMatchObject({ code: 'APPOINTMENT_NOT_ACCEPTED' });
      await attorney.client.json(attorney.client.post(`/api/appointments/${recorded.id}/accept`));
      await expect(resolve(asResident(attorney.electorId), donor.electorId)).resolves.toMatchObject({
        basis: 'lasting-power-of-attorney',
      });

      expect(await code(officer.post('/api/official/appointments', { ...body, attorneyElectorNumber: 'CAS-0005' }))).toMatchObject({
        status: 422,
        code: 'SELF_APPOINTMENT',
      });
      expect((await code(officer.post('/api/official/appointments', { ...body, attorneyElectorNumber: 'NOPE-1' }))).code).toBe(
        'NOT_FOUND',
      );
      expect((await code(officer.post('/api/official/appointments', { ...body, documentReference: 'a b' }))).code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await code(donor.client.post('/api/official/appointments', body))).code).toBe('FORBIDDEN');
    });
  });

  it('keeps the registry log a valid chain of entries that all parse with their schemas', async () => {
    const ledger = app.app.get(LedgerService);
    const size = (await ledger.getLog(REGISTRY_LOG)).size;
    const all = await ledger.entries(REGISTRY_LOG, 0n, size);
    expect(() => verifyChain(all.map((e) => e.bytes))).not.toThrow();
    const types = new Set(all.map((e) => decodeEntry(e.bytes).type));
    for (const type of [
      'OrganisationRegistered',
      'OrganisationStatusChanged',
      'MembershipGranted',
      'MembershipRevoked',
      'AppointmentMade',
      'AppointmentAccepted',
      'AppointmentEnded',
    ]) {
      expect(types).toContain(type);
    }
  });
});
