import {
  MyOrganisation,
  type ContractTermsInput,
  OrganisationInvitationCreated,
  OrganisationSummary,
  RegistrationOptionsResponse,
  SessionResponse,
  type OrganisationRegistration,
} from '@townhall/protocol';
import type { ApiClient } from './api-client.ts';
import { enrolOk, issueCard, newBrowser, type RunningApp } from './flows.ts';
import type { SoftwareAuthenticator } from './software-authenticator.ts';

/** The dates of birth of the demo roll's electors these flows enrol (the claim's second attribute). */
const DATES_OF_BIRTH: Record<string, string> = { 'CAS-0001': '1984-03-12', 'CAS-0002': '1979-11-02', 'CAS-0003': '1992-07-23' };

const tokenOf = (invitation: OrganisationInvitationCreated) => invitation.url.split('/').pop()!;

/**
 * Someone new joins an organisation by its one-time link with a new passkey (docs/organisations.md
 * §2), as the invitation page does; the client is then signed in as that person.
 */
export async function joinOrganisationWithPasskey(client: ApiClient, authenticator: SoftwareAuthenticator, token: string): Promise<SessionResponse> {
  const { options } = RegistrationOptionsResponse.parse(await client.json(client.post(`/api/organisation-invitations/${token}/start`)));
  const session = SessionResponse.parse(
    await client.json(client.post(`/api/organisation-invitations/${token}/finish`, { response: authenticator.create(options) })),
  );
  client.csrfToken = session.csrfToken;
  return session;
}

/** A signed-in resident (or person) joins by the link with the identity they have: no new passkey. */
export async function linkToOrganisation(client: ApiClient, token: string): Promise<MyOrganisation> {
  return MyOrganisation.parse(await client.json(client.post(`/api/organisation-invitations/${token}/link`)));
}

/** An invitation to the organisation with these roles, by one of its administrators; returns its token. */
export async function inviteToOrganisation(by: ApiClient, organisationId: string, displayName: string, roles: string[]): Promise<string> {
  return tokenOf(
    OrganisationInvitationCreated.parse(await by.json(by.post(`/api/organisations/${organisationId}/invitations`, { displayName, roles }), 201)),
  );
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
  async function joinAsNewPerson(token: string): Promise<ApiClient> {
    const browser = await newBrowser(app);
    await joinOrganisationWithPasskey(browser.client, browser.authenticator, token);
    return browser.client;
  }

  async function administratorOf(organisation: OrganisationSummary, displayName: string): Promise<ApiClient> {
    const invitation = OrganisationInvitationCreated.parse(
      await admin.json(admin.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName }), 201),
    );
    return joinAsNewPerson(tokenOf(invitation));
  }

  /** A resident on the roll who joins the association as its tenant. */
  async function tenantOf(by: ApiClient, organisationId: string, electorNumber: string): Promise<ApiClient> {
    const browser = await newBrowser(app);
    await enrolOk(browser.client, browser.authenticator, { activationCode: await issueCard(app, electorNumber), dateOfBirth: DATES_OF_BIRTH[electorNumber]! });
    const token = await inviteToOrganisation(by, organisationId, `Tenant ${electorNumber}`, ['tenant']);
    await linkToOrganisation(browser.client, token);
    return browser.client;
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
