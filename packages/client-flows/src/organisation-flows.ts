/** An organisation's people over HTTP (docs/organisations.md §2): invitations by one-time link, joined with a new passkey or linked to the identity one has. */
import { MyOrganisation, OrganisationInvitationCreated, RegistrationOptionsResponse, SessionResponse } from '@townhall/protocol';
import type { ApiClient } from './api-client.ts';
import type { SoftwareAuthenticator } from './software-authenticator.ts';

/** The one-time token at the end of an invitation's link. */
export const invitationToken = (invitation: OrganisationInvitationCreated) => invitation.url.split('/').pop()!;

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
  return invitationToken(
    OrganisationInvitationCreated.parse(await by.json(by.post(`/api/organisations/${organisationId}/invitations`, { displayName, roles }), 201)),
  );
}
