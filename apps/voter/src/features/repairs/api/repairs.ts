import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Repair, RepairAssociationList, RepairList, type RepairReport } from '@townhall/protocol';
import { apiGet, apiSend } from '@townhall/web-ui';
import type { z } from 'zod';

const repairsQueryKey = ['account', 'repairs'] as const;
const associationsQueryKey = ['account', 'repair-associations'] as const;

/** The associations the resident can report a repair to (a tenant of each; docs/protocol/contracts.md §11.3). */
export function useRepairAssociations({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: associationsQueryKey,
    queryFn: ({ signal }) => apiGet('/account/repairs/associations', RepairAssociationList, { signal }),
    enabled,
    // Becoming a tenant happens on another page (an invitation link): each page that asks looks again.
    staleTime: 0,
  });
}

/** The repairs the resident reported, oldest first. */
export function useRepairs() {
  return useQuery({
    queryKey: repairsQueryKey,
    queryFn: ({ signal }) => apiGet('/account/repairs', RepairList, { signal }),
    staleTime: 0,
  });
}

/** One repair the resident reported; anyone else's is NOT_FOUND, like a missing one. */
export function useRepair(orderId: string) {
  return useQuery({
    queryKey: [...repairsQueryKey, orderId],
    queryFn: ({ signal }) => apiGet(`/account/repairs/${encodeURIComponent(orderId)}`, Repair, { signal }),
    staleTime: 0,
    retry: false,
  });
}

export type RepairReportBody = z.input<typeof RepairReport>;

/** Reports a repair to the association (an OrderRaised entry in its contract's log). */
export function useReportRepair() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ associationId, report }: { associationId: string; report: RepairReportBody }) =>
      apiSend('POST', `/organisations/${encodeURIComponent(associationId)}/repairs`, report, Repair),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: repairsQueryKey }),
  });
}
