import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';

/** A request the fake API answered: `"POST /api/…"` and its parsed JSON body. */
export interface FakeApiCall {
  call: string;
  body: unknown;
}

/**
 * Stands in for the API: `fetch` answers each `"<METHOD> <url>"` with its handler (given the parsed
 * body) and anything else with the API's 404 error. Returns the calls made, in order. Undo with
 * `vi.unstubAllGlobals()`.
 */
export function serveFakeApi(routes: Record<string, (body: unknown) => Response>, notFoundMessage = 'No.'): FakeApiCall[] {
  const calls: FakeApiCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const call = `${init?.method ?? 'GET'} ${url}`;
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ call, body });
      const answer = routes[call];
      return answer ? answer(body) : Response.json({ error: { code: 'NOT_FOUND', message: notFoundMessage, requestId: 'r' } }, { status: 404 });
    }),
  );
  return calls;
}

/** Renders a component as the app does: a fresh query client, inside a router (at `path`). */
export function renderWithProviders(element: ReactNode, path = '/') {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[path]}>{element}</MemoryRouter>
    </QueryClientProvider>,
  );
}
