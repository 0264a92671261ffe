import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationOptionsResponse,
  ContractAgreedBody,
  ContractApprovalOptions,
  ContractDetail,
  ContractPerformance,
  ENTRY_TYPE_REGISTRY,
  MemberPasskeyBoundBody,
  MembershipGrantedBody,
  MyOrganisationList,
  OrganisationSummary,
  PaymentComputedBody,
  PaymentRunBody,
  PaymentRunSummary,
  Repair,
  RepairAssociationList,
  RepairList,
  contractApprovalChallenge,
  type ContractTermsInput,
  type EntryTypeName,
  type OrganisationRegistration,
} from '@townhall/protocol';
import { evaluateContract } from '@townhall/contracts';
import { decodeEntry, verifyChain } from '@townhall/ledger';
import { verifyContractRecordSource } from '@townhall/verifier';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { ApiClient } from '@townhall/client-flows';
import { staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { approve, organisationFlows, termsFor, type Member } from './identity-support/organisation-flows.ts';
import { dialects } from './support/test-database.ts';

const code = ApiClient.errorCode;
const ROLL_ADDRESSES = ['1 Keep Lane', '3 Keep Lane', '14 Moat Street'];


const report = (contractId: string, description = 'The kitchen tap drips all night') => ({
  contractId,
  description,
  location: 'Kitchen',
  priority: 'routine',
  hazards: { dampOrMould: false, immediateRisk: false },
});

describe.each(dialects)('repairs contracts on %s', (dialect) => {
  let app: RunningApp;
  let admin: ApiClient;
  let contractor: OrganisationSummary;
  let host: OrganisationSummary;
  let other: OrganisationSummary;
  /** Administrators of each organisation, the host's repairs officer, tenants of the host (1, 2) and of the other (3). */
  let contractorAdmin: Member;
  let hostAdmin: Member;
  let otherAdmin: Member;
  let hostOfficer: Member;
  let tenant1: ApiClient;
  let tenant2: ApiClient;
  let tenant3: ApiClient;
  let contract: ContractDetail;

  // Organisations and their people through the API (identity-support/organisation-flows.ts).
  let flows: ReturnType<typeof organisationFlows>;
  const register = (overrides: Partial<OrganisationRegistration>) => flows.register(overrides);
  const joinAsNewPerson = (token: string) => flows.joinAsNewPerson(token);
  const administratorOf = (organisation: OrganisationSummary, displayName: string) => flows.administratorOf(organisation, displayName);
  const invite = (by: ApiClient, organisationId: string, displayName: string, roles: string[]) => flows.invite(by, organisationId, displayName, roles);
  const tenantOf = (by: ApiClient, organisationId: string, electorNumber: string) => flows.tenantOf(by, organisationId, electorNumber);

  async function contractEntries(log: string) {
    const ledger = app.app.get(LedgerService);
    const size = (await ledger.getLog(log)).size;
    return (await ledger.entries(log, 0n, size)).map((e) => ({ index: e.index, bytes: e.bytes, ...decodeEntry(e.bytes) }));
  }

  const repairsOf = (organisationId: string) => `/api/organisations/${organisationId}/repairs`;
  const workOf = (organisationId: string) => `/api/organisations/${organisationId}/work-orders`;

  /** Reports, triages, accepts, schedules and completes a repair; returns it completed. */
  async function completedRepair(tenant: ApiClient, association: { id: string; staff: ApiClient }, description: string): Promise<Repair> {
    const raised = Repair.parse(await tenant.json(tenant.post(repairsOf(association.id), report(contract.contractId, description)), 201));
    await association.staff.json(
      association.staff.post(`${repairsOf(association.id)}/${raised.orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }),
    );
    await contractorAdmin.json(contractorAdmin.post(`${workOf(contractor.id)}/${raised.orderId}/accept`));
    const start = new Date(Date.now() + 86_400_000);
    await contractorAdmin.json(
      contractorAdmin.post(`${workOf(contractor.id)}/${raised.orderId}/schedule`, {
        appointmentStart: start.toISOString(),
        appointmentEnd: new Date(start.getTime() + 7_200_000).toISOString(),
      }),
    );
    return Repair.parse(await contractorAdmin.json(contractorAdmin.post(`${workOf(contractor.id)}/${raised.orderId}/complete`, { notes: 'Fitted a new mixer' })));
  }

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
    admin = (await staffMember(app, 'admin', 'Ada Admin')).client;
    flows = organisationFlows(app, admin, 20_000_000);
    contractor = await register({ kind: 'contractor', legalName: 'Castle Plumbing Ltd' });
    host = await register({ kind: 'housing-association', legalName: 'Castle Homes' });
    other = await register({ kind: 'housing-association', legalName: 'Moat Housing, "Co-op"' });
    contractorAdmin = await administratorOf(contractor, 'Carl Contractor');
    hostAdmin = await administratorOf(host, 'Hana Host');
    otherAdmin = await administratorOf(other, 'Otto Other');
    hostOfficer = await joinAsNewPerson(await invite(hostAdmin, host.id, 'Rita Repairs', ['repairs']));
    tenant1 = await tenantOf(hostAdmin, host.id, 'CAS-0001');
    tenant2 = await tenantOf(hostAdmin, host.id, 'CAS-0002');
    tenant3 = await tenantOf(otherAdmin, other.id, 'CAS-0003');
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
  });

  const parties = () => ({ contractor: contractor.id, host: host.id, other: other.id });

  describe('terms', () => {
    it('refuses terms that do not validate, with a message naming the field', async () => {
      const propose = (terms: unknown) => code(hostAdmin.post(`/api/organisations/${host.id}/contracts`, { terms }));
      const overlapping = termsFor(parties(), {
        bulkDiscount: {
          scope: 'association',
          period: 'calendar-month',
          tiers: [
            { fromJob: 1, toJob: 50, discountBasisPoints: 0 },
            { fromJob: 50, toJob: null, discountBasisPoints: 500 },
          ],
          excludedItemCodes: [],
        },
      });
      expect(await propose(overlapping)).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'terms.bulkDiscount.tiers.1.fromJob', message: expect.stringContaining('overlaps tiers[0]') }],
      });
      const base = termsFor(parties());
      const negative = { ...base, catalogue: [{ ...base.catalogue[0]!, unitPricePence: -1 }] };
      expect((await propose(negative)).issues).toEqual([{ path: 'terms.catalogue.0.unitPricePence', message: expect.stringContaining('negative') }]);
      const fractional = { ...base, catalogue: [{ ...base.catalogue[0]!, unitPricePence: 85.17 }] };
      expect((await propose(fractional)).issues).toEqual([{ path: 'terms.catalogue.0.unitPricePence', message: expect.stringContaining('whole pence') }]);
      const unknownItem = termsFor(parties(), { bulkDiscount: { ...base.bulkDiscount!, excludedItemCodes: ['NOPE'] } });
      expect((await propose(unknownItem)).issues?.[0]).toMatchObject({ path: 'terms.bulkDiscount.excludedItemCodes.0' });
      const noWindow = termsFor(parties(), { lateDelivery: { windowMonths: 0, minimumJobs: 1, bands: [{ fromLateShareBasisPoints: 1000, priceReductionBasisPoints: 2000 }] } });
      expect((await propose(noWindow)).issues?.[0]).toMatchObject({ path: 'terms.lateDelivery.windowMonths', message: expect.stringContaining('cannot be evaluated') });

      // Parties must be active organisations of the right kind, and the proposer one of the associations.
      const swapped = termsFor({ contractor: other.id, host: host.id, other: contractor.id });
      expect(await propose(swapped)).toMatchObject({ status: 422, code: 'CONTRACT_INVALID', issues: [{ path: 'terms.parties.contractor' }] });
      const notMine = termsFor(parties(), { parties: { contractor: contractor.id, associations: [other.id], host: { association: other.id, feePerJobPence: 0 } } });
      expect(await propose(notMine)).toMatchObject({ status: 422, code: 'CONTRACT_INVALID', issues: [{ path: 'terms.parties.associations' }] });
      // Only an association's administrators propose.
      expect((await code(contractorAdmin.post(`/api/organisations/${host.id}/contracts`, { terms: base }))).code).toBe('FORBIDDEN');
      expect((await code(hostOfficer.post(`/api/organisations/${host.id}/contracts`, { terms: base }))).code).toBe('FORBIDDEN');
    });
  });

  describe('agreeing a contract', () => {
    it('is agreed when every party’s administrator approved it: one ContractAgreed entry with every approval', async () => {
      contract = ContractDetail.parse(await hostAdmin.json(hostAdmin.post(`/api/organisations/${host.id}/contracts`, { terms: termsFor(parties()) }), 201));
      expect(contract).toMatchObject({ contractId: 'castle-repairs', agreedRevision: null, log: 'contract-castle-repairs', versions: [{ revision: 1, status: 'proposed' }] });
      // The id is taken now.
      expect((await code(hostAdmin.post(`/api/organisations/${host.id}/contracts`, { terms: termsFor(parties()) }))).issues).toEqual([
        { path: 'terms.contractId', message: expect.stringContaining('another contract') },
      ]);
      // Not agreed yet: no repairs.
      expect(await code(tenant1.post(repairsOf(host.id), report(contract.contractId)))).toMatchObject({ status: 409, code: 'CONTRACT_WRONG_STATE' });
      const reportableFor = async (client: ApiClient) => RepairAssociationList.parse(await client.json(client.get('/api/account/repairs/associations'))).associations;
      expect(await reportableFor(tenant1)).toEqual([]);

      const approval = (member: Member, organisationId: string) => approve(member, organisationId, contract.contractId);
      await hostAdmin.json(approval(hostAdmin, host.id));
      const approvePath = (organisationId: string) => `/api/organisations/${organisationId}/contracts/${contract.contractId}/approve`;
      const replayed = { revision: 1, assertion: hostAdmin.authenticator.get({ challenge: 'AAAA', rpId: 'localhost' }, { credentialId: Buffer.from(hostAdmin.authenticator.credentials[1]!.id).toString('base64url') }) };
      expect(await code(hostAdmin.post(approvePath(host.id), replayed))).toMatchObject({ status: 409, code: 'CONTRACT_WRONG_STATE' });
      // A party's staff who are not administrators, and outsiders, cannot approve, nor make a signing passkey.
      expect((await code(hostOfficer.post(approvePath(host.id), replayed))).code).toBe('FORBIDDEN');
      expect((await code(hostOfficer.get(`/api/organisations/${host.id}/contracts/${contract.contractId}/approval-options?revision=1`))).code).toBe('FORBIDDEN');
      expect((await code(hostOfficer.post(`/api/organisations/${host.id}/signing-passkeys/start`, { assertion: replayed.assertion }))).code).toBe('FORBIDDEN');
      expect((await code(contractorAdmin.post(approvePath(host.id), replayed))).code).toBe('FORBIDDEN');
      await contractorAdmin.json(approval(contractorAdmin, contractor.id));
      expect((await contractEntries(contract.log)).map((e) => e.type)).toEqual(['LogCreated']);
      contract = ContractDetail.parse(await otherAdmin.json(approval(otherAdmin, other.id)));
      expect(contract.agreedRevision).toBe(1);
      expect(await code(otherAdmin.post(approvePath(other.id), replayed))).toMatchObject({ status: 409, code: 'CONTRACT_WRONG_STATE' });
      // Now each tenant is offered their own association, with the contract a report goes under; the route is for residents only.
      expect(await reportableFor(tenant1)).toEqual([{ associationId: host.id, legalName: 'Castle Homes', contractId: 'castle-repairs' }]);
      expect(await reportableFor(tenant3)).toEqual([{ associationId: other.id, legalName: 'Moat Housing, "Co-op"', contractId: 'castle-repairs' }]);
      expect((await code(hostOfficer.get('/api/account/repairs/associations'))).code).toBe('FORBIDDEN');

      const entries = await contractEntries(contract.log);
      expect(entries.map((e) => e.type)).toEqual(['LogCreated', 'ContractAgreed']);
      expect(entries[0]!.body).toMatchObject({ kind: 'contract', contractId: 'castle-repairs' });
      const agreed = ContractAgreedBody.parse(entries[1]!.body);
      expect(agreed.termsHash).toBe(contract.versions[0]!.termsHash);
      expect(agreed.approvals.map((a) => [a.party, a.organisation])).toEqual([
        ['contractor', contractor.id],
        ...[host.id, other.id].sort().map((id) => ['association', id]),
      ]);
      // Each approver is named by the pseudonym of their membership in the registry log.
      const registry = app.app.get(LedgerService);
      const registryEntries = await registry.entries(REGISTRY_LOG, 0n, (await registry.getLog(REGISTRY_LOG)).size);
      const grants = registryEntries.map((e) => decodeEntry(e.bytes)).filter((e) => e.type === 'MembershipGranted').map((e) => MembershipGrantedBody.parse(e.body));
      for (const approval of agreed.approvals) {
        expect(grants.find((g) => g.organisationId === approval.organisation && g.member === approval.member)?.roles).toContain('administrator');
      }
      // Each approval is signed by the approver's signing passkey, bound to their pseudonym in the
      // registry before it signed: its key is no sign-in passkey's (no Enrolled entry has it).
      const decoded = registryEntries.map((e) => ({ index: e.index, ...decodeEntry(e.bytes) }));
      const bound = decoded.filter((e) => e.type === 'MemberPasskeyBound').map((e) => ({ index: e.index, body: MemberPasskeyBoundBody.parse(e.body) }));
      expect(bound).toHaveLength(3);
      const enrolledKeys = new Set(decoded.filter((e) => e.type === 'Enrolled').map((e) => (e.body as { publicKey: string }).publicKey));
      for (const approval of agreed.approvals) {
        const binding = bound.find((b) => b.body.organisationId === approval.organisation && b.body.member === approval.member && b.body.credentialIdHash === approval.credentialIdHash);
        expect(binding).toBeDefined();
        expect(enrolledKeys.has(binding!.body.publicKey)).toBe(false);
        expect(Date.parse(binding!.body.at)).toBeLessThanOrEqual(Date.parse(approval.at));
        const clientData = JSON.parse(Buffer.from(approval.assertion.clientDataJSON, 'base64url').toString()) as { challenge: string };
        const party = approval.party;
        const challenge = contractApprovalChallenge({ contractId: contract.contractId, revision: 1, termsHash: agreed.termsHash, effectiveAt: null, organisation: approval.organisation, party, member: approval.member });
        expect(clientData.challenge).toBe(Buffer.from(challenge).toString('base64url'));
      }
    });

    it('takes an approval only signed by the approver’s own signing passkey over this revision, and makes a signing passkey only after a fresh assertion of their own', async () => {
      const terms = termsFor(parties(), { contractId: 'castle-signing' });
      const proposed = ContractDetail.parse(await hostAdmin.json(hostAdmin.post(`/api/organisations/${host.id}/contracts`, { terms }), 201));
      const path = `/api/organisations/${host.id}/contracts/${proposed.contractId}`;
      const options = ContractApprovalOptions.parse(await hostAdmin.json(hostAdmin.get(`${path}/approval-options?revision=1`)));
      // hostAdmin made a signing passkey for the host at the first contract: it is offered, and only it.
      expect(options.allowCredentials).toEqual([{ id: Buffer.from(hostAdmin.authenticator.credentials[1]!.id).toString('base64url'), type: 'public-key' }]);
      expect(options).toMatchObject({ contractId: 'castle-signing', revision: 1, organisation: host.id, party: 'association', termsHash: proposed.versions[0]!.termsHash });
      const signingKey = { credentialId: options.allowCredentials[0]!.id };
      const signInKey = { credentialId: Buffer.from(hostAdmin.authenticator.credentials[0]!.id).toString('base64url') };
      const refused = async (assertion: unknown) => code(hostAdmin.post(`${path}/approve`, { revision: 1, assertion }));
      // Signed over another challenge (another contract's approval), a corrupted signature, with the sign-in passkey: refused.
      const otherChallenge = Buffer.from(contractApprovalChallenge({ ...options, contractId: 'castle-repairs' })).toString('base64url');
      expect(await refused(hostAdmin.authenticator.get(options, { ...signingKey, challenge: otherChallenge }))).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
      expect(await refused(hostAdmin.authenticator.get(options, { ...signingKey, corruptSignature: true }))).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
      expect(await refused(hostAdmin.authenticator.get(options, signInKey))).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
      // Another administrator's signing passkey signing this member's challenge: not theirs.
      expect(await refused(otherAdmin.authenticator.get(options, { credentialId: Buffer.from(otherAdmin.authenticator.credentials[1]!.id).toString('base64url') }))).toMatchObject({
        status: 400,
        code: 'PASSKEY_VERIFICATION_FAILED',
      });
      // A signing passkey is made only after a fresh assertion by a passkey of one's own account: not another person's, not a replayed one.
      const { options: confirm } = AuthenticationOptionsResponse.parse(await hostAdmin.json(hostAdmin.post('/api/sign-in/start')));
      const notMine = otherAdmin.authenticator.get(confirm, { credentialId: Buffer.from(otherAdmin.authenticator.credentials[0]!.id).toString('base64url') });
      expect(await code(hostAdmin.post(`/api/organisations/${host.id}/signing-passkeys/start`, { assertion: notMine }))).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
      expect(await code(hostAdmin.post(`/api/organisations/${host.id}/signing-passkeys/start`, { assertion: hostAdmin.authenticator.get(confirm, signInKey) }))).toMatchObject({
        status: 400,
        code: 'CHALLENGE_EXPIRED',
      });
      // Nothing was approved by any of it; the right signature is taken.
      expect((ContractDetail.parse(await hostAdmin.json(hostAdmin.get(path))).versions[0]!.approvals)).toEqual([]);
      expect((await hostAdmin.json<ContractDetail>(approve(hostAdmin, host.id, proposed.contractId))).versions[0]!.approvals).toHaveLength(1);
      // The member sees their signing passkey on their own list of organisations, with its registry entry.
      const mine = MyOrganisationList.parse(await hostAdmin.json(hostAdmin.get('/api/account/organisations')));
      const credentialIdHash = createHash('sha256').update(hostAdmin.authenticator.credentials[1]!.id).digest('hex');
      expect(mine.organisations.find((o) => o.organisation.id === host.id)!.signingPasskeys).toEqual([{ credentialIdHash, boundIndex: expect.stringMatching(/^\d+$/), boundAt: expect.any(String) }]);
    });
  });

  describe('repairs', () => {
    let order1: Repair;

    it('runs from a tenant’s report to a confirmed, priced job; each side can take only its own steps, in order', async () => {
      order1 = Repair.parse(await tenant1.json(tenant1.post(repairsOf(host.id), report(contract.contractId)), 201));
      expect(order1).toMatchObject({ state: 'raised', address: '1 Keep Lane, DB1 1AA', dueAt: null, history: [{ type: 'order-raised' }] });
      const path = `${repairsOf(host.id)}/${order1.orderId}`;
      const work = `${workOf(contractor.id)}/${order1.orderId}`;

      // Skipping steps: the contractor cannot accept an untriaged order, nor complete one it has not accepted.
      expect(await code(contractorAdmin.post(`${work}/accept`))).toMatchObject({ status: 409, code: 'ORDER_WRONG_STATE' });
      expect((await code(contractorAdmin.post(`${work}/complete`, {}))).code).toBe('ORDER_WRONG_STATE');
      expect((await code(hostOfficer.post(`${path}/confirm`))).code).toBe('ORDER_WRONG_STATE');
      // The wrong side, or the wrong organisation: the order is not theirs to see.
      expect((await code(hostOfficer.post(`${workOf(contractor.id)}/${order1.orderId}/accept`))).code).toBe('FORBIDDEN');
      expect((await code(contractorAdmin.post(`${repairsOf(contractor.id)}/${order1.orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }))).code).toBe('NOT_FOUND');
      expect((await code(otherAdmin.post(`${repairsOf(other.id)}/${order1.orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }))).code).toBe('NOT_FOUND');
      // A tenant cannot triage their own repair.
      expect((await code(tenant1.post(`${path}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }))).code).toBe('FORBIDDEN');
      // An item that is not in the catalogue.
      expect(await code(hostOfficer.post(`${path}/triage`, { itemCode: 'NOPE', priority: 'routine', hazard: 'none' }))).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'itemCode' }],
      });

      const triaged = Repair.parse(await hostOfficer.json(hostOfficer.post(`${path}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' })));
      expect(triaged).toMatchObject({ state: 'triaged', itemCode: 'TAP-01', quantity: 1, priority: 'routine' });
      expect(Date.parse(triaged.dueAt!)).toBeGreaterThan(Date.now() + 20 * 86_400_000);
      expect((await code(hostOfficer.post(`${path}/triage`, { itemCode: 'TAP-01', priority: 'urgent', hazard: 'none' }))).code).toBe('ORDER_WRONG_STATE');

      const queue = RepairList.parse(await contractorAdmin.json(contractorAdmin.get(workOf(contractor.id))));
      expect(queue.repairs.map((r) => r.orderId)).toEqual([order1.orderId]);
      await contractorAdmin.json(contractorAdmin.post(`${work}/accept`));
      expect(await code(contractorAdmin.post(`${work}/accept`))).toMatchObject({ status: 409, code: 'ORDER_WRONG_STATE' });
      const start = new Date(Date.now() + 86_400_000);
      expect((await code(contractorAdmin.post(`${work}/schedule`, { appointmentStart: start.toISOString(), appointmentEnd: start.toISOString() }))).issues).toEqual([
        { path: 'appointmentEnd', message: expect.stringContaining('after') },
      ]);
      await contractorAdmin.json(
        contractorAdmin.post(`${work}/schedule`, { appointmentStart: start.toISOString(), appointmentEnd: new Date(start.getTime() + 3_600_000).toISOString() }),
      );
      // The tenant sees the appointment.
      const seen = Repair.parse(await tenant1.json(tenant1.get(`/api/account/repairs/${order1.orderId}`)));
      expect(seen.appointment?.start).toBe(start.toISOString());
      await contractorAdmin.json(contractorAdmin.post(`${work}/complete`, { notes: 'Replaced the washer and the cartridge' }));
      expect((await code(contractorAdmin.post(`${work}/complete`, {}))).code).toBe('ORDER_WRONG_STATE');

      // Rejected with a reason, then done again.
      const rejected = Repair.parse(await hostOfficer.json(hostOfficer.post(`${path}/reject`, { reason: 'not-fixed', detail: 'Still drips' })));
      expect(rejected).toMatchObject({ state: 'rejected', rejection: { reason: 'not-fixed', detail: 'Still drips' } });
      expect((await code(hostOfficer.post(`${path}/confirm`))).code).toBe('ORDER_WRONG_STATE');
      await contractorAdmin.json(contractorAdmin.post(`${work}/complete`, { notes: 'New mixer fitted' }));

      // Confirmed by many requests at once: one confirmation, one payment.
      const confirmations = await Promise.all(Array.from({ length: 5 }, () => hostOfficer.post(`${path}/confirm`)));
      const statuses = await Promise.all(confirmations.map(async (r) => (r.status === 200 ? 200 : (await code(r)).code)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 'ORDER_WRONG_STATE')).toHaveLength(4);
      const confirmed = Repair.parse(await tenant1.json(tenant1.get(`/api/account/repairs/${order1.orderId}`)));
      expect(confirmed.state).toBe('confirmed');
      expect(confirmed.payment).toMatchObject({ basePence: 8_517, bulkDiscountPence: 0, hostFeePence: 0, associationPaysPence: 8_517, paymentRunId: null });
      const entries = await contractEntries(contract.log);
      expect(entries.filter((e) => e.type === 'PaymentComputed' && (e.body as { orderId: string }).orderId === order1.orderId)).toHaveLength(1);
      expect(confirmed.history.map((h) => h.type)).toEqual([
        'order-raised',
        'order-triaged',
        'order-accepted',
        'order-scheduled',
        'order-completed',
        'order-rejected',
        'order-completed',
        'order-confirmed',
      ]);
    });

    it('shows a tenant only their own repairs', async () => {
      const theirs = Repair.parse(await tenant2.json(tenant2.post(repairsOf(host.id), report(contract.contractId, 'Broken window latch')), 201));
      expect(RepairList.parse(await tenant1.json(tenant1.get('/api/account/repairs'))).repairs.map((r) => r.orderId)).toEqual([order1.orderId]);
      expect(RepairList.parse(await tenant2.json(tenant2.get('/api/account/repairs'))).repairs.map((r) => r.orderId)).toEqual([theirs.orderId]);
      expect(await code(tenant1.get(`/api/account/repairs/${theirs.orderId}`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect((await code(tenant1.get(`/api/account/repairs/not-a-uuid`))).code).toBe('NOT_FOUND');
      // A tenant cannot read the association's queue, nor report to an association they are not a tenant of.
      expect((await code(tenant1.get(repairsOf(host.id)))).code).toBe('FORBIDDEN');
      expect((await code(tenant1.post(repairsOf(other.id), report(contract.contractId)))).code).toBe('FORBIDDEN');
      // Nor can staff of another organisation read them.
      expect((await code(otherAdmin.get(repairsOf(host.id)))).code).toBe('FORBIDDEN');
    });

    it('prices every job as the evaluator does from the contract’s own record, and pays each once in a payment run', async () => {
      const second = await completedRepair(tenant1, { id: host.id, staff: hostOfficer }, 'Bathroom tap loose');
      await hostOfficer.json(hostOfficer.post(`${repairsOf(host.id)}/${second.orderId}/confirm`));
      const third = await completedRepair(tenant3, { id: other.id, staff: otherAdmin }, 'Tap will not turn off');
      await otherAdmin.json(otherAdmin.post(`${repairsOf(other.id)}/${third.orderId}/confirm`));

      // Recompute from the log alone: the terms of ContractAgreed and the events of the order entries.
      const entries = await contractEntries(contract.log);
      expect(() => verifyChain(entries.map((e) => e.bytes))).not.toThrow();
      for (const entry of entries) expect(ENTRY_TYPE_REGISTRY[entry.type as EntryTypeName].body.safeParse(entry.body).success).toBe(true);
      const terms = ContractAgreedBody.parse(entries.find((e) => e.type === 'ContractAgreed')!.body).terms;
      const events = entries.filter((e) => 'event' in e.body).map((e) => (e.body as { event: unknown }).event);
      const evaluation = evaluateContract(terms, events);
      expect(evaluation.errors).toEqual([]);
      const computed = entries.filter((e) => e.type === 'PaymentComputed').map((e) => PaymentComputedBody.parse(e.body));
      expect(computed).toHaveLength(3);
      for (const payment of computed) {
        const job = evaluation.jobs.find((j) => j.orderId === payment.orderId)!;
        expect(payment).toEqual({
          contractId: contract.contractId,
          orderId: job.orderId,
          association: job.association,
          termsRevision: 1,
          basePence: job.price!.basePence,
          bulkDiscountPence: job.price!.bulkDiscountPence,
          lateReductionPence: job.price!.lateReductionPence,
          contractorPaymentPence: job.price!.contractorPaymentPence,
          hostFeePence: job.price!.hostFeePence,
          associationPaysPence: job.price!.associationPaysPence,
        });
      }
      // The host's second job of the year gets 10% off (R1: 851.7 p → 852 p); the other association pays the host's fee.
      expect(computed.find((p) => p.orderId === second.orderId)).toMatchObject({ bulkDiscountPence: 852, contractorPaymentPence: 7_665, hostFeePence: 0 });
      expect(computed.find((p) => p.orderId === third.orderId)).toMatchObject({ bulkDiscountPence: 0, hostFeePence: 150, associationPaysPence: 8_667 });

      // No tenant's data in the record: no address, description, name or elector id.
      const record = JSON.stringify(entries.map((e) => e.body));
      for (const text of [...ROLL_ADDRESSES, 'DB1 1AA', 'Bathroom tap', 'Kitchen', 'Amira', 'New mixer fitted']) expect(record).not.toContain(text);
      const electors = await app.database.prisma.elector.findMany({ select: { id: true } });
      for (const elector of electors) expect(record).not.toContain(elector.id);

      // The host's run: its two jobs, once. Many requests at once make one run.
      const runs = await Promise.all(Array.from({ length: 3 }, () => hostAdmin.post(`/api/organisations/${host.id}/payment-runs`, { contractId: contract.contractId })));
      expect(runs.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      const run = PaymentRunSummary.parse(await runs.find((r) => r.status === 201)!.json());
      const hostJobs = evaluation.jobs.filter((j) => j.association === host.id && j.price !== null);
      expect(run.payments.map((p) => p.orderId).sort()).toEqual(hostJobs.map((j) => j.orderId).sort());
      expect(run.totalPence).toBe(String(hostJobs.reduce((sum, j) => sum + j.price!.associationPaysPence, 0)));
      expect(run.totalPence).toBe(evaluation.totals.find((t) => t.association === host.id)!.associationPaysPence.toString());
      expect(await code(hostAdmin.post(`/api/organisations/${host.id}/payment-runs`, { contractId: contract.contractId }))).toMatchObject({
        status: 409,
        code: 'NOTHING_TO_PAY',
      });
      const runEntry = PaymentRunBody.parse((await contractEntries(contract.log)).find((e) => e.type === 'PaymentRun')!.body);
      expect(runEntry).toMatchObject({ runId: run.runId, association: host.id, totalPence: run.totalPence });
      // Only its administrators or finance staff make runs.
      expect((await code(hostOfficer.post(`/api/organisations/${host.id}/payment-runs`, { contractId: contract.contractId }))).code).toBe('FORBIDDEN');

      const file = await hostAdmin.get(`/api/organisations/${host.id}/payment-runs/${run.runId}/file`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toContain('text/csv');
      const lines = (await file.text()).trim().split('\r\n');
      expect(lines[0]).toBe('run_id,contract_id,order_id,payee_organisation_id,payee,purpose,amount_pence,amount_gbp');
      expect(lines.slice(1).map((l) => l.split(',').slice(5))).toEqual(
        expect.arrayContaining([
          ['repair', '8517', '85.17'],
          ['repair', '7665', '76.65'],
        ]),
      );
      expect((await code(otherAdmin.get(`/api/organisations/${other.id}/payment-runs/${run.runId}/file`))).code).toBe('NOT_FOUND');

      // The other association's run pays the contractor and the host's fee.
      const otherRun = PaymentRunSummary.parse(await otherAdmin.json(otherAdmin.post(`/api/organisations/${other.id}/payment-runs`, { contractId: contract.contractId }), 201));
      expect(otherRun.totalPence).toBe('8667');
      const otherLines = (await (await otherAdmin.get(`/api/organisations/${other.id}/payment-runs/${otherRun.runId}/file`)).text()).trim().split('\r\n');
      expect(otherLines.slice(1).map((l) => l.split(',').slice(-3))).toEqual([
        ['repair', '8517', '85.17'],
        ['host-fee', '150', '1.50'],
      ]);
      const paid = Repair.parse(await tenant3.json(tenant3.get(`/api/account/repairs/${third.orderId}`)));
      expect(paid.payment?.paymentRunId).toBe(otherRun.runId);

      // The performance each party's staff see is the evaluator's reading of the same history.
      const performanceOf = (client: ApiClient, organisationId: string) => client.get(`/api/organisations/${organisationId}/contracts/${contract.contractId}/performance`);
      const performance = ContractPerformance.parse(await contractorAdmin.json(performanceOf(contractorAdmin, contractor.id)));
      expect(ContractPerformance.parse(await hostOfficer.json(performanceOf(hostOfficer, host.id)))).toEqual(performance);
      expect(performance.jobs).toMatchObject({ raised: evaluation.jobs.length, confirmed: 3, late: 0 });
      expect(performance.byAssociation).toEqual(
        evaluation.totals.map((t) => ({
          organisationId: t.association,
          jobsConfirmed: t.jobsConfirmed,
          contractorPaymentPence: String(t.contractorPaymentPence),
          hostFeePence: String(t.hostFeePence),
          associationPaysPence: String(t.associationPaysPence),
        })),
      );
      // Three confirmed jobs, none late: under the five the rule needs, so no reduction is in force.
      expect(performance.lateDelivery).toMatchObject({ jobsInWindow: 3, lateJobsInWindow: 0, minimumJobs: 5, priceReductionBasisPoints: 0, firstBandFromBasisPoints: 1_000 });
      expect(performance.parties.map((p) => [p.legalName, p.party, p.isHost]).sort()).toEqual(
        [
          ['Castle Homes', 'association', true],
          ['Castle Plumbing Ltd', 'contractor', false],
          ['Moat Housing, "Co-op"', 'association', false],
        ].sort(),
      );
      // Not for tenants, nor for an organisation that is not a party (not found, as a missing contract is).
      expect((await code(performanceOf(tenant1, host.id))).code).toBe('FORBIDDEN');
      const outsider = await register({ kind: 'housing-association', legalName: 'Bailey Housing' });
      const outsiderAdmin = await administratorOf(outsider, 'Olga Outsider');
      expect(await code(performanceOf(outsiderAdmin, outsider.id))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      // Nor through a party's id by someone who is not its member.
      expect((await code(performanceOf(outsiderAdmin, host.id))).code).toBe('FORBIDDEN');
    });

    it('holds a significant damp-and-mould hazard to Awaab’s Law: no completion before the investigation', async () => {
      const raised = Repair.parse(
        await tenant2.json(
          tenant2.post(repairsOf(host.id), { ...report(contract.contractId, 'Black mould on the bedroom wall'), hazards: { dampOrMould: true, immediateRisk: false } }),
          201,
        ),
      );
      expect(raised.hazards).toEqual({ dampOrMould: true, immediateRisk: false });
      const path = `${repairsOf(host.id)}/${raised.orderId}`;
      const work = `${workOf(contractor.id)}/${raised.orderId}`;
      expect((await code(hostOfficer.post(`${path}/hazard-investigated`))).code).toBe('ORDER_WRONG_STATE');
      await hostOfficer.json(hostOfficer.post(`${path}/triage`, { itemCode: 'MOULD-TREAT', quantity: 2, priority: 'urgent', hazard: 'significant' }));
      await contractorAdmin.json(contractorAdmin.post(`${work}/accept`));
      expect(await code(contractorAdmin.post(`${work}/complete`, {}))).toMatchObject({ status: 409, code: 'ORDER_WRONG_STATE' });
      expect((await code(hostOfficer.post(`${path}/hazard-summary-issued`))).code).toBe('ORDER_WRONG_STATE');
      await hostOfficer.json(hostOfficer.post(`${path}/hazard-investigated`));
      expect((await code(hostOfficer.post(`${path}/hazard-investigated`))).code).toBe('ORDER_WRONG_STATE');
      await hostOfficer.json(hostOfficer.post(`${path}/hazard-summary-issued`));
      const completed = Repair.parse(await contractorAdmin.json(contractorAdmin.post(`${work}/complete`, { notes: 'Treated two rooms' })));
      expect(completed.history.map((h) => h.type)).toEqual([
        'order-raised',
        'order-triaged',
        'order-accepted',
        'hazard-investigated',
        'hazard-summary-issued',
        'order-completed',
      ]);
      const types = (await contractEntries(contract.log)).map((e) => e.type);
      expect(types).toContain('HazardInvestigated');
      expect(types).toContain('HazardSummaryIssued');
    });

    it('amends the terms when every party approves the next revision; orders triaged from then on are priced by it', async () => {
      const amendments = `/api/organisations/${host.id}/contracts/${contract.contractId}/amendments`;
      const base = termsFor(parties());
      const revised = (unitPricePence: number): ContractTermsInput => ({
        ...base,
        revision: 2,
        catalogue: [{ ...base.catalogue[0]!, unitPricePence }, base.catalogue[1]!],
      });
      const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
      expect((await code(hostAdmin.post(amendments, { terms: { ...revised(9_000), revision: 3 }, effectiveAt: inMs(60_000) }))).issues).toEqual([
        { path: 'terms.revision', message: 'the next revision is 2' },
      ]);
      expect((await code(hostAdmin.post(amendments, { terms: revised(9_000), effectiveAt: inMs(-60_000) }))).issues?.[0]?.path).toBe('effectiveAt');
      const approveAll = async (revision: number) => {
        const results = [];
        for (const [client, id] of [
          [hostAdmin, host.id],
          [contractorAdmin, contractor.id],
          [otherAdmin, other.id],
        ] as const) {
          results.push(await approve(client, id, contract.contractId, revision));
        }
        return results;
      };

      // Agreed after its effective time has passed: refused, as a retroactive amendment would be.
      await hostAdmin.json(hostAdmin.post(amendments, { terms: revised(9_000), effectiveAt: inMs(300) }), 201);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const late = await approveAll(2);
      expect(await code(late[2]!)).toMatchObject({ status: 409, code: 'CONTRACT_WRONG_STATE' });

      // An approval signed for a proposal that is then proposed again (the same terms, another effective
      // time) is not taken for the new one: the signature covers when it takes effect too.
      await hostAdmin.json(hostAdmin.post(amendments, { terms: revised(9_000), effectiveAt: inMs(60_000) }), 201);
      const contractorPath = `/api/organisations/${contractor.id}/contracts/${contract.contractId}`;
      const stale = ContractApprovalOptions.parse(await contractorAdmin.json(contractorAdmin.get(`${contractorPath}/approval-options?revision=2`)));
      const signedStale = contractorAdmin.authenticator.get(stale, { credentialId: stale.allowCredentials[0]!.id });
      await hostAdmin.json(hostAdmin.post(amendments, { terms: revised(9_000), effectiveAt: inMs(120_000) }), 201);
      // (Its signature is not over the proposal there is now; one that raced the new proposal is refused under the contract's lock.)
      expect(await code(contractorAdmin.post(`${contractorPath}/approve`, { revision: 2, assertion: signedStale }))).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
      expect(ContractDetail.parse(await contractorAdmin.json(contractorAdmin.get(contractorPath))).versions[1]!.approvals).toEqual([]);

      // Proposed again (replacing the first proposal and its approvals) and agreed in time.
      const effectiveAt = inMs(3_000);
      await hostAdmin.json(hostAdmin.post(amendments, { terms: revised(9_000), effectiveAt }), 201);
      for (const response of await approveAll(2)) expect(response.status).toBe(200);
      const amended = ContractDetail.parse(await hostAdmin.json(hostAdmin.get(`/api/organisations/${host.id}/contracts/${contract.contractId}`)));
      expect(amended.agreedRevision).toBe(2);
      const entries = await contractEntries(contract.log);
      const amendment = entries.find((e) => e.type === 'ContractAmended')!;
      expect(amendment.body).toMatchObject({ event: { type: 'terms-amended', effectiveAt, terms: { revision: 2 } } });
      expect(entries.filter((e) => e.type === 'ContractAmended')).toHaveLength(1);
      // Anyone checks the amendment's approvals: each signed over these terms and this effective time.
      const record = await (await fetch(`${app.baseUrl}/api/contracts/${contract.contractId}/record`)).text();
      const approvals = (await verifyContractRecordSource(record)).checks.find((c) => c.id === 'contract.approvals')!;
      expect(approvals).toMatchObject({ status: 'pass', checked: 2 });

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(effectiveAt) - Date.now() + 10)));
      const after = await completedRepair(tenant2, { id: host.id, staff: hostOfficer }, 'Bath tap loose');
      const confirmed = Repair.parse(await hostOfficer.json(hostOfficer.post(`${repairsOf(host.id)}/${after.orderId}/confirm`)));
      // Revision 2's price; the host's third job of the year, 10% off: 900 p.
      expect(confirmed.payment).toMatchObject({ termsRevision: 2, basePence: 9_000, bulkDiscountPence: 900, associationPaysPence: 8_100 });
      const all = await contractEntries(contract.log);
      const evaluation = evaluateContract(
        ContractAgreedBody.parse(all.find((e) => e.type === 'ContractAgreed')!.body).terms,
        all.filter((e) => 'event' in e.body).map((e) => (e.body as { event: unknown }).event),
      );
      expect(evaluation.errors).toEqual([]);
      expect(evaluation.jobs.find((j) => j.orderId === after.orderId)?.price).toMatchObject({ basePence: 9_000, associationPaysPence: 8_100 });
    });

    it('lets a suspended organisation’s members do nothing', async () => {
      const pending = Repair.parse(await tenant3.json(tenant3.post(repairsOf(other.id), report(contract.contractId, 'Door sticks')), 201));
      await admin.json(admin.post(`/api/official/organisations/${other.id}/status`, { status: 'suspended' }));
      for (const response of [
        otherAdmin.post(`${repairsOf(other.id)}/${pending.orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }),
        otherAdmin.get(`/api/organisations/${other.id}/contracts`),
        otherAdmin.post(`/api/organisations/${other.id}/payment-runs`, { contractId: contract.contractId }),
        tenant3.post(repairsOf(other.id), report(contract.contractId)),
      ]) {
        expect(await code(response)).toMatchObject({ status: 403, code: 'ORGANISATION_NOT_ACTIVE' });
      }
      await admin.json(admin.post(`/api/official/organisations/${contractor.id}/status`, { status: 'suspended' }));
      expect((await code(contractorAdmin.get(workOf(contractor.id)))).code).toBe('ORGANISATION_NOT_ACTIVE');
      await admin.json(admin.post(`/api/official/organisations/${contractor.id}/status`, { status: 'active' }));
      await admin.json(admin.post(`/api/official/organisations/${other.id}/status`, { status: 'active' }));
      expect((await otherAdmin.get(`/api/organisations/${other.id}/contracts`)).status).toBe(200);
    });
  });
});
