import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  OrganisationInvitationCreated,
  OrganisationList,
  OrganisationSummary,
  type OrganisationRegistration,
  type OrganisationStatus,
} from '@townhall/protocol';
import { apiGet, apiSend } from '@townhall/web-ui';

export const organisationsQueryKey = ['organisations'] as const;

/** The council's register of organisations (administrators only). */
export function useOrganisations() {
  return useQuery({
    queryKey: organisationsQueryKey,
    queryFn: ({ signal }) => apiGet('/official/organisations', OrganisationList, { signal }),
    staleTime: 0,
  });
}

export interface NewOrganisation {
  registration: OrganisationRegistration;
  /** The name the first administrator is invited by. */
  administratorName: string;
}

export type RegistrationOutcome =
  | { organisation: OrganisationSummary; invitation: OrganisationInvitationCreated; invitationError: null }
  | { organisation: OrganisationSummary; invitation: null; invitationError: unknown };

/**
 * Registers an organisation (an OrganisationRegistered entry), then invites its first administrator.
 * A failed invitation does not undo the registration: the outcome says so, and the register can
 * invite again.
 */
export function useRegisterOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ registration, administratorName }: NewOrganisation): Promise<RegistrationOutcome> => {
      const organisation = await apiSend('POST', '/official/organisations', registration, OrganisationSummary);
      try {
        const invitation = await inviteAdministrator(organisation.id, administratorName);
        return { organisation, invitation, invitationError: null };
      } catch (invitationError) {
        return { organisation, invitation: null, invitationError };
      }
    },
    // The answer holds a one-time link: the mutation cache keeps nothing once the page lets it go.
    gcTime: 0,
    onSettled: () => queryClient.invalidateQueries({ queryKey: organisationsQueryKey }),
  });
}

function inviteAdministrator(organisationId: string, displayName: string): Promise<OrganisationInvitationCreated> {
  return apiSend(
    'POST',
    `/official/organisations/${encodeURIComponent(organisationId)}/invitations`,
    { displayName },
    OrganisationInvitationCreated,
  );
}

/** A one-time link for an administrator of the organisation (72 hours). */
export function useInviteAdministrator(organisationId: string) {
  return useMutation({ mutationFn: (displayName: string) => inviteAdministrator(organisationId, displayName), gcTime: 0 });
}

export interface OrganisationStatusChange {
  organisationId: string;
  status: OrganisationStatus;
}

/** Suspends, reinstates or closes an organisation: an OrganisationStatusChanged entry. */
export function useChangeOrganisationStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ organisationId, status }: OrganisationStatusChange) =>
      apiSend('POST', `/official/organisations/${encodeURIComponent(organisationId)}/status`, { status }, OrganisationSummary),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: organisationsQueryKey }),
  });
}
