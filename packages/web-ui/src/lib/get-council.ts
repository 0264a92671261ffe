import { useQuery } from '@tanstack/react-query';
import { CouncilSummary } from '@townhall/protocol';
import { apiGet, type ApiGetOptions } from './api-client.ts';

export { CouncilSummary };

/** The council every app names in its header, with its wards and the roll's size. */
export function getCouncil(options?: ApiGetOptions): Promise<CouncilSummary> {
  return apiGet('/council', CouncilSummary, options);
}

export const councilQueryKey = ['council'] as const;

export function useCouncil() {
  return useQuery({
    queryKey: councilQueryKey,
    queryFn: ({ signal }) => getCouncil({ signal }),
  });
}
