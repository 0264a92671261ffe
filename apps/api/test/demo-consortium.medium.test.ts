import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry } from '@townhall/ledger';
import { MyOrganisationList, RegistrationOptionsResponse, Repair, RepairAssociationList, RepairList, RepairTriage, SessionResponse } from '@townhall/protocol';
import { ContractsService } from '../src/contracts/contracts.service.ts';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import {
  DEMO_ASSOCIATIONS,
  DEMO_CONTRACT_ID,
  DEMO_CONTRACTOR,
  DEMO_TENANT,
  describeDemoConsortium,
  seedDemoConsortium,
  type DemoConsortiumResult,
} from '../src/seed/demo-consortium.ts';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { enrolOk } from '@townhall/client-flows';
import { issueCard, newBrowser, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { dialects } from './support/test-database.ts';

describe.each(dialects)('the demo repairs consortium seed on %s', (dialect) => {
  let app: RunningApp;
  let first: DemoConsortiumResult;
  let second: DemoConsortiumResult;

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
    first = await seedDemoConsortium(app.app, app.database.prisma);
    second = await seedDemoConsortium(app.app, app.database.prisma);
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
  });

  it('registers two associations and a contractor whose contract every party agreed, once; the second seeding changes nothing', async () => {
    expect(first.created).toBe(true);
    // Only the one-time staff links are new at each start (the earlier ones end).
    expect(second).toEqual({ ...first, created: false, staffLinks: expect.any(Array) });
    const prisma = app.database.prisma;
    const numbers = [DEMO_CONTRACTOR, ...DEMO_ASSOCIATIONS].map((o) => o.companyNumber);
    const organisations = await prisma.organisation.findMany({ where: { companyNumber: { in: numbers } } });
    expect(organisations.map((o) => o.legalName).sort()).toEqual([DEMO_CONTRACTOR, ...DEMO_ASSOCIATIONS].map((o) => o.legalName).sort());
    const host = organisations.find((o) => o.companyNumber === DEMO_ASSOCIATIONS[0]!.companyNumber)!;

    const contract = await app.app.get(ContractsService).contract(host.id, DEMO_CONTRACT_ID);
    expect(contract).toMatchObject({ agreedRevision: 1, hostId: host.id, versions: [{ revision: 1, status: 'agreed' }] });
    expect(contract.versions[0]!.approvals).toHaveLength(3);
    const ledger = app.app.get(LedgerService);
    const entries = await ledger.entries(contract.log, 0n, (await ledger.getLog(contract.log)).size);
    expect(entries.map((e) => decodeEntry(e.bytes).type)).toEqual(['LogCreated', 'ContractAgreed']);
    // One administrator per organisation and one tenant, however many times it ran (the demo staff join by their links).
    expect(await prisma.organisationMember.count({ where: { organisationId: { in: organisations.map((o) => o.id) } } })).toBe(4);
    // Every party has a bank account, so a demo payment run's bank file (pain.001) can be made.
    const accounts = await prisma.organisationBankAccount.findMany({ where: { organisationId: { in: organisations.map((o) => o.id) } } });
    expect(accounts.map((a) => [a.sortCode, a.accountNumber]).sort()).toEqual(
      [DEMO_CONTRACTOR, ...DEMO_ASSOCIATIONS].map((o) => [o.bankAccount.sortCode.replaceAll('-', ''), o.bankAccount.accountNumber]).sort(),
    );
  });

  it('makes the first demo resident a tenant who, once enrolled, can report a repair and follow it', async () => {
    const row = demoElectors.find((e) => e[0] === DEMO_TENANT)!;
    const { client, authenticator } = await newBrowser(app);
    await enrolOk(client, authenticator, { activationCode: await issueCard(app, DEMO_TENANT), postcode: row[5] });
    const { associations } = RepairAssociationList.parse(await client.json(client.get('/api/account/repairs/associations')));
    expect(associations).toEqual([{ associationId: expect.any(String), legalName: DEMO_ASSOCIATIONS[0]!.legalName, contractId: DEMO_CONTRACT_ID }]);
    const report = {
      contractId: associations[0]!.contractId,
      description: 'The bathroom extractor fan has stopped',
      location: 'Bathroom',
      priority: 'routine',
      hazards: { dampOrMould: true, immediateRisk: false },
    };
    const raised = Repair.parse(await client.json(client.post(`/api/organisations/${associations[0]!.associationId}/repairs`, report), 201));
    expect(raised).toMatchObject({ state: 'raised', address: `${row[4]}, ${row[5]}`, history: [{ type: 'order-raised' }] });
    expect(RepairList.parse(await client.json(client.get('/api/account/repairs'))).repairs.map((r) => r.orderId)).toEqual([raised.orderId]);
  });

  it('gives a newcomer one-time links to join as the association’s repairs officer and the contractor’s engineer; a new start ends the old links', async () => {
    expect(first.staffLinks.map((l) => [l.organisation, l.roles])).toEqual([
      [DEMO_ASSOCIATIONS[0]!.legalName, ['repairs', 'finance']],
      [DEMO_CONTRACTOR.legalName, ['repairs']],
    ]);
    const tokenOf = (url: string) => url.split('/').pop()!;
    const anonymous = (await newBrowser(app)).client;
    // The first start's links ended when the second start made new ones.
    for (const link of first.staffLinks) expect((await anonymous.get(`/api/organisation-invitations/${tokenOf(link.url)}`)).status).toBe(404);

    // The engineer joins with a passkey and sees the contractor's work orders, and can do nothing as the association.
    const engineer = await newBrowser(app);
    const token = tokenOf(second.staffLinks[1]!.url);
    const { options } = RegistrationOptionsResponse.parse(await engineer.client.json(engineer.client.post(`/api/organisation-invitations/${token}/start`)));
    const session = SessionResponse.parse(
      await engineer.client.json(engineer.client.post(`/api/organisation-invitations/${token}/finish`, { response: engineer.authenticator.create(options) })),
    );
    engineer.client.csrfToken = session.csrfToken;
    const mine = MyOrganisationList.parse(await engineer.client.json(engineer.client.get('/api/account/organisations')));
    expect(mine.organisations.map((m) => [m.organisation.legalName, m.roles])).toEqual([[DEMO_CONTRACTOR.legalName, ['repairs']]]);
    const contractorId = mine.organisations[0]!.organisation.id;
    expect((await engineer.client.get(`/api/organisations/${contractorId}/work-orders`)).status).toBe(200);
    const host = await app.database.prisma.organisation.findFirstOrThrow({ where: { companyNumber: DEMO_ASSOCIATIONS[0]!.companyNumber } });
    const triage = RepairTriage.parse({ itemCode: 'TAP-01', priority: 'routine', hazard: 'none' });
    expect((await engineer.client.post(`/api/organisations/${host.id}/repairs/00000000-0000-4000-8000-000000000000/triage`, triage)).status).toBe(403);

    // Once joined, the next start prints a link for the association's officer only.
    const third = await seedDemoConsortium(app.app, app.database.prisma);
    expect(third.staffLinks.map((l) => l.displayName)).toEqual([second.staffLinks[0]!.displayName]);
    expect(describeDemoConsortium(third, 'http://localhost:3000').join('\n')).toContain(third.staffLinks[0]!.url);
  });

  it('tells a newcomer who the tenant is and where to report a repair', () => {
    const lines = describeDemoConsortium(second, 'http://localhost:3000').join('\n');
    expect(lines).toContain(`${demoElectors.find((e) => e[0] === DEMO_TENANT)![2]}`);
    expect(lines).toContain('http://localhost:3000/repairs/report');
    expect(lines).toContain(DEMO_ASSOCIATIONS[0]!.legalName);
  });
});
