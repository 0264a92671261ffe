import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { StaffActionsResponse, StaffInvitationCreated, StaffListResponse, type StaffInvitationRequest } from '@townhall/protocol';
import { apiGet, apiSend } from '@townhall/web-ui';

export function useStaffList() {
  return useQuery({ queryKey: ['staff'], queryFn: ({ signal }) => apiGet('/staff', StaffListResponse, { signal }), staleTime: 0 });
}

export function useStaffActions(page: number) {
  return useQuery({
    queryKey: ['staff-actions', page],
    queryFn: ({ signal }) => apiGet(`/staff/actions?page=${page}`, StaffActionsResponse, { signal }),
    staleTime: 0,
  });
}

export function useInviteStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: StaffInvitationRequest) => apiSend('POST', '/staff/invitations', request, StaffInvitationCreated),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff-actions'] }),
  });
}
