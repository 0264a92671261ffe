import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CeremonyState,
  ElectionDashboard,
  ElectionDetail,
  ElectionListResponse,
  StaffInvitationCreated,
  StaffListResponse,
  TallyState,
  type ElectionDraft,
  type StartCeremonyRequest,
} from '@townhall/protocol';
import { apiGet, apiSend } from '@townhall/web-ui';

/** How often the live pages (ceremony, dashboard, tally) ask again. */
export const LIVE_REFRESH_MS = 3000;

export const electionKey = (id: string) => ['election', id] as const;

export function useOfficialElections() {
  return useQuery({ queryKey: ['official-elections'], queryFn: ({ signal }) => apiGet('/official/elections', ElectionListResponse, { signal }), staleTime: 0 });
}

export function useElection(id: string, options: { live?: boolean } = {}) {
  return useQuery({
    queryKey: electionKey(id),
    queryFn: ({ signal }) => apiGet(`/elections/${id}`, ElectionDetail, { signal }),
    staleTime: 0,
    refetchInterval: options.live ? LIVE_REFRESH_MS : false,
  });
}

export function useSaveDraft(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (draft: ElectionDraft) =>
      id === null ? apiSend('POST', '/official/elections', draft, ElectionDetail) : apiSend('PUT', `/official/elections/${id}`, draft, ElectionDetail),
    onSuccess: (election) => {
      queryClient.setQueryData(electionKey(election.id), election);
      void queryClient.invalidateQueries({ queryKey: ['official-elections'] });
    },
  });
}

export function useStartCeremony(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: StartCeremonyRequest) => apiSend('POST', `/official/elections/${id}/ceremony`, request, ElectionDetail),
    onSuccess: (election) => queryClient.setQueryData(electionKey(id), election),
  });
}

/** Open now, close now, or start the tally: each a one-step transition with an empty body. */
export function useElectionTransition(id: string, transition: 'open' | 'close' | 'tally') {
  const queryClient = useQueryClient();
  return useMutation({
    // The tally may take a while on a large election: it is asked to run in the background, and the
    // page follows its progress in the tally state.
    mutationFn: () => apiSend('POST', `/official/elections/${id}/${transition}`, {}, ElectionDetail, { respondAsync: transition === 'tally' }),
    onSuccess: (election) => {
      queryClient.setQueryData(electionKey(id), election);
      if (transition === 'tally') void queryClient.invalidateQueries({ queryKey: electionKey(id) });
      void queryClient.invalidateQueries({ queryKey: ['tally', id] });
      void queryClient.invalidateQueries({ queryKey: ['dashboard', id] });
    },
  });
}

export function useCeremony(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['ceremony', id],
    queryFn: ({ signal }) => apiGet(`/elections/${id}/ceremony`, CeremonyState, { signal }),
    enabled,
    staleTime: 0,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export function useDashboard(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['dashboard', id],
    queryFn: ({ signal }) => apiGet(`/official/elections/${id}/dashboard`, ElectionDashboard, { signal }),
    enabled,
    staleTime: 0,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export function useTally(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['tally', id],
    queryFn: ({ signal }) => apiGet(`/elections/${id}/tally`, TallyState, { signal }),
    enabled,
    staleTime: 0,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/**
 * Staff who hold the trustee role of this election, in the order they joined: that order gives the
 * trustee indices (1, 2, …). Officers and admins may list them (docs/decisions/0004-identity.md).
 */
export function useElectionTrustees(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['election-trustees', id],
    queryFn: ({ signal }) => apiGet(`/staff/elections/${id}/trustees`, StaffListResponse, { signal }),
    enabled,
    staleTime: 0,
    refetchInterval: LIVE_REFRESH_MS,
    select: (list) => list.staff,
  });
}

/** A one-time invitation link for a trustee of this (draft) election, by an officer or an admin. */
export function useInviteTrustee(id: string) {
  return useMutation({
    mutationFn: (displayName: string) => apiSend('POST', `/staff/elections/${id}/trustees/invitations`, { displayName }, StaffInvitationCreated),
  });
}
