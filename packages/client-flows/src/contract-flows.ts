/** Repairs contracts over HTTP (docs/protocol/contracts.md §11): what an organisation's administrator does. */
import { AuthenticationOptionsResponse, ContractApprovalOptions, RegistrationOptionsResponse, SigningPasskeySummary } from '@townhall/protocol';
import type { ApiClient } from './api-client.ts';
import type { CeremonyOverrides, SoftwareAuthenticator } from './software-authenticator.ts';

/**
 * A signing passkey for the member's organisation (§11.1), as the contract page makes one: a fresh
 * assertion by the sign-in passkey, then a new credential, bound to the membership in the registry.
 */
export async function makeSigningPasskey(client: ApiClient, authenticator: SoftwareAuthenticator, organisationId: string): Promise<SigningPasskeySummary> {
  const { options: confirm } = AuthenticationOptionsResponse.parse(await client.json(client.post('/api/sign-in/start')));
  const signIn = authenticator.credentials[0];
  const assertion = authenticator.get(confirm, signIn ? { credentialId: Buffer.from(signIn.id).toString('base64url') } : {});
  const { options } = RegistrationOptionsResponse.parse(await client.json(client.post(`/api/organisations/${organisationId}/signing-passkeys/start`, { assertion })));
  return SigningPasskeySummary.parse(
    await client.json(client.post(`/api/organisations/${organisationId}/signing-passkeys/finish`, { response: authenticator.create(options) })),
  );
}

/**
 * An administrator approves a revision for their organisation as the contract page does (§11.1):
 * asks for the approval's options (making a signing passkey first if the membership has none),
 * signs their challenge with the signing passkey, sends the assertion. Returns the approval's
 * response, whatever its status; `overrides` tamper with the approval's ceremony.
 */
export async function approveContract(
  client: ApiClient,
  authenticator: SoftwareAuthenticator,
  approval: { organisationId: string; contractId: string; revision: number },
  overrides: CeremonyOverrides = {},
): Promise<Response> {
  const path = `/api/organisations/${approval.organisationId}/contracts/${encodeURIComponent(approval.contractId)}`;
  const optionsOf = async () => ContractApprovalOptions.parse(await client.json(client.get(`${path}/approval-options?revision=${approval.revision}`)));
  let options = await optionsOf();
  if (options.allowCredentials.length === 0) {
    await makeSigningPasskey(client, authenticator, approval.organisationId);
    options = await optionsOf();
  }
  const assertion = authenticator.get(options, { credentialId: options.allowCredentials[0]!.id, ...overrides });
  return client.post(`${path}/approve`, { revision: approval.revision, assertion });
}
