import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { appConfig } from '../config/app-config.ts';
import { Layout } from './layout.tsx';
import { BallotRoute } from './routes/ballot.tsx';
import { HomeRoute } from './routes/home.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { RecordRoute } from './routes/record.tsx';

export function createAppRouter(basename = appConfig.routerBasename) {
  return createBrowserRouter(
    [
      {
        element: <Layout />,
        children: [
          { index: true, element: <HomeRoute /> },
          { path: 'record', element: <RecordRoute /> },
          { path: 'record/ballot', element: <BallotRoute /> },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
    { basename },
  );
}

const router = createAppRouter();

export function AppRouter() {
  return <RouterProvider router={router} />;
}
