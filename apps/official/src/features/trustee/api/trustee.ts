import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CeremonyState, TallyState, type PartialDecryptionRequest, type TrusteeVerdictRequest } from '@townhall/protocol';
import { apiSend } from '@townhall/web-ui';

/** The trustee's posts; each answers with the new public state, which replaces the polled one. */
export function useTrusteePost(electionId: string) {
  const queryClient = useQueryClient();
  const ceremonyKey = ['ceremony', electionId];
  const commit = useMutation({
    mutationFn: (commitment: string) => apiSend('POST', `/trustee/elections/${electionId}/commitment`, { commitment }, CeremonyState),
    onSuccess: (state) => queryClient.setQueryData(ceremonyKey, state),
  });
  const sendShares = useMutation({
    mutationFn: (shares: string[]) => apiSend('POST', `/trustee/elections/${electionId}/shares`, { shares }, CeremonyState),
    onSuccess: (state) => queryClient.setQueryData(ceremonyKey, state),
  });
  const verdict = useMutation({
    mutationFn: (request: TrusteeVerdictRequest) => apiSend('POST', `/trustee/elections/${electionId}/verdict`, request, CeremonyState),
    onSuccess: (state) => queryClient.setQueryData(ceremonyKey, state),
  });
  const decrypt = useMutation({
    mutationFn: (request: PartialDecryptionRequest) => apiSend('POST', `/trustee/elections/${electionId}/partial-decryption`, request, TallyState),
    onSuccess: (state) => queryClient.setQueryData(['tally', electionId], state),
  });
  return { commit, sendShares, verdict, decrypt };
}
