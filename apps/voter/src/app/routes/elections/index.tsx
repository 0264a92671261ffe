import type { RouteObject } from 'react-router';
import { CheckBallotRoute } from './check-ballot.tsx';
import { ElectionsListRoute } from './elections-list.tsx';
import { VoteRoute } from './vote.tsx';

/** The voting pages, spread into the layout's children by the router. */
export const electionRoutes: RouteObject[] = [
  { path: 'elections', element: <ElectionsListRoute /> },
  { path: 'elections/:electionId/vote', element: <VoteRoute /> },
  { path: 'elections/:electionId/check', element: <CheckBallotRoute /> },
];
