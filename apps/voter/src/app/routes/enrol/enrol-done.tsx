import { formatDateTime, Panel } from '@townhall/web-ui';
import { Link, useLocation } from 'react-router';
import { useMyElections } from '../../../features/elections/api/elections.ts';
import { appConfig } from '../../../config/app-config.ts';

export function EnrolDoneRoute() {
  const location = useLocation();
  const givenName = (location.state as { givenName?: string | null } | null)?.givenName;
  // Enrolment signed the resident in: the way on is the elections open for their ward.
  const elections = useMyElections(true);
  const openElections = elections.data?.elections.filter((election) => election.status === 'open') ?? [];
  return (
    <>
      <title>{`Your account is set up – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Your account is set up">{givenName ? `You are signed in, ${givenName}` : 'You are signed in'}</Panel>
          {openElections.length > 0 ? (
            <>
              <h2 className="govuk-heading-m govuk-!-margin-top-6">{openElections.length === 1 ? 'An election is open for you' : 'Elections are open for you'}</h2>
              <ul className="govuk-list" data-testid="open-elections">
                {openElections.map((election) => (
                  <li key={election.id}>
                    <Link to={`/elections/${election.id}/vote`} className="govuk-link govuk-!-font-weight-bold">
                      Vote in {election.title}
                    </Link>{' '}
                    — open until {formatDateTime(election.closesAt)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="govuk-body">
            <Link to="/elections" className="govuk-link">
              See the elections you can vote in
            </Link>
          </p>
          <h2 className="govuk-heading-m">What happens next</h2>
          <p className="govuk-body">
            Your passkey is saved on your device. Next time, sign in with it: you will not need your poll card
            again.
          </p>
          <p className="govuk-body">
            The council’s public ledger now records that a passkey was set up for your entry on the roll. It
            does not record your name or address. You can see the record on your account page.
          </p>
          <p className="govuk-body">
            <Link to="/account" className="govuk-link">
              Go to your account
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}
