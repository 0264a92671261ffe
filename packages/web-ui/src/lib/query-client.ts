import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client.ts';

/** A 4xx or a malformed answer will not fix itself by asking again; a network or 5xx error might. */
function isWorthRetrying(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'NETWORK_ERROR') return true;
  return error.status !== null && error.status >= 500 && error.code !== 'INVALID_RESPONSE';
}

export interface QueryClientOptions {
  /** Pause before retry n (from 0); TanStack's exponential back-off by default. */
  retryDelay?: (failureCount: number) => number;
}

export function createQueryClient(options: QueryClientOptions = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failureCount, error) => failureCount < 2 && isWorthRetrying(error),
        ...(options.retryDelay ? { retryDelay: options.retryDelay } : {}),
        refetchOnWindowFocus: false,
      },
    },
  });
}
