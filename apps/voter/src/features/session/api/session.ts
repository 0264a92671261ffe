import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { startAuthentication, WebAuthnAbortService, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { AuthenticationOptionsResponse, SessionResponse } from '@townhall/protocol';
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

/**
 * Sign in with a passkey: challenge from the API, assertion from the authenticator, session back.
 * `useBrowserAutofill` waits for the person to pick a passkey from the autofill list (conditional UI).
 */
export async function signInWithPasskey(useBrowserAutofill = false): Promise<SessionResponse> {
  const { options } = await apiSend('POST', '/sign-in/start', {}, AuthenticationOptionsResponse);
  const response = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON, useBrowserAutofill });
  return apiSend('POST', '/sign-in/finish', { response }, SessionResponse);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (useBrowserAutofill: boolean) => signInWithPasskey(useBrowserAutofill),
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
