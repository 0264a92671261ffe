import { formatDateTime, LoadingMessage, ProblemBanner } from '@townhall/web-ui';
import { Link } from 'react-router';
import { useOfficialElections } from '../../../features/elections/api/elections.ts';
import { StatusTag } from '../../../features/elections/components/status-tag.tsx';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

export function ElectionsRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <Elections />
    </RequireStaff>
  );
}

function Elections() {
  const elections = useOfficialElections();
  return (
    <>
      <title>{`Elections – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Elections</h1>
      <Link to="/elections/new" className="govuk-button" role="button" draggable="false">
        Create an election
      </Link>
      {elections.isPending ? <LoadingMessage>Loading the elections…</LoadingMessage> : null}
      {elections.isError ? <ProblemBanner what="the elections" error={elections.error} /> : null}
      {elections.data ? (
        elections.data.elections.length === 0 ? (
          <p className="govuk-body">There are no elections yet.</p>
        ) : (
          <div className="th-table-scroll" role="region" tabIndex={0} aria-label="Elections (scrolls sideways)">
            <table className="govuk-table">
              <caption className="govuk-visually-hidden">Elections</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Election</th>
                  <th scope="col" className="govuk-table__header">Status</th>
                  <th scope="col" className="govuk-table__header">Opens</th>
                  <th scope="col" className="govuk-table__header">Closes</th>
                  <th scope="col" className="govuk-table__header">Districts</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {elections.data.elections.map((election) => (
                  <tr className="govuk-table__row" key={election.id}>
                    <th scope="row" className="govuk-table__header">
                      <Link to={`/elections/${election.id}`} className="govuk-link">
                        {election.title}
                      </Link>
                    </th>
                    <td className="govuk-table__cell">
                      <StatusTag status={election.status} />
                    </td>
                    <td className="govuk-table__cell">{formatDateTime(election.opensAt)}</td>
                    <td className="govuk-table__cell">{formatDateTime(election.closesAt)}</td>
                    <td className="govuk-table__cell">{election.eligibleDistricts.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}
