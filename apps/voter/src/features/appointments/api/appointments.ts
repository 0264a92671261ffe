import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AppointmentCode, AppointmentList, AppointmentSummary, type AppointmentRequest } from '@townhall/protocol';
import { apiGet, apiSend } from '@townhall/web-ui';

export const appointmentsQueryKey = ['account', 'appointments'] as const;

/** People who can act for the resident and people they act for, with the ledger index of each entry. */
export function useAppointments() {
  return useQuery({
    queryKey: appointmentsQueryKey,
    queryFn: ({ signal }) => apiGet('/account/appointments', AppointmentList, { signal }),
    staleTime: 0,
  });
}

/** A one-time code (an hour) to give to someone who wants to appoint the resident; a new one replaces the last. */
export function useAppointmentCode() {
  return useMutation({ mutationFn: () => apiSend('POST', '/account/appointment-code', {}, AppointmentCode), gcTime: 0 });
}

/** Appoints the resident whose code was given (an AppointmentMade entry); it takes effect when they accept. */
export function useAppoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: AppointmentRequest) => apiSend('POST', '/appointments', request, AppointmentSummary),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: appointmentsQueryKey }),
  });
}

function useAppointmentStep(step: 'accept' | 'end') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (appointmentId: string) =>
      apiSend('POST', `/appointments/${encodeURIComponent(appointmentId)}/${step}`, {}, AppointmentSummary),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: appointmentsQueryKey }),
  });
}

/** The representative accepts (an AppointmentAccepted entry). */
export const useAcceptAppointment = () => useAppointmentStep('accept');
/** Either side ends it (an AppointmentEnded entry). */
export const useEndAppointment = () => useAppointmentStep('end');
