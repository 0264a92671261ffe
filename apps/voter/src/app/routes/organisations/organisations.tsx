import { Navigate, useParams } from 'react-router';
import { AppointSomeone } from '../../../features/appointments/components/appoint-someone.tsx';
import { OrganisationInvitation } from '../../../features/organisations/components/organisation-invitation.tsx';
import { OrganisationMembers } from '../../../features/organisations/components/organisation-members.tsx';
import { OrganisationPublicPage } from '../../../features/organisations/components/organisation-public-page.tsx';
import { useSession } from '../../../features/session/api/session.ts';
import { LoadingMessage } from '@townhall/web-ui';

/** `/organisation-invite/:token`: the one-time link the API makes for an organisation's invitation. */
export function OrganisationInviteRoute() {
  const { token = '' } = useParams();
  const session = useSession();
  if (session.isPending) return <LoadingMessage>Checking your invitation…</LoadingMessage>;
  return <OrganisationInvitation token={token} session={session.data} />;
}

/** `/organisations/:organisationId`: an organisation's public page (no sign-in). */
export function OrganisationPublicRoute() {
  const { organisationId = '' } = useParams();
  return <OrganisationPublicPage organisationId={organisationId} />;
}

/** Only someone signed in as a resident or a person (others are sent to sign in, and back). */
export function RequireSignedIn({ from, residentOnly = false, children }: { from: string; residentOnly?: boolean; children: React.ReactNode }) {
  const session = useSession();
  if (session.isPending) return <LoadingMessage>Loading…</LoadingMessage>;
  const kind = session.data?.principal.kind;
  if (kind === 'resident' || (!residentOnly && kind === 'person')) return <>{children}</>;
  if (kind === 'staff') {
    return (
      <>
        <h1 className="govuk-heading-l">This page is for residents</h1>
        <p className="govuk-body">You are signed in as a member of staff.</p>
      </>
    );
  }
  return <Navigate to="/sign-in" replace state={{ from }} />;
}

/** `/account/organisations/:organisationId`: an organisation's members, for its administrators. */
export function OrganisationMembersRoute() {
  const { organisationId = '' } = useParams();
  return (
    <RequireSignedIn from={`/account/organisations/${organisationId}`}>
      <OrganisationMembers organisationId={organisationId} />
    </RequireSignedIn>
  );
}

/** `/account/appoint`: appoint a representative with the code they gave. */
export function AppointRoute() {
  return (
    <RequireSignedIn from="/account/appoint" residentOnly>
      <AppointSomeone />
    </RequireSignedIn>
  );
}
