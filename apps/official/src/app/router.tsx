import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { appConfig } from '../config/app-config.ts';
import { Layout } from './layout.tsx';
import { HomeRoute } from './routes/home.tsx';
import { InviteRoute } from './routes/invite.tsx';
import { ElectorsRoute } from './routes/roll/electors.tsx';
import { PollCardsRoute } from './routes/roll/poll-cards.tsx';
import { ReissueCardRoute } from './routes/roll/reissue-card.tsx';
import { RollImportPreviewRoute } from './routes/roll/roll-import-preview.tsx';
import { RollImportRoute } from './routes/roll/roll-import.tsx';
import { SignInRoute } from './routes/sign-in.tsx';
import { SignOutRoute } from './routes/sign-out.tsx';
import { StaffActionsRoute } from './routes/staff/staff-actions.tsx';
import { StaffRoute } from './routes/staff/staff.tsx';
import { DeleteServiceRoute, RegisterServiceRoute, ServicesRoute } from './routes/services/services.tsx';
import {
  InviteAdministratorRoute,
  OrganisationsRoute,
  RecordPowerOfAttorneyRoute,
  RegisterOrganisationRoute,
} from './routes/organisations/organisations.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { ElectionsRoute } from './routes/elections/elections.tsx';
import { ElectionRoute } from './routes/elections/election.tsx';
import { EditElectionRoute, NewElectionRoute } from './routes/elections/election-edit.tsx';
import { TrusteeElectionsRoute } from './routes/trustee/trustee-elections.tsx';
import { TrusteeElectionRoute } from './routes/trustee/trustee-election.tsx';

export function createAppRouter(basename = appConfig.routerBasename) {
  return createBrowserRouter(
    [
      {
        element: <Layout />,
        children: [
          { index: true, element: <HomeRoute /> },
          { path: 'sign-in', element: <SignInRoute /> },
          { path: 'sign-out', element: <SignOutRoute /> },
          { path: 'invite/:token', element: <InviteRoute /> },
          { path: 'roll/import', element: <RollImportRoute /> },
          { path: 'roll/imports/:importId', element: <RollImportPreviewRoute /> },
          { path: 'roll/electors', element: <ElectorsRoute /> },
          { path: 'roll/electors/:electorNumber/reissue', element: <ReissueCardRoute /> },
          { path: 'roll/poll-cards', element: <PollCardsRoute /> },
          { path: 'staff', element: <StaffRoute /> },
          { path: 'staff/actions', element: <StaffActionsRoute /> },
          { path: 'services', element: <ServicesRoute /> },
          { path: 'services/new', element: <RegisterServiceRoute /> },
          { path: 'services/:clientId/delete', element: <DeleteServiceRoute /> },
          { path: 'organisations', element: <OrganisationsRoute /> },
          { path: 'organisations/new', element: <RegisterOrganisationRoute /> },
          { path: 'organisations/:organisationId/invite', element: <InviteAdministratorRoute /> },
          { path: 'appointments/power-of-attorney', element: <RecordPowerOfAttorneyRoute /> },
          { path: 'elections', element: <ElectionsRoute /> },
          { path: 'elections/new', element: <NewElectionRoute /> },
          { path: 'elections/:electionId', element: <ElectionRoute /> },
          { path: 'elections/:electionId/edit', element: <EditElectionRoute /> },
          { path: 'trustee', element: <TrusteeElectionsRoute /> },
          { path: 'trustee/elections/:electionId', element: <TrusteeElectionRoute /> },
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
