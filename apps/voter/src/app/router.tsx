import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { appConfig } from '../config/app-config.ts';
import { Layout } from './layout.tsx';
import { AccountRoute } from './routes/account.tsx';
import { electionRoutes } from './routes/elections/index.tsx';
import { EnrolCheckRoute } from './routes/enrol/enrol-check.tsx';
import { EnrolCodeRoute } from './routes/enrol/enrol-code.tsx';
import { EnrolDoneRoute } from './routes/enrol/enrol-done.tsx';
import { EnrolLayout } from './routes/enrol/enrol-layout.tsx';
import { EnrolPasskeyRoute } from './routes/enrol/enrol-passkey.tsx';
import { HomeRoute } from './routes/home.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { OidcInteractionRoute } from './routes/oidc-interaction.tsx';
import {
  AppointRoute,
  OrganisationInviteRoute,
  OrganisationMembersRoute,
  OrganisationPublicRoute,
} from './routes/organisations/organisations.tsx';
import {
  ContractorWebhookRoute,
  OrganisationContractRoute,
  OrganisationWorkItemRoute,
  OrganisationWorkRoute,
  PaymentRunsRoute,
} from './routes/organisations/organisation-work.tsx';
import {
  RepairRoute,
  RepairsRoute,
  ReportRepairCheckRoute,
  ReportRepairDoneRoute,
  ReportRepairLayout,
  ReportRepairRoute,
} from './routes/repairs/repairs.tsx';
import { SignInRoute } from './routes/sign-in.tsx';
import { SignOutRoute } from './routes/sign-out.tsx';

export function createAppRouter(basename = appConfig.routerBasename) {
  return createBrowserRouter(
    [
      {
        element: <Layout />,
        children: [
          { index: true, element: <HomeRoute /> },
          {
            path: 'enrol',
            element: <EnrolLayout />,
            children: [
              { index: true, element: <EnrolCodeRoute /> },
              { path: 'check', element: <EnrolCheckRoute /> },
              { path: 'passkey', element: <EnrolPasskeyRoute /> },
            ],
          },
          { path: 'enrol/done', element: <EnrolDoneRoute /> },
          { path: 'sign-in', element: <SignInRoute /> },
          { path: 'sign-out', element: <SignOutRoute /> },
          { path: 'account', element: <AccountRoute /> },
          { path: 'account/organisations/:organisationId', element: <OrganisationMembersRoute /> },
          { path: 'account/organisations/:organisationId/work', element: <OrganisationWorkRoute /> },
          { path: 'account/organisations/:organisationId/work/:orderId', element: <OrganisationWorkItemRoute /> },
          { path: 'account/organisations/:organisationId/payment-runs', element: <PaymentRunsRoute /> },
          { path: 'account/organisations/:organisationId/webhook', element: <ContractorWebhookRoute /> },
          { path: 'account/organisations/:organisationId/contracts/:contractId', element: <OrganisationContractRoute /> },
          { path: 'account/appoint', element: <AppointRoute /> },
          // The API's invitation links (docs/organisations.md §2): `<public URL>/organisation-invite/<token>`.
          { path: 'organisation-invite/:token', element: <OrganisationInviteRoute /> },
          { path: 'organisations/:organisationId', element: <OrganisationPublicRoute /> },
          // A tenant's repairs (docs/protocol/contracts.md §11.3): report one, then follow it.
          { path: 'repairs', element: <RepairsRoute /> },
          {
            path: 'repairs/report',
            element: <ReportRepairLayout />,
            children: [
              { index: true, element: <ReportRepairRoute /> },
              { path: 'check', element: <ReportRepairCheckRoute /> },
              { path: 'done', element: <ReportRepairDoneRoute /> },
            ],
          },
          { path: 'repairs/:orderId', element: <RepairRoute /> },
          // Townhall ID's sign-in page: the API serves this app's page at this path (oidc-provider's interaction URL).
          { path: 'oidc/interaction/:uid', element: <OidcInteractionRoute /> },
          ...electionRoutes,
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
