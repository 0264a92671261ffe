import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ServiceAccessList } from '@townhall/protocol';
import { apiGet, type ApiGetOptions, apiSendExpectingNothing } from '@townhall/web-ui';

export { ServiceAccessList };

export const serviceAccessQueryKey = ['account', 'services'] as const;

/** The services the resident signed in to with Townhall ID, what each received, and the ledger entries that record it. */
export function getServiceAccess(options?: ApiGetOptions): Promise<ServiceAccessList> {
  return apiGet('/account/services', ServiceAccessList, options);
}

export function useServiceAccess() {
  return useQuery({ queryKey: serviceAccessQueryKey, queryFn: ({ signal }) => getServiceAccess({ signal }), staleTime: 0 });
}

/** Withdraw a service's access: its tokens stop working and it must ask again (a ConsentWithdrawn entry). */
export function withdrawServiceAccess(clientId: string): Promise<void> {
  return apiSendExpectingNothing('POST', `/account/services/${encodeURIComponent(clientId)}/withdraw`, {});
}

export function useWithdrawServiceAccess() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: withdrawServiceAccess,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serviceAccessQueryKey }),
  });
}
