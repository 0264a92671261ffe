import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { AccountResponse, AuthenticationOptionsResponse, PasskeySummary, RegistrationOptionsResponse } from '@townhall/protocol';
import { apiGet, type ApiGetOptions, apiSend } from '@townhall/web-ui';

export { AccountResponse };

export const accountQueryKey = ['account'] as const;

export function getAccount(options?: ApiGetOptions): Promise<AccountResponse> {
  return apiGet('/account', AccountResponse, options);
}

export function useAccount() {
  return useQuery({ queryKey: accountQueryKey, queryFn: ({ signal }) => getAccount({ signal }), staleTime: 0 });
}

/**
 * Step 1 of another passkey for the signed-in resident: they confirm it is them with a passkey they
 * already have (the server adds none on the strength of a session alone), and get the options for
 * the new one.
 */
export async function confirmForNewPasskey(): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { options: confirm } = await apiSend('POST', '/sign-in/start', {}, AuthenticationOptionsResponse);
  const assertion = await startAuthentication({ optionsJSON: confirm as unknown as PublicKeyCredentialRequestOptionsJSON });
  const { options } = await apiSend('POST', '/passkeys/start', { assertion }, RegistrationOptionsResponse);
  return options as unknown as PublicKeyCredentialCreationOptionsJSON;
}

/** Step 2: the new passkey, e.g. on their phone (the browser offers "use a phone"). */
export async function createPasskey(options: PublicKeyCredentialCreationOptionsJSON): Promise<PasskeySummary> {
  const response = await startRegistration({ optionsJSON: options });
  return apiSend('POST', '/passkeys/finish', { response }, PasskeySummary);
}

export function useConfirmForNewPasskey() {
  return useMutation({ mutationFn: confirmForNewPasskey });
}

export function useCreatePasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createPasskey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountQueryKey }),
  });
}
