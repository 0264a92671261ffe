import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ContractDetail, OcdsReleasePackage, OrganisationMemberList, PaymentComputedBody, PaymentRunSummary, Repair, type ContractTermsInput } from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { startWitness, type RunningWitness } from '@townhall/witness';
import { CHECKS_OF_FORMAT, verifyContractRecordSource } from '@townhall/verifier';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { ApiClient } from '@townhall/client-flows';
import { PUBLIC_URL, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { approve, organisationFlows, termsFor } from './identity-support/organisation-flows.ts';
import { TEST_LOG_SEED_BASE64, testLogVerifierKey, waitFor } from './ledger-support.ts';
import { dialects } from './support/test-database.ts';

// Set TOWNHALL_WRITE_CONTRACT_RECORD_FIXTURE=<path> to keep the record of this run (packages/verifier's
// contract tampering suite uses one, made this way: see packages/verifier/test/fixtures/README.md).
const FIXTURE_PATH = process.env.TOWNHALL_WRITE_CONTRACT_RECORD_FIXTURE;
const HOURS = 3_600_000;

/**
 * Terms under which one late job changes the price of the jobs after it: the late-delivery rule
 * applies from two confirmed jobs in the window (contracts.md §4 step 6.3), and an emergency is due
 * within 24 hours of triage.
 */
function recordTerms(parties: { contractor: string; host: string; other: string }): ContractTermsInput {
  const terms = termsFor(parties, { contractId: 'keep-repairs', title: 'Responsive repairs, Keep consortium' });
  return {
    ...terms,
    catalogue: terms.catalogue.filter((item) => item.code === 'TAP-01'),
    lateDelivery: { ...terms.lateDelivery!, minimumJobs: 2 },
  };
}

describe.each(dialects)('the contract record on %s', (dialect) => {
  const dirs = [mkdtempSync(join(tmpdir(), 'townhall-cw1-')), mkdtempSync(join(tmpdir(), 'townhall-cw2-'))];
  const witnesses: RunningWitness[] = [];
  let app: RunningApp;
  let admin: ApiClient;
  const realNow = Date.now.bind(Date);

  beforeAll(async () => {
    // Two witnesses, both needed; the test log key, so the verifier's tampering suite can reseal the
    // fixture this test writes as a dishonest operator would (without the witnesses' keys).
    const logs = [{ origin: `${new URL(PUBLIC_URL).host}/townhall/*`, verifierKey: testLogVerifierKey() }];
    for (const [i, dir] of dirs.entries()) witnesses.push(await startWitness({ stateDir: dir, name: `contract-witness-${i + 1}`, logs }));
    app = await startIdentityApp(dialect, {
      TOWNHALL_LOG_SIGNING_KEY: TEST_LOG_SEED_BASE64,
      TOWNHALL_LOCAL_WITNESSES: 'false',
      TOWNHALL_WITNESSES: witnesses.map((w) => `${w.verifierKey}@${w.url}`).join(', '),
      TOWNHALL_WITNESS_QUORUM: '2',
    });
    admin = (await staffMember(app, 'admin', 'Ada Admin')).client;
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
    for (const w of witnesses) await w.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    vi.restoreAllMocks();
  });

  const download = (contractId: string) => fetch(`${app.baseUrl}/api/contracts/${contractId}/record`);

  it('downloads the record of a contract with a late job and payment runs, and the verifier recomputes every payment', async () => {
    const { register, administratorOf, joinAsNewPerson, invite, tenantOf } = organisationFlows(app, admin, 30_000_000);
    const contractor = await register({ kind: 'contractor', legalName: 'Keep Plumbing Ltd' });
    const host = await register({ kind: 'housing-association', legalName: 'Keep Homes' });
    const other = await register({ kind: 'housing-association', legalName: 'Moat Housing' });
    const contractorAdmin = await administratorOf(contractor, 'Carl Contractor');
    const hostAdmin = await administratorOf(host, 'Hana Host');
    const otherAdmin = await administratorOf(other, 'Otto Other');
    const hostOfficer = await joinAsNewPerson(await invite(hostAdmin, host.id, 'Rita Repairs', ['repairs']));
    const hostFinance = await joinAsNewPerson(await invite(hostAdmin, host.id, 'Fay Finance', ['finance']));
    const tenant1 = await tenantOf(hostAdmin, host.id, 'CAS-0001');
    const tenant3 = await tenantOf(otherAdmin, other.id, 'CAS-0003');

    const contract = ContractDetail.parse(
      await hostAdmin.json(hostAdmin.post(`/api/organisations/${host.id}/contracts`, { terms: recordTerms({ contractor: contractor.id, host: host.id, other: other.id }) }), 201),
    );
    for (const [client, id] of [[hostAdmin, host.id], [contractorAdmin, contractor.id], [otherAdmin, other.id]] as const) {
      await client.json(approve(client, id, contract.contractId));
    }

    const repairs = (id: string) => `/api/organisations/${id}/repairs`;
    const work = `/api/organisations/${contractor.id}/work-orders`;
    const report = async (tenant: ApiClient, associationId: string, description: string) =>
      Repair.parse(
        await tenant.json(
          tenant.post(repairs(associationId), { contractId: contract.contractId, description, location: 'Kitchen', priority: 'routine', hazards: { dampOrMould: false, immediateRisk: false } }),
          201,
        ),
      );
    const triage = (staff: ApiClient, associationId: string, orderId: string, priority: string) =>
      staff.json(staff.post(`${repairs(associationId)}/${orderId}/triage`, { itemCode: 'TAP-01', priority, hazard: 'none' }));
    const acceptAndSchedule = async (orderId: string) => {
      await contractorAdmin.json(contractorAdmin.post(`${work}/${orderId}/accept`));
      const start = new Date(Date.now() + HOURS);
      await contractorAdmin.json(contractorAdmin.post(`${work}/${orderId}/schedule`, { appointmentStart: start.toISOString(), appointmentEnd: new Date(start.getTime() + 2 * HOURS).toISOString() }));
    };
    const complete = (orderId: string) => contractorAdmin.json(contractorAdmin.post(`${work}/${orderId}/complete`, { notes: 'Fitted a new mixer' }));
    const confirm = (staff: ApiClient, associationId: string, orderId: string) => staff.json(staff.post(`${repairs(associationId)}/${orderId}/confirm`));
    const setStatus = (organisationId: string, status: 'active' | 'suspended') => admin.json(admin.post(`/api/official/organisations/${organisationId}/status`, { status }));

    // Job 1, an emergency completed 25 hours after triage: late. The server's clock is moved on for
    // the rest of the test (event instants come from Date.now; sessions are checked against new Date()).
    const late = await report(tenant1, host.id, 'Water pouring from the tap');
    await triage(hostOfficer, host.id, late.orderId, 'emergency');
    await acceptAndSchedule(late.orderId);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 25 * HOURS);
    await complete(late.orderId);
    expect(Repair.parse(await confirm(hostOfficer, host.id, late.orderId)).payment).toMatchObject({ lateReductionPence: 0 });

    // Job 2, on time, once rejected and done again: 1 late of 2 in the window (50% ≥ 10%), so 20% off.
    const onTime = await report(tenant1, host.id, 'Bathroom tap loose');
    await triage(hostOfficer, host.id, onTime.orderId, 'routine');
    await acceptAndSchedule(onTime.orderId);
    await complete(onTime.orderId);
    await hostOfficer.json(hostOfficer.post(`${repairs(host.id)}/${onTime.orderId}/reject`, { reason: 'not-fixed', detail: 'Still loose' }));
    await complete(onTime.orderId);
    const second = Repair.parse(await confirm(hostOfficer, host.id, onTime.orderId));
    // 8517 − 10% (852) = 7665; − 20% (1533) = 6132.
    expect(second.payment).toMatchObject({ basePence: 8_517, bulkDiscountPence: 852, lateReductionPence: 1_533, contractorPaymentPence: 6_132 });

    // Job 3, the other association's: it pays the host's fee. The council suspends the contractor
    // for a while after its triage (its members can do nothing meanwhile), then reinstates it.
    const third = await report(tenant3, other.id, 'Tap will not turn off');
    await triage(otherAdmin, other.id, third.orderId, 'routine');
    await setStatus(contractor.id, 'suspended');
    expect((await contractorAdmin.post(`${work}/${third.orderId}/accept`)).status).toBe(403);
    // Registry entries carry whole seconds: the clock moves on 3 s, so the suspension is seen to last.
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 25 * HOURS + 3_000);
    await setStatus(contractor.id, 'active');
    await acceptAndSchedule(third.orderId);
    await complete(third.orderId);
    await confirm(otherAdmin, other.id, third.orderId);

    // A job still open: in the record, not paid. The host's first repairs officer has left (her
    // membership revoked); the next one triages it.
    const members = OrganisationMemberList.parse(await hostAdmin.json(hostAdmin.get(`/api/organisations/${host.id}/members`))).members;
    const rita = members.find((m) => m.displayName === 'Rita Repairs')!;
    expect((await hostAdmin.post(`/api/organisations/${host.id}/members/${rita.id}/remove`, {})).status).toBe(204);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 25 * HOURS + 6_000);
    const nextOfficer = await joinAsNewPerson(await invite(hostAdmin, host.id, 'Omar Officer', ['repairs']));
    const open = await report(tenant1, host.id, 'Kitchen tap stiff');
    expect((await hostOfficer.post(`${repairs(host.id)}/${open.orderId}/triage`, { itemCode: 'TAP-01', priority: 'urgent', hazard: 'none' })).status).toBe(403);
    await triage(nextOfficer, host.id, open.orderId, 'urgent');

    const hostRun = PaymentRunSummary.parse(await hostFinance.json(hostFinance.post(`/api/organisations/${host.id}/payment-runs`, { contractId: contract.contractId }), 201));
    expect(hostRun.payments.map((p) => p.orderId).sort()).toEqual([late.orderId, onTime.orderId].sort());
    await otherAdmin.json(otherAdmin.post(`/api/organisations/${other.id}/payment-runs`, { contractId: contract.contractId }), 201);

    // Wait until the witnesses have cosigned the whole contract log and the registry's membership entries.
    const ledger = app.app.get(LedgerService);
    for (const log of [contract.log, REGISTRY_LOG]) {
      await waitFor(async () => {
        await ledger.checkpointNow(log);
        return (await ledger.latestCheckpoint(log, { published: true }))?.size === (await ledger.getLog(log)).size;
      }, `a published checkpoint of ${log}`);
    }

    const response = await download(contract.contractId);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const text = await response.text();
    const lines = text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as { kind: string; [key: string]: unknown });
    expect(lines[0]).toMatchObject({ kind: 'record', format: 'townhall/contract-record', version: 1, contractId: contract.contractId });
    expect(lines[1]).toMatchObject({ kind: 'keys', contractLog: { origin: `${new URL(PUBLIC_URL).host}/townhall/contract/${contract.contractId}` }, witnessPolicy: { quorum: 2 } });
    expect(lines.filter((l) => l.kind === 'checkpoint').length).toBeGreaterThan(0);
    const entries = lines.filter((l) => l.kind === 'entry').map((l) => decodeEntry(Buffer.from(l.bytes as string, 'base64')));
    expect(entries.length).toBe(Number((await ledger.getLog(contract.log)).size));
    expect(entries.filter((e) => e.type === 'PaymentRun')).toHaveLength(2);
    const payments = entries.filter((e) => e.type === 'PaymentComputed').map((e) => PaymentComputedBody.parse(e.body));
    expect(payments.find((p) => p.orderId === onTime.orderId)?.lateReductionPence).toBe(1_533);
    // The registry entries the approvals and steps rest on, in time: the three parties and the
    // contractor's suspension and reinstatement; the members who acted, and the revocation of one.
    const registry = lines.filter((l) => l.kind === 'registry-entry').map((l) => decodeEntry(Buffer.from(l.bytes as string, 'base64')));
    expect(registry.filter((e) => e.type === 'OrganisationRegistered').map((e) => e.body.organisationId).sort()).toEqual([contractor.id, host.id, other.id].sort());
    expect(registry.filter((e) => e.type === 'OrganisationStatusChanged').map((e) => [e.body.organisationId, e.body.status])).toEqual([
      [contractor.id, 'suspended'],
      [contractor.id, 'active'],
    ]);
    // Administrators of the three parties, the host's two repairs officers and its finance officer; no tenant.
    expect(new Set(registry.filter((e) => e.type === 'MembershipGranted').map((e) => e.body.member)).size).toBe(6);
    expect(registry.filter((e) => e.type === 'MembershipRevoked')).toHaveLength(1);

    const verified = await verifyContractRecordSource(text);
    const failures = verified.checks.filter((c) => c.status !== 'pass');
    expect(failures).toEqual([]);
    expect(verified).toMatchObject({ isValid: true, contractId: contract.contractId, entries: entries.length });
    expect(verified.checks.map((c) => c.id)).toEqual(CHECKS_OF_FORMAT['townhall/contract-record']);
    const checked = Object.fromEntries(verified.checks.map((c) => [c.id, c.checked]));
    expect(checked).toMatchObject({ 'contract.payments': 3, 'contract.payment-runs': 2, 'contract.approvals': 1, 'contract.sequence': entries.length });
    if (FIXTURE_PATH) writeFileSync(FIXTURE_PATH, text);

    // The same history as Open Contracting Data: a milestone per triaged job (the late one says so), a
    // transaction per payment made in a run (contractor and host fee apart), no tenant's data.
    const ocdsResponse = await fetch(`${app.baseUrl}/api/contracts/${contract.contractId}/ocds`);
    expect(ocdsResponse.status).toBe(200);
    const ocds = OcdsReleasePackage.parse(await ocdsResponse.json());
    const release = ocds.releases[0]!;
    expect(release.ocid).toBe(`ocds-thdemo-${contract.contractId}`);
    expect(release.parties.find((p) => p.id === contractor.id)?.roles).toEqual(['supplier', 'payee']);
    const milestones = release.contracts[0]!.implementation.milestones;
    expect(milestones).toHaveLength(4);
    expect(milestones.find((m) => m.id === `${late.orderId}-completion`)).toMatchObject({ status: 'met', description: 'Completed after its deadline.' });
    expect(milestones.find((m) => m.id === `${open.orderId}-completion`)).toMatchObject({ status: 'scheduled' });
    expect(milestones.find((m) => m.id === `${open.orderId}-completion`)).not.toHaveProperty('dateMet');
    const transactions = release.contracts[0]!.implementation.transactions;
    const runPence = transactions.filter((t) => t.payer.id === host.id).reduce((sum, t) => sum + Math.round(t.value.amount * 100), 0);
    expect(runPence).toBe(Number(hostRun.totalPence));
    expect(transactions.filter((t) => t.payee.id === host.id)).toHaveLength(1); // the other association's host fee
    const published = JSON.stringify(ocds);
    for (const text of ['Kitchen', 'Keep Lane', 'DB1', 'tap']) expect(published).not.toContain(text);
    expect((await fetch(`${app.baseUrl}/api/contracts/no-such-contract/ocds`)).status).toBe(404);
  }, 180_000);

  it('is public, and 404 for a contract that does not exist; 400 for an id that cannot be one', async () => {
    const missing = await download('no-such-contract');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const invalid = await download('not%20an%20id');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
