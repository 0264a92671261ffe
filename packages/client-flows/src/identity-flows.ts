/**
 * A resident's and a staff member's identity flows over HTTP, as the apps run them: enrolment with a
 * poll card and a new passkey, sign-in with the passkey, and accepting a staff invitation.
 */
import { AuthenticationOptionsResponse, RegistrationOptionsResponse, SessionResponse } from '@townhall/protocol';
import type { ApiClient } from './api-client.ts';
import type { CeremonyOverrides, SoftwareAuthenticator } from './software-authenticator.ts';

/** What a poll card's holder claims: its activation code and one attribute of the roll. */
export interface EnrolmentClaim {
  activationCode: string;
  postcode?: string;
  dateOfBirth?: string;
}

export async function enrol(client: ApiClient, authenticator: SoftwareAuthenticator, claim: EnrolmentClaim, overrides: CeremonyOverrides = {}): Promise<Response> {
  const { options } = RegistrationOptionsResponse.parse(await client.json(client.post('/api/enrolment/start', claim)));
  return client.post('/api/enrolment/finish', { response: authenticator.create(options, overrides) });
}

/** Enrols and checks it worked; the client is then signed in (new cookie and CSRF token). */
export async function enrolOk(client: ApiClient, authenticator: SoftwareAuthenticator, claim: EnrolmentClaim) {
  const session = SessionResponse.parse(await client.json(enrol(client, authenticator, claim)));
  client.csrfToken = session.csrfToken;
  return session;
}

export async function signIn(client: ApiClient, authenticator: SoftwareAuthenticator, overrides: CeremonyOverrides = {}): Promise<Response> {
  const { options } = AuthenticationOptionsResponse.parse(await client.json(client.post('/api/sign-in/start')));
  return client.post('/api/sign-in/finish', { response: authenticator.get(options, overrides) });
}

export async function signInOk(client: ApiClient, authenticator: SoftwareAuthenticator) {
  const session = SessionResponse.parse(await client.json(signIn(client, authenticator)));
  client.csrfToken = session.csrfToken;
  return session;
}

/** A staff invitation's one-time link accepted with a new passkey; the client is then signed in as staff. */
export async function acceptInvitation(client: ApiClient, authenticator: SoftwareAuthenticator, token: string) {
  const { options } = RegistrationOptionsResponse.parse(await client.json(client.post(`/api/staff/invitations/${token}/start`)));
  const session = SessionResponse.parse(await client.json(client.post(`/api/staff/invitations/${token}/finish`, { response: authenticator.create(options) })));
  client.csrfToken = session.csrfToken;
  return session;
}
