import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ElectorListResponse, PollCardsPreview, RollImportApplied, RollImportPreview } from '@townhall/protocol';
import { apiGet, type ApiGetOptions, apiSend, apiSendForFile, type ApiSendOptions } from '@townhall/web-ui';

export const rollImportQueryKey = (importId: string) => ['roll-import', importId] as const;

/** Sends the file as it is (streamed by the browser): the API parses and validates every row. */
export function uploadRoll(file: Blob): Promise<RollImportPreview> {
  return apiSend('POST', '/roll/imports', file, RollImportPreview, { contentType: 'text/csv' });
}

export function useUploadRoll() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: uploadRoll,
    onSuccess: (preview) => queryClient.setQueryData(rollImportQueryKey(preview.importId), preview),
  });
}

export function getRollImport(importId: string, options?: ApiGetOptions): Promise<RollImportPreview> {
  return apiGet(`/roll/imports/${encodeURIComponent(importId)}`, RollImportPreview, options);
}

export function useRollImport(importId: string) {
  return useQuery({ queryKey: rollImportQueryKey(importId), queryFn: ({ signal }) => getRollImport(importId, { signal }) });
}

export function useApplyRollImport(importId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend('POST', `/roll/imports/${encodeURIComponent(importId)}/apply`, {}, RollImportApplied),
    onSuccess: () =>
      queryClient.invalidateQueries({ predicate: (query) => ['council', 'electors', 'roll-import'].includes(String(query.queryKey[0])) }),
  });
}

export interface ElectorSearch {
  district?: string | undefined;
  q?: string | undefined;
  page: number;
}

export function getElectors(search: ElectorSearch, options?: ApiGetOptions): Promise<ElectorListResponse> {
  const params = new URLSearchParams({ page: String(search.page) });
  if (search.district) params.set('district', search.district);
  if (search.q) params.set('q', search.q);
  return apiGet(`/roll/electors?${params.toString()}`, ElectorListResponse, options);
}

export function useElectors(search: ElectorSearch) {
  return useQuery({ queryKey: ['electors', search], queryFn: ({ signal }) => getElectors(search, { signal }), staleTime: 0 });
}

/** New code for one elector (the old one and their passkeys stop working); answers their letter. */
export function useReissueCard(electorNumber: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiSendForFile('POST', `/roll/electors/${encodeURIComponent(electorNumber)}/reissue-card`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['electors'] }),
  });
}

/**
 * Issues the poll cards of a ward and answers its letters (PDF). A POST with the session's CSRF
 * token, never a link: every call gives the ward's electors new codes (earlier unused ones stop working).
 */
export function issuePollCards(districtCode: string, options?: ApiSendOptions): Promise<Blob> {
  return apiSendForFile('POST', '/roll/poll-cards', { district: districtCode }, options);
}

export function useIssuePollCards() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (districtCode: string) => issuePollCards(districtCode),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['electors'] }),
  });
}

/** What issuing a ward's letters would do: how many letters, how many earlier unused codes stop working. */
export function usePollCardsPreview(districtCode: string) {
  return useQuery({
    queryKey: ['poll-cards-preview', districtCode],
    queryFn: ({ signal }) => apiGet(`/roll/poll-cards/${encodeURIComponent(districtCode)}`, PollCardsPreview, { signal }),
    staleTime: 0,
  });
}
