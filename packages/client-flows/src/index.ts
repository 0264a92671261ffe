/**
 * The client side of Townhall's flows over HTTP, written once for the API's tests, the simulator, the
 * benchmarks and the load test: the requests a browser makes, with a software passkey authenticator
 * and @townhall/crypto in Node. Node only (node:crypto, Buffer); nothing of the server.
 */
export { ApiClient } from './api-client.ts';
export { FLAGS, SoftwareAuthenticator, type CeremonyOverrides } from './software-authenticator.ts';
export { acceptInvitation, enrol, enrolOk, signIn, signInOk, type EnrolmentClaim } from './identity-flows.ts';
export { invitationToken, inviteToOrganisation, joinOrganisationWithPasskey, linkToOrganisation } from './organisation-flows.ts';
export { approveContract, makeSigningPasskey } from './contract-flows.ts';
export { SoftwareTrustee, runKeyCeremony, tallyAndWait } from './trustee-flows.ts';
export { credentialRequestBody, obtainCredential, prepareBallot, type VoterCredential } from './voter-flows.ts';
export {
  ballotRequest,
  enrolResident,
  obtainHeldCredential,
  residentClient,
  residentState,
  sendRequests,
  type EnrolTask,
  type HeldCredential,
  type ObtainCredentialResult,
  type ObtainCredentialTask,
  type PreparedRequest,
  type ResidentState,
} from './resident-flows.ts';
