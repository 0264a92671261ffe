import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import {
  BankAccountAnswer,
  type BankAccountInput,
  MembershipCheckResult,
  MembershipCode,
  MyOrganisation,
  MyOrganisationList,
  OrganisationInvitationCreated,
  OrganisationInvitationSummary,
  OrganisationMemberList,
  OrganisationMemberSummary,
  OrganisationPublicPage,
  RegistrationOptionsResponse,
  SessionResponse,
} from '@townhall/protocol';
import { apiGet, apiSend, apiSendExpectingNothing } from '@townhall/web-ui';

const sessionQueryKey = ['session'] as const;
export const myOrganisationsQueryKey = ['account', 'organisations'] as const;
const membersQueryKey = (organisationId: string) => ['organisation-members', organisationId] as const;
const path = (organisationId: string): `/${string}` => `/organisations/${encodeURIComponent(organisationId)}`;
const invitationPath = (token: string): `/${string}` => `/organisation-invitations/${encodeURIComponent(token)}`;

// ---- The invitation link

/** What a one-time link is for (404 for a used, expired or unknown one). */
export function useOrganisationInvitation(token: string) {
  return useQuery({
    queryKey: ['organisation-invitation', token],
    queryFn: ({ signal }) => apiGet(invitationPath(token), OrganisationInvitationSummary, { signal }),
    staleTime: Infinity,
    retry: false,
  });
}

/** Someone new here joins with a new passkey, and is signed in as a person. */
export async function joinWithPasskey(token: string): Promise<SessionResponse> {
  const { options } = await apiSend('POST', `${invitationPath(token)}/start`, {}, RegistrationOptionsResponse);
  const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  return apiSend('POST', `${invitationPath(token)}/finish`, { response }, SessionResponse);
}

const keepOnJoining = (key: readonly unknown[]) => key[0] === 'council' || key[0] === 'organisation-invitation';

export function useJoinWithPasskey(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => joinWithPasskey(token),
    onSuccess: (session) => {
      queryClient.removeQueries({ predicate: (query) => !keepOnJoining(query.queryKey) && query.queryKey[0] !== 'session' });
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}

/** Someone signed in joins as themselves, with no new passkey. */
export function useJoinAsSignedIn(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend('POST', `${invitationPath(token)}/link`, {}, MyOrganisation),
    // A new membership may change more of the account than its organisations (a tenant's repairs).
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['account'] }),
  });
}

// ---- The signed-in person's organisations

export function useMyOrganisations() {
  return useQuery({
    queryKey: myOrganisationsQueryKey,
    queryFn: ({ signal }) => apiGet('/account/organisations', MyOrganisationList, { signal }),
    staleTime: 0,
  });
}

/** A code (10 minutes) the organisation's public page confirms, to show someone at their door. */
export function useMembershipCode() {
  return useMutation({
    mutationFn: (organisationId: string) =>
      apiSend('POST', `/account/organisations/${encodeURIComponent(organisationId)}/membership-code`, {}, MembershipCode),
    gcTime: 0,
  });
}

// ---- An organisation's administrators

export function useOrganisationMembers(organisationId: string) {
  return useQuery({
    queryKey: membersQueryKey(organisationId),
    queryFn: ({ signal }) => apiGet(`${path(organisationId)}/members`, OrganisationMemberList, { signal }),
    staleTime: 0,
    retry: false,
  });
}

export interface MemberInvitation {
  displayName: string;
  roles: string[];
}

export function useInviteMember(organisationId: string) {
  return useMutation({
    mutationFn: (invitation: MemberInvitation) =>
      apiSend('POST', `${path(organisationId)}/invitations`, invitation, OrganisationInvitationCreated),
    // The answer holds a one-time link: nothing keeps it once the page lets it go.
    gcTime: 0,
  });
}

export function useSetMemberRoles(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ memberId, roles }: { memberId: string; roles: string[] }) =>
      apiSend('POST', `${path(organisationId)}/members/${encodeURIComponent(memberId)}/roles`, { roles }, OrganisationMemberSummary),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(organisationId) });
      void queryClient.invalidateQueries({ queryKey: myOrganisationsQueryKey });
    },
  });
}

export function useRemoveMember(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (memberId: string) =>
      apiSendExpectingNothing('POST', `${path(organisationId)}/members/${encodeURIComponent(memberId)}/remove`, {}),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(organisationId) });
      void queryClient.invalidateQueries({ queryKey: myOrganisationsQueryKey });
    },
  });
}

// ---- The organisation's bank account for payments (its administrators)

const bankAccountQueryKey = (organisationId: string) => ['organisation-bank-account', organisationId] as const;

export function useBankAccount(organisationId: string) {
  return useQuery({
    queryKey: bankAccountQueryKey(organisationId),
    queryFn: ({ signal }) => apiGet(`${path(organisationId)}/bank-account`, BankAccountAnswer, { signal }),
    staleTime: 0,
    retry: false,
    // Bank details stay in memory no longer than the page that shows them.
    gcTime: 0,
  });
}

export function useSetBankAccount(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (account: BankAccountInput) => apiSend('PUT', `${path(organisationId)}/bank-account`, account, BankAccountAnswer),
    onSuccess: (answer) => queryClient.setQueryData(bankAccountQueryKey(organisationId), answer),
    gcTime: 0,
  });
}

// ---- The public page

export function usePublicOrganisation(organisationId: string) {
  return useQuery({
    queryKey: ['organisation-public', organisationId],
    queryFn: ({ signal }) => apiGet(`${path(organisationId)}/public`, OrganisationPublicPage, { signal }),
    staleTime: 0,
    retry: false,
  });
}

/** Confirms the code a member shows (the same 404 for every code that does not confirm a current member). */
export function useCheckMember(organisationId: string) {
  return useMutation({
    mutationFn: (code: string) => apiSend('POST', `${path(organisationId)}/public/check-member`, { code }, MembershipCheckResult),
  });
}
