import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { AccountResponse, PasskeySummary, RegistrationOptionsResponse } from '@townhall/protocol';
import { apiGet, type ApiGetOptions, apiSend } from '@townhall/web-ui';

export { AccountResponse };

export const accountQueryKey = ['account'] as const;

export function getAccount(options?: ApiGetOptions): Promise<AccountResponse> {
  return apiGet('/account', AccountResponse, options);
}

export function useAccount() {
  return useQuery({ queryKey: accountQueryKey, queryFn: ({ signal }) => getAccount({ signal }), staleTime: 0 });
}

/** Another passkey for the signed-in resident, e.g. on their phone (the browser offers "use a phone"). */
export async function addPasskey(): Promise<PasskeySummary> {
  const { options } = await apiSend('POST', '/passkeys/start', {}, RegistrationOptionsResponse);
  const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  return apiSend('POST', '/passkeys/finish', { response }, PasskeySummary);
}

export function useAddPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addPasskey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountQueryKey }),
  });
}
