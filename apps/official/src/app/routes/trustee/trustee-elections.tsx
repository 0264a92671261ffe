import { Link } from 'react-router';
import { useElection } from '../../../features/elections/api/elections.ts';
import { StatusTag } from '../../../features/elections/components/status-tag.tsx';
import { useSession } from '../../../features/session/api/session.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

export function TrusteeElectionsRoute() {
  return (
    <RequireStaff roles={['trustee']}>
      <TrusteeElections />
    </RequireStaff>
  );
}

function TrusteeElections() {
  const session = useSession();
  const principal = session.data?.principal;
  const electionIds = principal?.kind === 'staff' ? principal.roles.filter((r) => r.role === 'trustee' && r.electionId).map((r) => r.electionId!) : [];
  return (
    <>
      <title>{`Your elections as a trustee – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Your elections as a trustee</h1>
      {electionIds.length === 0 ? <p className="govuk-body">You are not a trustee of any election yet.</p> : null}
      <ul className="govuk-list">
        {electionIds.map((id) => (
          <TrusteeElectionItem key={id} id={id} />
        ))}
      </ul>
    </>
  );
}

/** One election by its title and state (its id means nothing to a person). */
function TrusteeElectionItem({ id }: { id: string }) {
  const election = useElection(id);
  return (
    <li className="govuk-!-margin-bottom-3">
      <Link className="govuk-link govuk-!-font-weight-bold" to={`/trustee/elections/${id}`}>
        {election.data?.title ?? (election.isError ? 'An election (its details could not be loaded)' : 'Loading…')}
      </Link>
      {election.data ? (
        <>
          {' '}
          <StatusTag status={election.data.status} />
        </>
      ) : null}
    </li>
  );
}
