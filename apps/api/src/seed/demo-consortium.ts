/**
 * DEMO ONLY: a repairs consortium to try the residents' repairs pages as soon as `npm start` has run
 * (docs/protocol/contracts.md §11): two housing associations and a contractor, a repairs contract
 * every party agreed, and the first demo resident (whose poll-card code the demo election prints
 * first) a tenant of one association.
 *
 * The organisations' administrators are demo people nobody can sign in as, like the demo election's
 * trustees: the seed acts for them. To approve the contract each signs with a signing passkey the
 * seed makes in memory for their membership (bound to it in the registry) and forgets once it has
 * signed: a real signature, checked by the server and by the verifier, by a key nobody holds any
 * more. Everything else is genuine: the
 * organisations are registered, their members invited and linked, and the contract proposed and
 * approved through the same services as the routes, so the registry log and the contract's own log
 * hold exactly the entries they would hold had people done it.
 *
 * Each start runs it; it does only what is missing, so a second start changes nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { SoftwareAuthenticator } from '@townhall/client-flows';
import { exampleTerms } from '@townhall/contracts';
import { ADMINISTRATOR_ROLE, BankAccountInput, ContractTerms, FINANCE_ROLE, REPAIRS_ROLE, TENANT_ROLE, type OrganisationKind } from '@townhall/protocol';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Membership, Principal } from '../common/access.ts';
import { ContractsService } from '../contracts/contracts.service.ts';
import { WebAuthnService } from '../identity/webauthn.service.ts';
import { OrganisationsRepository } from '../organisations/organisations.repository.ts';
import { OrganisationsService } from '../organisations/organisations.service.ts';
import { DEMO_RESIDENTS } from './demo-election.ts';
import { demoElectors } from './demo-roll.ts';

export const DEMO_CONTRACT_ID = 'demo-consortium-repairs';
/** The demo resident who is a tenant: the first whose activation code the demo election prints. */
export const DEMO_TENANT = DEMO_RESIDENTS[0]!;

interface DemoOrganisation {
  kind: OrganisationKind;
  legalName: string;
  companyNumber: string;
  address: string;
  /** Invented: sort code 99-99-xx is not a real branch. Payment runs' bank files pay into these. */
  bankAccount: { accountName: string; sortCode: string; accountNumber: string };
}

/** Invented organisations; the company numbers are of no real company (the "DM" prefix is not issued). */
export const DEMO_CONTRACTOR: DemoOrganisation = {
  kind: 'contractor',
  legalName: 'Demo Repairs Ltd (not real)',
  companyNumber: 'DM000001',
  address: '2 Forge Yard, Demo Borough DB1 9ZZ',
  bankAccount: { accountName: 'Demo Repairs Ltd', sortCode: '99-99-01', accountNumber: '10000001' },
};
/** The first association hosts the contract and has the demo tenant. */
export const DEMO_ASSOCIATIONS: readonly DemoOrganisation[] = [
  {
    kind: 'housing-association',
    legalName: 'Castle Homes (demo)',
    companyNumber: 'DM000002',
    address: '5 Keep Lane, Demo Borough DB1 1AB',
    bankAccount: { accountName: 'Castle Homes', sortCode: '99-99-02', accountNumber: '10000002' },
  },
  {
    kind: 'housing-association',
    legalName: 'Riverside Housing (demo)',
    companyNumber: 'DM000003',
    address: '9 Quay Street, Demo Borough DB3 3CD',
    bankAccount: { accountName: 'Riverside Housing', sortCode: '99-99-03', accountNumber: '10000003' },
  },
];

export interface DemoConsortiumResult {
  contractId: string;
  contractorName: string;
  associationNames: string[];
  /** The tenant's association, and who the tenant is (a demo resident of the roll). */
  tenantAssociation: string;
  tenant: { electorNumber: string; name: string };
  /** Whether this call created anything (false on every start after the first). */
  created: boolean;
  /**
   * One-time links for the demo staff who have not joined yet: a repairs officer of the tenant's
   * association and an engineer of the contractor, so that a newcomer can follow a repair to payment
   * on both sides. Each start makes new ones and ends the earlier unused ones.
   */
  staffLinks: { organisation: string; displayName: string; roles: string[]; url: string }[];
}

/** The demo staff a newcomer can become, by the links printed at start. */
const DEMO_STAFF = [
  { party: 'association', displayName: 'Demo repairs officer (Castle Homes)', roles: [REPAIRS_ROLE, FINANCE_ROLE] },
  { party: 'contractor', displayName: 'Demo engineer (Demo Repairs Ltd)', roles: [REPAIRS_ROLE] },
] as const;

/**
 * Registers, invites, proposes and approves what is missing of the demo consortium. Needs the
 * running application (its services) and the demo council's roll.
 */
export async function seedDemoConsortium(app: INestApplicationContext, prisma: PrismaClient): Promise<DemoConsortiumResult> {
  const organisations = app.get(OrganisationsService, { strict: false });
  const organisationsRepository = app.get(OrganisationsRepository, { strict: false });
  const contracts = app.get(ContractsService, { strict: false });
  const webauthn = app.get(WebAuthnService, { strict: false });
  let created = false;

  const registered = async ({ bankAccount: _, ...organisation }: DemoOrganisation) => {
    const existing = await prisma.organisation.findFirst({ where: { companyNumber: organisation.companyNumber }, select: { id: true } });
    if (existing) return existing.id;
    created = true;
    return (await organisations.register({ ...organisation, charityNumber: null })).id;
  };

  /** The organisation's demo administrator, a person without a passkey, as the services see a signed-in member. */
  const administratorOf = async (organisationId: string, legalName: string): Promise<Principal & { kind: 'person' }> => {
    const displayName = `Demo administrator of ${legalName} (simulated by the seed)`;
    let member = await prisma.organisationMember.findFirst({
      where: { organisationId, personId: { not: null }, revokedAt: null, roles: { has: ADMINISTRATOR_ROLE } },
      select: { id: true, personId: true, roles: true },
    });
    if (!member) {
      created = true;
      const personId = randomUUID();
      await organisationsRepository.insertPerson(prisma, { id: personId, displayName });
      const invitation = await organisations.invite(organisationId, { displayName, roles: [ADMINISTRATOR_ROLE] }, null);
      const joined = await organisations.link(tokenOf(invitation.url), demoPerson(personId, displayName, []));
      member = { id: joined.memberId, personId, roles: joined.roles };
    }
    const membership: Membership = { organisationId, memberId: member.id, roles: member.roles, organisationStatus: 'active' };
    return demoPerson(member.personId!, displayName, [membership]);
  };

  /**
   * A signing passkey for a demo administrator's membership, in memory only: registered as a browser
   * would and bound to the membership in the registry, then forgotten after the seed.
   */
  const signingPasskeyOf = async (organisationId: string, admin: Principal & { kind: 'person' }): Promise<SoftwareAuthenticator> => {
    const authenticator = new SoftwareAuthenticator(webauthn.origin);
    const challenge = randomBytes(32).toString('base64url');
    const registration = authenticator.create({
      challenge,
      rp: { id: webauthn.rpId, name: 'Townhall' },
      user: { id: randomBytes(16).toString('base64url'), name: `Approvals (${admin.displayName})`, displayName: `Approvals (${admin.displayName})` },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    });
    await organisations.bindSigningPasskey(organisationId, admin, await webauthn.verifyRegistration(registration, challenge, { isSigningKey: true }));
    return authenticator;
  };

  const contractorId = await registered(DEMO_CONTRACTOR);
  const associationIds: string[] = [];
  for (const association of DEMO_ASSOCIATIONS) associationIds.push(await registered(association));
  const parties = [
    { id: contractorId, admin: await administratorOf(contractorId, DEMO_CONTRACTOR.legalName) },
    ...(await Promise.all(associationIds.map(async (id, i) => ({ id, admin: await administratorOf(id, DEMO_ASSOCIATIONS[i]!.legalName) })))),
  ];
  const hostId = associationIds[0]!;
  const hostAdmin = parties[1]!.admin;
  // Bank accounts, so a demo payment run's bank file (pain.001) can be made; an administrator may change them.
  for (const [i, organisation] of [DEMO_CONTRACTOR, ...DEMO_ASSOCIATIONS].entries()) {
    const party = parties[i]!;
    if ((await organisations.bankAccount(party.id)).bankAccount) continue;
    await organisations.setBankAccount(party.id, party.admin, BankAccountInput.parse({ ...organisation.bankAccount, iban: null, bic: null }));
  }

  if (!(await prisma.contract.findUnique({ where: { id: DEMO_CONTRACT_ID }, select: { id: true } }))) {
    created = true;
    await contracts.propose(hostId, hostAdmin, demoTerms(contractorId, associationIds));
  }
  let contract = await contracts.contract(hostId, DEMO_CONTRACT_ID);
  for (const party of parties) {
    if (contract.agreedRevision !== null) break;
    if (contract.versions[0]!.approvals.some((a) => a.organisationId === party.id)) continue;
    created = true;
    const authenticator = await signingPasskeyOf(party.id, party.admin);
    const options = await contracts.approvalOptions(party.id, party.admin, DEMO_CONTRACT_ID, 1);
    contract = await contracts.approve(party.id, party.admin, DEMO_CONTRACT_ID, { revision: 1, assertion: authenticator.get(options) });
  }

  const row = demoElectors.find((e) => e[0] === DEMO_TENANT)!;
  const elector = await prisma.elector.findFirst({ where: { electorNumber: DEMO_TENANT }, select: { id: true } });
  if (!elector) throw new Error(`demo seed: the demo roll has no ${DEMO_TENANT}`);
  const isTenant = await prisma.organisationMember.count({ where: { organisationId: hostId, electorId: elector.id, revokedAt: null } });
  if (isTenant === 0) {
    created = true;
    const invitation = await organisations.invite(
      hostId,
      { displayName: `${row[2]} ${row[3]}, ${row[4]}`, roles: [TENANT_ROLE] },
      { memberId: hostAdmin.memberships[0]!.memberId },
    );
    // The resident needs no passkey to be linked: the membership is their roll entry's, which their passkey signs in as later.
    await organisations.link(tokenOf(invitation.url), { kind: 'resident', electorId: elector.id, sessionId: 'demo-seed', passkeyId: null });
  }

  const staffLinks: DemoConsortiumResult['staffLinks'] = [];
  for (const staff of DEMO_STAFF) {
    const organisationId = staff.party === 'association' ? hostId : contractorId;
    const admin = staff.party === 'association' ? hostAdmin : parties[0]!.admin;
    const joined = await prisma.organisationMember.count({ where: { organisationId, displayName: staff.displayName, revokedAt: null } });
    if (joined > 0) continue;
    // A new link ends the earlier unused ones: only the latest printed link works.
    await prisma.organisationInvitation.updateMany({
      where: { organisationId, displayName: staff.displayName, acceptedAt: null, expiresAt: { gt: new Date() } },
      data: { expiresAt: new Date() },
    });
    const invitation = await organisations.invite(organisationId, { displayName: staff.displayName, roles: [...staff.roles] }, { memberId: admin.memberships[0]!.memberId });
    staffLinks.push({
      organisation: staff.party === 'association' ? DEMO_ASSOCIATIONS[0]!.legalName : DEMO_CONTRACTOR.legalName,
      displayName: staff.displayName,
      roles: [...staff.roles],
      url: invitation.url,
    });
  }

  return {
    staffLinks,
    contractId: DEMO_CONTRACT_ID,
    contractorName: DEMO_CONTRACTOR.legalName,
    associationNames: DEMO_ASSOCIATIONS.map((a) => a.legalName),
    tenantAssociation: DEMO_ASSOCIATIONS[0]!.legalName,
    tenant: { electorNumber: DEMO_TENANT, name: `${row[2]} ${row[3]}` },
    created,
  };
}

/** The example terms of packages/contracts with the demo's organisations, running from this year to the end of the next. */
export function demoTerms(contractorId: string, associationIds: string[], now = new Date()) {
  const example = exampleTerms();
  const year = now.getUTCFullYear();
  return ContractTerms.parse({
    ...example,
    contractId: DEMO_CONTRACT_ID,
    title: 'Responsive repairs, demo consortium (not real)',
    parties: { contractor: contractorId, associations: associationIds, host: { ...example.parties.host, association: associationIds[0]! } },
    startDate: `${year}-01-01`,
    endDate: `${year + 1}-12-31`,
  });
}

const demoPerson = (personId: string, displayName: string, memberships: Membership[]) =>
  ({ kind: 'person', personId, sessionId: 'demo-seed', passkeyId: null, displayName, memberships }) as const;

const tokenOf = (invitationUrl: string) => invitationUrl.split('/').pop()!;

/** The console lines shown after seeding: what a newcomer can try. */
export function describeDemoConsortium(result: DemoConsortiumResult, base: string): string[] {
  return [
    `  Demo repairs consortium (demo only): ${result.associationNames.join(' and ')} share the contract "${result.contractId}" with ${result.contractorName}.`,
    `  ${result.tenant.name} (${result.tenant.electorNumber}) is a tenant of ${result.tenantAssociation}: enrol with her activation code, then report a repair at ${base}/repairs/report and follow it at ${base}/repairs`,
    ...result.staffLinks.map(
      (link) => `  Join ${link.organisation} as "${link.displayName}" (${link.roles.join(', ')}; one-time link, in another browser profile): ${link.url}`,
    ),
    ...(result.staffLinks.length > 0 ? [`  Then "Repairs" or "Work orders" on the account page takes a repair from triage to payment.`] : []),
  ];
}
