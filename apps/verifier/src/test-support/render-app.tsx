import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { BallotRoute } from '../app/routes/ballot.tsx';
import { HomeRoute } from '../app/routes/home.tsx';
import { RecordRoute } from '../app/routes/record.tsx';
import { VerificationProvider } from '../features/verification/components/verification-provider.tsx';
import type { WorkerLike } from '../features/verification/lib/verification-session.ts';
import { inProcessWorker } from './in-process-worker.ts';

/** The app's routes in memory, with the verifier worker run in-process (or a given one). */
export function renderApp(path = '/', startWorker: () => Promise<WorkerLike> = async () => inProcessWorker()) {
  const router = createMemoryRouter(
    [
      { path: '/', element: <HomeRoute preloadWorker={async () => undefined} /> },
      { path: '/record', element: <RecordRoute /> },
      { path: '/record/ballot', element: <BallotRoute /> },
    ],
    { initialEntries: [path] },
  );
  const wrap = (children: ReactNode) => (
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <VerificationProvider startWorker={startWorker}>{children}</VerificationProvider>
    </QueryClientProvider>
  );
  render(wrap(<RouterProvider router={router} />));
  return router;
}
