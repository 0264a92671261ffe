import {
  MyOrganisation,
  OrganisationInvitationCreated,
  OrganisationSummary,
  RegistrationOptionsResponse,
  SessionResponse,
  type OrganisationRegistration,
} from '@townhall/protocol';
import type { ApiClient } from './api-client.ts';
import { enrolOk, issueCard, newBrowser, type RunningApp } from './flows.ts';

/** The dates of birth of the demo roll's electors these flows enrol (the claim's second attribute). */
const DATES_OF_BIRTH: Record<string, string> = { 'CAS-0001': '1984-03-12', 'CAS-0002': '1979-11-02', 'CAS-0003': '1992-07-23' };

const tokenOf = (invitation: OrganisationInvitationCreated) => invitation.url.split('/').pop()!;

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
    const { options } = RegistrationOptionsResponse.parse(await browser.client.json(browser.client.post(`/api/organisation-invitations/${token}/start`)));
    const session = SessionResponse.parse(
      await browser.client.json(browser.client.post(`/api/organisation-invitations/${token}/finish`, { response: browser.authenticator.create(options) })),
    );
    browser.client.csrfToken = session.csrfToken;
    return browser.client;
  }

  async function administratorOf(organisation: OrganisationSummary, displayName: string): Promise<ApiClient> {
    const invitation = OrganisationInvitationCreated.parse(
      await admin.json(admin.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName }), 201),
    );
    return joinAsNewPerson(tokenOf(invitation));
  }

  /** An invitation to the organisation with these roles, by one of its administrators; returns its token. */
  async function invite(by: ApiClient, organisationId: string, displayName: string, roles: string[]): Promise<string> {
    return tokenOf(
      OrganisationInvitationCreated.parse(await by.json(by.post(`/api/organisations/${organisationId}/invitations`, { displayName, roles }), 201)),
    );
  }

  /** A resident on the roll who joins the association as its tenant. */
  async function tenantOf(by: ApiClient, organisationId: string, electorNumber: string): Promise<ApiClient> {
    const browser = await newBrowser(app);
    await enrolOk(browser.client, browser.authenticator, { activationCode: await issueCard(app, electorNumber), dateOfBirth: DATES_OF_BIRTH[electorNumber]! });
    const token = await invite(by, organisationId, `Tenant ${electorNumber}`, ['tenant']);
    MyOrganisation.parse(await browser.client.json(browser.client.post(`/api/organisation-invitations/${token}/link`)));
    return browser.client;
  }

  return { register, joinAsNewPerson, administratorOf, invite, tenantOf };
}
