import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import {
  AuthenticationOptionsResponse,
  RegistrationOptionsResponse,
  SessionResponse,
  StaffInvitationSummary,
  type StaffRoleName,
} from '@townhall/protocol';
import { apiGet, type ApiGetOptions, apiSend, apiSendExpectingNothing, rememberCsrfToken } from '@townhall/web-ui';

export { SessionResponse };

export const sessionQueryKey = ['session'] as const;

/** Who is signed in; also the CSRF token every state-changing request of this browser carries. */
export async function getSession(options?: ApiGetOptions): Promise<SessionResponse> {
  const session = await apiGet('/session', SessionResponse, options);
  rememberCsrfToken(session.csrfToken);
  return session;
}

export function useSession() {
  return useQuery({ queryKey: sessionQueryKey, queryFn: ({ signal }) => getSession({ signal }), staleTime: 60_000 });
}

/** The staff roles of whoever is signed in (none for a resident or nobody). */
export function rolesOf(session: SessionResponse | undefined): StaffRoleName[] {
  return session?.principal.kind === 'staff' ? session.principal.roles.map((role) => role.role) : [];
}

export async function signInWithPasskey(): Promise<SessionResponse> {
  const { options } = await apiSend('POST', '/sign-in/start', {}, AuthenticationOptionsResponse);
  const response = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
  return apiSend('POST', '/sign-in/finish', { response }, SessionResponse);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signInWithPasskey,
    onSuccess: (session) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' && query.queryKey[0] !== 'council' });
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}

export async function signOut(): Promise<void> {
  WebAuthnAbortService.cancelCeremony();
  await apiSendExpectingNothing('POST', '/sign-out', {});
  // The server gave this browser a fresh anonymous cookie, with a token of its own.
  rememberCsrfToken(null);
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: async () => {
      queryClient.setQueryData(sessionQueryKey, await getSession());
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' && query.queryKey[0] !== 'council' });
    },
  });
}

// ---- Invitations: a new member of staff joins with a passkey

export function getInvitation(token: string, options?: ApiGetOptions): Promise<StaffInvitationSummary> {
  return apiGet(`/staff/invitations/${encodeURIComponent(token)}`, StaffInvitationSummary, options);
}

export function useInvitation(token: string) {
  return useQuery({ queryKey: ['invitation', token], queryFn: ({ signal }) => getInvitation(token, { signal }), staleTime: Infinity });
}

export async function acceptInvitation(token: string): Promise<SessionResponse> {
  const path = `/staff/invitations/${encodeURIComponent(token)}` as const;
  const { options } = await apiSend('POST', `${path}/start`, {}, RegistrationOptionsResponse);
  const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  return apiSend('POST', `${path}/finish`, { response }, SessionResponse);
}

export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => acceptInvitation(token),
    onSuccess: (session) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' && query.queryKey[0] !== 'council' && query.queryKey[0] !== 'invitation' });
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}
