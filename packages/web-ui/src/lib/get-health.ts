import { useQuery } from '@tanstack/react-query';
import { HealthResponse } from '@townhall/protocol';
import { apiGet, type ApiGetOptions } from './api-client.ts';

export { HealthResponse };

/** The API answers 503 with the same report when it is degraded, so that status is an answer too. */
export function getHealth(options?: ApiGetOptions): Promise<HealthResponse> {
  return apiGet('/health', HealthResponse, { answerStatuses: [503], ...options });
}

export const healthQueryKey = ['health'] as const;

export function useHealth() {
  return useQuery({
    queryKey: healthQueryKey,
    queryFn: ({ signal }) => getHealth({ signal }),
    staleTime: 0,
    refetchInterval: 60_000,
  });
}
