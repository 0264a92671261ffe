import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ServiceList, ServiceRegistered, ServiceSummary, type ServiceStatus } from '@townhall/protocol';
import { apiGet, apiSend, apiSendExpectingNothing } from '@townhall/web-ui';
import { appConfig } from '../../../config/app-config.ts';
import type { ValidRegistration } from '../lib/registration-form.ts';

export const servicesQueryKey = ['services'] as const;

/** Every service registered to use Townhall ID (administrators only). */
export function useServices() {
  return useQuery({ queryKey: servicesQueryKey, queryFn: ({ signal }) => apiGet('/services', ServiceList, { signal }), staleTime: 0 });
}

/** Registers a service; the answer carries its client secret, if one was made, and nothing ever shows it again. */
export function useRegisterService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ValidRegistration) => apiSend('POST', '/services', request, ServiceRegistered),
    // The answer holds the secret: the mutation cache keeps nothing once the page lets it go.
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: servicesQueryKey }),
  });
}

export interface StatusChange {
  clientId: string;
  status: ServiceStatus;
}

/** Suspends or reinstates a service: a new entry in the registry log. */
export function useChangeServiceStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ clientId, status }: StatusChange) =>
      apiSend('POST', `/services/${encodeURIComponent(clientId)}/status`, { status }, ServiceSummary),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: servicesQueryKey }),
  });
}

/**
 * Deletes a service for good (a ServiceDeleted entry): its grants and tokens are revoked at once, and
 * it leaves the register. The page asks for the service's name first.
 */
export function useDeleteService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (clientId: string) => apiSendExpectingNothing('DELETE', `/services/${encodeURIComponent(clientId)}`, undefined),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: servicesQueryKey }),
  });
}

/** The registry log's receipt for one entry: a C2SP tlog-proof, which anyone can check offline. */
export function registryReceiptUrl(ledgerIndex: string): string {
  return `${appConfig.apiBasePath}/ledger/registry/receipt/${encodeURIComponent(ledgerIndex)}`;
}
