import { useMutation, useQuery } from '@tanstack/react-query';
import { InteractionDetails, InteractionRedirect, type TownhallIdClaim } from '@townhall/protocol';
import { apiGet, type ApiGetOptions, apiSend } from '@townhall/web-ui';

export { InteractionDetails };

/**
 * A Townhall ID sign-in (an OpenID Connect interaction) answers under its own path, outside the API's
 * base path: the provider's interaction cookie is scoped to /oidc/interaction/<uid>, so only the
 * browser that started the sign-in can see or finish it. The POSTs carry the session's CSRF token
 * like every other request of the app.
 */
const OUTSIDE_API_BASE = '';

function interactionPath(uid: string, action: 'details' | 'login' | 'consent' | 'abort'): `/${string}` {
  return `/oidc/interaction/${encodeURIComponent(uid)}/${action}`;
}

export const interactionQueryKey = (uid: string) => ['oidc-interaction', uid] as const;

export function getInteractionDetails(uid: string, options?: ApiGetOptions): Promise<InteractionDetails> {
  return apiGet(interactionPath(uid, 'details'), InteractionDetails, { ...options, basePath: OUTSIDE_API_BASE });
}

export function useInteractionDetails(uid: string) {
  // The interaction ends when the person continues; asking again then would only say it expired.
  return useQuery({
    queryKey: interactionQueryKey(uid),
    queryFn: ({ signal }) => getInteractionDetails(uid, { signal }),
    staleTime: Infinity,
  });
}

/** The person has just signed in with their passkey: that sign-in is their sign-in to the service. */
export function signInToService(uid: string, actingFor?: string): Promise<InteractionRedirect> {
  const body = actingFor ? { actingFor } : {};
  return apiSend('POST', interactionPath(uid, 'login'), body, InteractionRedirect, { basePath: OUTSIDE_API_BASE });
}

/** Share these claims (the required ones and the optional ones left ticked) and continue to the service. */
export function shareWithService(uid: string, claims: readonly TownhallIdClaim[], organisationId?: string): Promise<InteractionRedirect> {
  const body = organisationId ? { claims, organisationId } : { claims };
  return apiSend('POST', interactionPath(uid, 'consent'), body, InteractionRedirect, { basePath: OUTSIDE_API_BASE });
}

/** Do not sign in: the service is told the person declined. */
export function cancelSignIn(uid: string): Promise<InteractionRedirect> {
  return apiSend('POST', interactionPath(uid, 'abort'), {}, InteractionRedirect, { basePath: OUTSIDE_API_BASE });
}

export function useShareWithService(uid: string) {
  return useMutation({
    mutationFn: ({ claims, organisationId }: { claims: readonly TownhallIdClaim[]; organisationId?: string }) =>
      shareWithService(uid, claims, organisationId),
  });
}

export function useCancelSignIn(uid: string) {
  return useMutation({ mutationFn: () => cancelSignIn(uid) });
}
