import { useQuery } from '@tanstack/react-query';
import { ElectionListResponse } from '@townhall/protocol';
import { apiGet, type ApiGetOptions } from '@townhall/web-ui';

/** Public elections past the draft stage: each has a ledger, so its record can be downloaded. */
export function getElections(options?: ApiGetOptions): Promise<ElectionListResponse> {
  return apiGet('/elections', ElectionListResponse, options);
}

export const electionsQueryKey = ['elections'] as const;

export function useElections() {
  return useQuery({ queryKey: electionsQueryKey, queryFn: ({ signal }) => getElections({ signal }) });
}

/** The record's address (docs/protocol/record.md): absolute, because the worker may run from a blob: URL. */
export function recordUrl(apiBasePath: string, electionId: string, base = globalThis.location?.href ?? 'http://localhost/'): string {
  return new URL(`${apiBasePath}/elections/${electionId}/record`, base).href;
}
