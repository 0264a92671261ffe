import type { RouteObject } from 'react-router';
import { CheckBallotRoute } from './check-ballot.tsx';
import { ElectionRoute } from './election.tsx';
import { ElectionsListRoute } from './elections-list.tsx';
import { VoteRoute } from './vote.tsx';

/**
 * The voting pages, spread into the layout's children by the router. They are bundled statically:
 * a lazy chunk would move Zod and the protocol schemas into a shared chunk that is evaluated before
 * `@townhall/web-ui/configure-zod` turns off Zod's `new Function` probe, which the CSP reports as a violation.
 */
export const electionRoutes: RouteObject[] = [
  { path: 'elections', element: <ElectionsListRoute /> },
  { path: 'elections/:electionId', element: <ElectionRoute /> },
  { path: 'elections/:electionId/vote', element: <VoteRoute /> },
  { path: 'elections/:electionId/check', element: <CheckBallotRoute /> },
];
