import { type ContractTermsInput, OrganisationInvitationCreated, OrganisationSummary, type OrganisationRegistration } from '@townhall/protocol';
import {
  approveContract,
  enrolOk,
  invitationToken,
  inviteToOrganisation,
  joinOrganisationWithPasskey,
  linkToOrganisation,
  type ApiClient,
  type CeremonyOverrides,
  type SoftwareAuthenticator,
} from '@townhall/client-flows';
import { issueCard, newBrowser, type RunningApp } from './flows.ts';

/** The dates of birth of the demo roll's electors these flows enrol (the claim's second attribute). */
const DATES_OF_BIRTH: Record<string, string> = { 'CAS-0001': '1984-03-12', 'CAS-0002': '1979-11-02', 'CAS-0003': '1992-07-23' };

/** A signed-in person with the passkeys of their browser (the contracts tests sign approvals with them). */
export type Member = ApiClient & { readonly authenticator: SoftwareAuthenticator };

/**
 * An administrator approves a revision for their organisation with a signing passkey, made on
 * their first approval for it (docs/protocol/contracts.md §11.1); the approval's response.
 */
export function approve(member: Member, organisationId: string, contractId: string, revision = 1, overrides: CeremonyOverrides = {}): Promise<Response> {
  return approveContract(member, member.authenticator, { organisationId, contractId, revision }, overrides);
}

/**
 * Organisations and their people through the HTTP API, as the contracts tests need them: an
 * administrator registers organisations and invites their first administrators; administrators
 * invite staff with roles, and residents on the roll as tenants. Company numbers start at
 * `firstCompanyNumber` so that two test files never register the same one.
 */
export function organisationFlows(app: RunningApp, admin: ApiClient, firstCompanyNumber: number) {
  let companyNumber = firstCompanyNumber;

  async function register(overrides: Partial<OrganisationRegistration>): Promise<OrganisationSummary> {
    const body = { kind: 'contractor', legalName: 'X', companyNumber: String(companyNumber++), address: '1 Yard Lane, Castleton DB1 9ZZ', ...overrides };
    return OrganisationSummary.parse(await admin.json(admin.post('/api/official/organisations', body), 201));
  }

  /** Someone new accepts an invitation with a new passkey; returns them signed in. */
  async function joinAsNewPerson(token: string): Promise<Member> {
    const browser = await newBrowser(app);
    await joinOrganisationWithPasskey(browser.client, browser.authenticator, token);
    return Object.assign(browser.client, { authenticator: browser.authenticator });
  }

  async function administratorOf(organisation: OrganisationSummary, displayName: string): Promise<Member> {
    const invitation = OrganisationInvitationCreated.parse(
      await admin.json(admin.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName }), 201),
    );
    return joinAsNewPerson(invitationToken(invitation));
  }

  /** A resident on the roll who joins the association as its tenant. */
  async function tenantOf(by: ApiClient, organisationId: string, electorNumber: string): Promise<Member> {
    const browser = await newBrowser(app);
    await enrolOk(browser.client, browser.authenticator, { activationCode: await issueCard(app, electorNumber), dateOfBirth: DATES_OF_BIRTH[electorNumber]! });
    const token = await inviteToOrganisation(by, organisationId, `Tenant ${electorNumber}`, ['tenant']);
    await linkToOrganisation(browser.client, token);
    return Object.assign(browser.client, { authenticator: browser.authenticator });
  }

  return { register, joinAsNewPerson, administratorOf, invite: inviteToOrganisation, tenantOf };
}

/** Terms the parties agree in the contracts tests (overridden where a test needs otherwise): a 10% discount from each association's second job, a £1.50 host fee. */
export function termsFor(parties: { contractor: string; host: string; other: string }, overrides: Partial<ContractTermsInput> = {}): ContractTermsInput {
  const year = new Date().getUTCFullYear();
  return {
    version: 1,
    contractId: 'castle-repairs',
    revision: 1,
    title: 'Responsive repairs, Castle consortium',
    currency: 'GBP',
    parties: { contractor: parties.contractor, associations: [parties.host, parties.other], host: { association: parties.host, feePerJobPence: 150 } },
    startDate: `${year}-01-01`,
    endDate: `${year + 1}-12-31`,
    calendar: 'england-and-wales',
    catalogue: [
      { code: 'TAP-01', description: 'Replace kitchen mixer tap', unitPricePence: 8_517, specification: 'WRAS-approved monobloc mixer' },
      { code: 'MOULD-TREAT', description: 'Mould treatment, per room', unitPricePence: 18_750, specification: 'BS 5250 survey first' },
    ],
    serviceLevels: {
      emergency: { unit: 'hours', amount: 24 },
      urgent: { unit: 'working-days', amount: 3 },
      routine: { unit: 'working-days', amount: 20 },
    },
    bulkDiscount: {
      scope: 'association',
      period: 'contract-year',
      tiers: [
        { fromJob: 1, toJob: 1, discountBasisPoints: 0 },
        { fromJob: 2, toJob: null, discountBasisPoints: 1_000 },
      ],
      excludedItemCodes: [],
    },
    lateDelivery: { windowMonths: 12, minimumJobs: 5, bands: [{ fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 }] },
    dampAndMould: { emergencyHours: 24, investigationWorkingDays: 10, writtenSummaryWorkingDays: 3, safetyWorkWorkingDays: 5 },
    ...overrides,
  };
}
