import { Link } from 'react-router';
import { useSession } from '../../../features/session/api/session.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../shared/config/app-config.ts';

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
      <ul className="govuk-list">
        {electionIds.map((id) => (
          <li key={id}>
            <Link className="govuk-link" to={`/trustee/elections/${id}`}>
              Election {id}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
