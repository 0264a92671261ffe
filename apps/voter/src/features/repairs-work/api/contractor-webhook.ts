import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ContractorWebhookState, ContractorWebhookWithSecret, WebhookDeliveryList, type ContractorWebhookChange } from '@townhall/protocol';
import { apiGet, apiSend, apiSendExpectingNothing } from '@townhall/web-ui';
import type { z } from 'zod';

/**
 * A contractor's webhook (docs/protocol/contracts.md §14), for its administrators: the endpoint, its
 * secret (only in the answer that makes it), and the latest deliveries.
 */
const webhookPath = (organisationId: string): `/${string}` => `/organisations/${encodeURIComponent(organisationId)}/webhook`;
const webhookKey = (organisationId: string) => ['contractor-webhook', organisationId] as const;
const deliveriesKey = (organisationId: string) => ['contractor-webhook-deliveries', organisationId] as const;

export function useContractorWebhook(organisationId: string) {
  return useQuery({
    queryKey: webhookKey(organisationId),
    queryFn: ({ signal }) => apiGet(webhookPath(organisationId), ContractorWebhookState, { signal }),
    staleTime: 0,
    retry: false,
  });
}

export function useWebhookDeliveries(organisationId: string, { enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: deliveriesKey(organisationId),
    queryFn: ({ signal }) => apiGet(`${webhookPath(organisationId)}/deliveries`, WebhookDeliveryList, { signal }),
    enabled,
    staleTime: 0,
    retry: false,
  });
}

/** Keeps the webhook's query in step with an answer that holds it. */
function useWebhookSaved(organisationId: string) {
  const queryClient = useQueryClient();
  return (state: ContractorWebhookState) => {
    queryClient.setQueryData(webhookKey(organisationId), state);
    return queryClient.invalidateQueries({ queryKey: deliveriesKey(organisationId) });
  };
}

/** Registers the endpoint; the answer holds the secret, which the page shows once. */
export function useRegisterWebhook(organisationId: string) {
  const saved = useWebhookSaved(organisationId);
  return useMutation({
    mutationFn: (url: string) => apiSend('POST', webhookPath(organisationId), { url }, ContractorWebhookWithSecret),
    onSuccess: ({ webhook }) => saved({ webhook }),
  });
}

/** A new address, or paused / resumed. */
export function useChangeWebhook(organisationId: string) {
  const saved = useWebhookSaved(organisationId);
  return useMutation({
    mutationFn: (change: z.input<typeof ContractorWebhookChange>) => apiSend('PATCH', webhookPath(organisationId), change, ContractorWebhookState),
    onSuccess: saved,
  });
}

/** A new secret, in force at once; the answer holds it, which the page shows once. */
export function useRotateWebhookSecret(organisationId: string) {
  const saved = useWebhookSaved(organisationId);
  return useMutation({
    mutationFn: () => apiSend('POST', `${webhookPath(organisationId)}/secret`, {}, ContractorWebhookWithSecret),
    onSuccess: ({ webhook }) => saved({ webhook }),
  });
}

/** Deletes the webhook and its deliveries. */
export function useDeleteWebhook(organisationId: string) {
  const saved = useWebhookSaved(organisationId);
  return useMutation({
    mutationFn: () => apiSendExpectingNothing('DELETE', webhookPath(organisationId), undefined),
    onSuccess: () => saved({ webhook: null }),
  });
}
