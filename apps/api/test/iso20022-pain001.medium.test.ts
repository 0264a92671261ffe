import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankAccountAnswer, ContractDetail, OrganisationSummary, PaymentRunList, PaymentRunSummary, Repair, type OrganisationRegistration } from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { ApiClient } from '@townhall/client-flows';
import { staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { approve, organisationFlows, termsFor, type Member } from './identity-support/organisation-flows.ts';
import { pain001Texts as texts, validatePain001 } from './support/pain001-schema.ts';
import { dialects } from './support/test-database.ts';

/**
 * Organisations' bank accounts for payments and a payment run's ISO 20022 pain.001.001.09 bank file
 * (docs/organisations.md §2.4, docs/protocol/contracts.md §11.6), through the HTTP API: every file is
 * validated against the ISO 20022 message schema (test/vectors/iso20022).
 */
const code = ApiClient.errorCode;
const put = (client: ApiClient, path: string, body: unknown) => client.request('PUT', path, { body });


describe.each(dialects)('bank accounts and pain.001 bank files on %s', (dialect) => {
  let app: RunningApp;
  let contractor: OrganisationSummary;
  let host: OrganisationSummary;
  let other: OrganisationSummary;
  let contractorAdmin: Member;
  let hostAdmin: Member;
  let otherAdmin: Member;
  let hostOfficer: ApiClient;
  let hostFinance: ApiClient;
  let tenant1: ApiClient;
  let tenant3: ApiClient;
  let contract: ContractDetail;

  const bankAccountOf = (id: string) => `/api/organisations/${id}/bank-account`;
  const runsOf = (id: string) => `/api/organisations/${id}/payment-runs`;
  const pain001Of = (id: string, runId: string) => `${runsOf(id)}/${runId}/pain001`;

  /** A repair reported by the tenant, done by the contractor and confirmed by the association: one payment. */
  async function confirmedRepair(tenant: ApiClient, association: { id: string; staff: ApiClient }, description: string): Promise<Repair> {
    const repairs = `/api/organisations/${association.id}/repairs`;
    const work = `/api/organisations/${contractor.id}/work-orders`;
    const raised = Repair.parse(
      await tenant.json(
        tenant.post(repairs, { contractId: contract.contractId, description, location: 'Kitchen', priority: 'routine', hazards: { dampOrMould: false, immediateRisk: false } }),
        201,
      ),
    );
    await association.staff.json(association.staff.post(`${repairs}/${raised.orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }));
    await contractorAdmin.json(contractorAdmin.post(`${work}/${raised.orderId}/accept`));
    const start = new Date(Date.now() + 86_400_000);
    await contractorAdmin.json(
      contractorAdmin.post(`${work}/${raised.orderId}/schedule`, { appointmentStart: start.toISOString(), appointmentEnd: new Date(start.getTime() + 3_600_000).toISOString() }),
    );
    await contractorAdmin.json(contractorAdmin.post(`${work}/${raised.orderId}/complete`, { notes: 'Done' }));
    return Repair.parse(await association.staff.json(association.staff.post(`${repairs}/${raised.orderId}/confirm`)));
  }

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
    const admin = (await staffMember(app, 'admin', 'Ada Admin')).client;
    const flows = organisationFlows(app, admin, 40_000_000);
    const register = (overrides: Partial<OrganisationRegistration>) => flows.register(overrides);
    // Names a bank file must escape: an ampersand, angle brackets, quotes and accents.
    contractor = await register({ kind: 'contractor', legalName: 'Ærø & Søn <Plumbing> Ltd' });
    host = await register({ kind: 'housing-association', legalName: 'Castle Homes' });
    other = await register({ kind: 'housing-association', legalName: 'Moat Housing, "Co-op" Société' });
    contractorAdmin = await flows.administratorOf(contractor, 'Carl Contractor');
    hostAdmin = await flows.administratorOf(host, 'Hana Host');
    otherAdmin = await flows.administratorOf(other, 'Otto Other');
    hostOfficer = await flows.joinAsNewPerson(await flows.invite(hostAdmin, host.id, 'Rita Repairs', ['repairs']));
    hostFinance = await flows.joinAsNewPerson(await flows.invite(hostAdmin, host.id, 'Fay Finance', ['finance']));
    tenant1 = await flows.tenantOf(hostAdmin, host.id, 'CAS-0001');
    tenant3 = await flows.tenantOf(otherAdmin, other.id, 'CAS-0003');
    contract = ContractDetail.parse(
      await hostAdmin.json(hostAdmin.post(`/api/organisations/${host.id}/contracts`, { terms: termsFor({ contractor: contractor.id, host: host.id, other: other.id }) }), 201),
    );
    for (const [client, id] of [
      [hostAdmin, host.id],
      [contractorAdmin, contractor.id],
      [otherAdmin, other.id],
    ] as const) {
      await client.json(approve(client, id, contract.contractId));
    }
  }, 180_000);
  afterAll(async () => {
    await app?.destroy();
  });

  describe('an organisation’s bank account for payments', () => {
    it('is set and read by the organisation’s administrators only, checked field by field, and kept out of the ledger', async () => {
      expect(BankAccountAnswer.parse(await hostAdmin.json(hostAdmin.get(bankAccountOf(host.id))))).toEqual({ bankAccount: null });

      // Every field is checked, each problem named by its field.
      const refused = await code(
        put(hostAdmin, bankAccountOf(host.id), { accountName: ' ', sortCode: '30-94-3', accountNumber: '0073344', iban: 'GB29 NWBK 6016 1331 9268 18', bic: 'NWBKGB2' }),
      );
      expect(refused).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(refused.issues?.map((i) => i.path).sort()).toEqual(['accountName', 'accountNumber', 'bic', 'iban', 'sortCode']);
      const checksum = await code(put(hostAdmin, bankAccountOf(host.id), { accountName: 'Castle Homes', sortCode: '601613', accountNumber: '31926819', iban: 'GB29 NWBK 6016 1331 9268 18', bic: 'NWBKGB2' }));
      expect(checksum.issues).toEqual([
        { path: 'iban', message: expect.stringContaining('check digits') },
        { path: 'bic', message: expect.stringContaining('not a valid BIC') },
      ]);
      // A UK IBAN must hold the sort code and account number given.
      const mismatch = await code(put(hostAdmin, bankAccountOf(host.id), { accountName: 'Castle Homes', sortCode: '309430', accountNumber: '00733445', iban: 'GB29NWBK60161331926819' }));
      expect(mismatch.issues).toEqual([{ path: 'iban', message: expect.stringContaining('does not hold the sort code and account number') }]);

      const registry = app.app.get(LedgerService);
      const registrySize = (await registry.getLog(REGISTRY_LOG)).size;
      const saved = BankAccountAnswer.parse(
        await hostAdmin.json(put(hostAdmin, bankAccountOf(host.id), { accountName: '  Castle   Homes  ', sortCode: '30-94-30', accountNumber: '0073 3445' })),
      );
      expect(saved.bankAccount).toMatchObject({ accountName: 'Castle Homes', sortCode: '309430', accountNumber: '00733445', iban: null, bic: null, updatedBy: 'Hana Host' });
      const read = await hostAdmin.get(bankAccountOf(host.id));
      expect(read.headers.get('cache-control')).toBe('no-store');
      expect(BankAccountAnswer.parse(await hostAdmin.json(read))).toEqual(saved);
      // Not in the public ledger: no entry, and no entry anywhere that holds the account number.
      expect((await registry.getLog(REGISTRY_LOG)).size).toBe(registrySize);
      for (const log of (await registry.listLogs()).map((l) => l.name)) {
        const entries = await registry.entries(log, 0n, (await registry.getLog(log)).size);
        for (const entry of entries) expect(JSON.stringify(decodeEntry(entry.bytes).body)).not.toContain('00733445');
      }

      // Its finance and repairs staff, its tenants and another organisation's administrators may not see or change it.
      for (const client of [hostFinance, hostOfficer, tenant1, otherAdmin]) {
        expect((await code(client.get(bankAccountOf(host.id)))).code).toBe('FORBIDDEN');
        expect((await code(put(client, bankAccountOf(host.id), { accountName: 'Mallory', sortCode: '000000', accountNumber: '00000000' }))).code).toBe('FORBIDDEN');
      }
      expect(BankAccountAnswer.parse(await hostAdmin.json(hostAdmin.get(bankAccountOf(host.id)))).bankAccount?.accountNumber).toBe('00733445');
    });
  });

  describe('a payment run’s pain.001 bank file', () => {
    let hostRun: PaymentRunSummary;

    it('is not made while a payee has no bank account: 409 naming it, and the run stays as it was', async () => {
      await confirmedRepair(tenant1, { id: host.id, staff: hostOfficer }, 'Kitchen tap drips');
      await confirmedRepair(tenant1, { id: host.id, staff: hostOfficer }, 'Bathroom tap loose');
      hostRun = PaymentRunSummary.parse(await hostAdmin.json(hostAdmin.post(runsOf(host.id), { contractId: contract.contractId }), 201));
      const refused = await hostFinance.get(pain001Of(host.id, hostRun.runId));
      expect(refused.headers.get('content-disposition')).toBeNull();
      expect(await code(refused)).toMatchObject({
        status: 409,
        code: 'BANK_ACCOUNT_MISSING',
        message: expect.stringContaining('Ærø & Søn <Plumbing> Ltd (the contractor) has no bank account for payments recorded'),
        issues: [{ path: `organisations.${contractor.id}`, message: expect.any(String) }],
      });
      // The CSV list of the same run is made as before.
      expect((await hostFinance.get(`${runsOf(host.id)}/${hostRun.runId}/file`)).status).toBe(200);
      // No file was made, so none is kept.
      expect(hostRun.bankFileMadeAt).toBeNull();
      expect(PaymentRunList.parse(await hostFinance.json(hostFinance.get(runsOf(host.id)))).runs[0]!.bankFileMadeAt).toBeNull();
    });

    it('validates against the ISO 20022 schema, pays to the penny what the run recorded, and escapes every name', async () => {
      await contractorAdmin.json(
        put(contractorAdmin, bankAccountOf(contractor.id), { accountName: 'Ærø & Søn <Plumbing>', sortCode: '601613', accountNumber: '31926819', iban: 'gb29 nwbk 6016 1331 9268 19', bic: 'nwbkgb2l' }),
      );
      const response = await hostFinance.get(pain001Of(host.id, hostRun.runId));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      // Account numbers: never kept by a browser or a proxy.
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="payment-run-${hostRun.runId}.pain001.xml"`);
      const xml = await response.text();
      expect(await validatePain001(xml)).toEqual({ valid: true, errors: [] });

      expect(texts(xml, 'MsgId')).toEqual([hostRun.runId.replaceAll('-', '')]);
      expect(texts(xml, 'NbOfTxs')).toEqual(['2', '2']);
      const pence = (amount: string) => BigInt(amount.replace('.', ''));
      expect(texts(xml, 'CtrlSum').map(pence)).toEqual([BigInt(hostRun.totalPence), BigInt(hostRun.totalPence)]);
      // The host pays no fee to itself: one transfer per job, to the contractor, each the job's payment.
      expect(texts(xml, 'InstdAmt').map(pence)).toEqual(hostRun.payments.map((p) => BigInt(p.contractorPaymentPence)));
      expect(texts(xml, 'InstdAmt')).toEqual(['85.17', '76.65']);
      expect(texts(xml, 'EndToEndId')).toEqual(hostRun.payments.map((p) => `${p.orderId.replaceAll('-', '')}-C`));
      // The debtor: the host's sort code and account number; the creditor: the contractor's IBAN and BIC.
      expect(texts(xml, 'Othr').map((t) => t.replace(/\s+/g, ''))).toEqual(['30943000733445SortCodeAccountNumber']);
      expect(texts(xml, 'IBAN')).toEqual(['GB29NWBK60161331926819', 'GB29NWBK60161331926819']);
      expect(xml).toContain('<Nm>Ærø &amp; Søn &lt;Plumbing&gt; Ltd</Nm>');
      expect(texts(xml, 'Nm')).toContain('Ærø & Søn <Plumbing> Ltd');

      // The file is made once and kept: the run now says when.
      const made = PaymentRunList.parse(await hostFinance.json(hostFinance.get(runsOf(host.id)))).runs.find((r) => r.runId === hostRun.runId)!;
      expect(made.bankFileMadeAt).toEqual(texts(xml, 'CreDtTm')[0]!.replace('Z', '.000Z'));
      // The contractor's account changes afterwards (a new bank, or someone who took over its
      // administrator's account): downloaded again, the run's file is the very same, paying where it did.
      await contractorAdmin.json(put(contractorAdmin, bankAccountOf(contractor.id), { accountName: 'Somebody else', sortCode: '123456', accountNumber: '98765432', iban: 'GB82WEST12345698765432' }));
      const again = await (await hostFinance.get(pain001Of(host.id, hostRun.runId))).text();
      expect(again).toBe(xml);
      expect(again).not.toContain('GB82WEST12345698765432');
      expect(texts(again, 'MsgId')).toEqual(texts(xml, 'MsgId'));
      expect(texts(again, 'EndToEndId')).toEqual(texts(xml, 'EndToEndId'));
      // And the jobs it pays are in no other run.
      expect(await code(hostAdmin.post(runsOf(host.id), { contractId: contract.contractId }))).toMatchObject({ status: 409, code: 'NOTHING_TO_PAY' });
    });

    it('pays the host its fee from another association’s run, once that association has its own account', async () => {
      const job = await confirmedRepair(tenant3, { id: other.id, staff: otherAdmin }, 'Tap will not turn off');
      const otherRun = PaymentRunSummary.parse(await otherAdmin.json(otherAdmin.post(runsOf(other.id), { contractId: contract.contractId }), 201));
      expect(await code(otherAdmin.get(pain001Of(other.id, otherRun.runId)))).toMatchObject({
        code: 'BANK_ACCOUNT_MISSING',
        issues: [{ path: `organisations.${other.id}`, message: expect.stringContaining('the association paying') }],
      });
      await otherAdmin.json(put(otherAdmin, bankAccountOf(other.id), { accountName: 'Moat Housing Co-op', sortCode: '200000', accountNumber: '55779911' }));
      const xml = await (await otherAdmin.get(pain001Of(other.id, otherRun.runId))).text();
      expect(await validatePain001(xml)).toEqual({ valid: true, errors: [] });
      expect(texts(xml, 'InstdAmt')).toEqual(['85.17', '1.50']);
      expect(texts(xml, 'CtrlSum')).toEqual(['86.67', '86.67']);
      expect(otherRun.totalPence).toBe('8667');
      expect(texts(xml, 'EndToEndId')).toEqual([`${job.orderId.replaceAll('-', '')}-C`, `${job.orderId.replaceAll('-', '')}-H`]);
      expect(texts(xml, 'Ustrd')).toEqual([
        `Contract ${contract.contractId}, order ${job.orderId}: contractor payment`,
        `Contract ${contract.contractId}, order ${job.orderId}: host fee`,
      ]);
      // The fee goes to the host's own account, by sort code and account number.
      expect(texts(xml, 'Othr').map((t) => t.replace(/\s+/g, ''))).toEqual(['20000055779911SortCodeAccountNumber', '30943000733445SortCodeAccountNumber']);
      expect(texts(xml, 'Nm')).toContain('Moat Housing, "Co-op" Société');
    });

    it('is for the association’s administrators and finance staff only, like the CSV list', async () => {
      const path = pain001Of(host.id, hostRun.runId);
      expect((await hostAdmin.get(path)).status).toBe(200);
      // Its repairs staff and tenants: forbidden; another organisation's administrators: forbidden through the host's id,
      // and through their own the run is not found, as a missing one is.
      for (const client of [hostOfficer, tenant1, otherAdmin, contractorAdmin]) expect((await code(client.get(path))).code).toBe('FORBIDDEN');
      expect(await code(otherAdmin.get(pain001Of(other.id, hostRun.runId)))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(await code(contractorAdmin.get(pain001Of(contractor.id, hostRun.runId)))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect((await code(hostAdmin.get(pain001Of(host.id, 'not-a-run')))).code).toBe('NOT_FOUND');
      expect((await code(hostAdmin.get(pain001Of(host.id, '00000000-0000-4000-8000-000000000000')))).code).toBe('NOT_FOUND');
    });
  });
});
