import { formatDateTime, LoadingMessage, ProblemBanner, useCouncil } from '@townhall/web-ui';
import { Link } from 'react-router';
import { WardList } from '../../features/council/components/ward-list.tsx';
import { usePublicElections } from '../../features/elections/api/elections.ts';
import { describeElectionState, electionHref, PHASE_TAG, residentPhase } from '../../features/elections/lib/election-state.ts';
import { appConfig } from '../../config/app-config.ts';

export function HomeRoute() {
  const council = useCouncil();
  const elections = usePublicElections();
  const openElections = elections.data?.elections.filter((election) => election.status === 'open') ?? [];
  // Upcoming ones, those being counted and those with a result: each with its state in words.
  const otherElections = elections.data?.elections.filter((election) => election.status !== 'open') ?? [];
  return (
    <>
      <title>{appConfig.serviceName}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {council.data ? (
            <span className="govuk-caption-l">{council.data.name}</span>
          ) : null}
          <h1 className="govuk-heading-l">Vote in your council’s elections</h1>
          <p className="govuk-body">
            Everyone on the council’s electoral roll gets a poll card in the post. To vote online, set up an
            account once with the poll card:
          </p>
          <ol className="govuk-list govuk-list--number">
            <li>enter the activation code printed on your poll card (or scan its QR code with your phone)</li>
            <li>enter your postcode or your date of birth, so we know the card is yours</li>
            <li>create a passkey: your phone or computer then signs you in with your fingerprint, face or screen lock</li>
          </ol>
          <p className="govuk-body">It takes about 2 minutes. You do not need a password.</p>
          <Link to="/enrol" role="button" draggable="false" className="govuk-button govuk-button--start">
            Set up your account
            <svg className="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
              <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
            </svg>
          </Link>
          <p className="govuk-body">
            Already set up?{' '}
            <Link to="/sign-in" className="govuk-link">
              Sign in with your passkey
            </Link>
          </p>
          <p className="govuk-body"><Link to="/elections" className="govuk-link">See the elections you can vote in</Link></p>
          {council.isPending ? <LoadingMessage>Loading your council’s details…</LoadingMessage> : null}
          {council.isError ? <ProblemBanner what="your council’s details" error={council.error} /> : null}
          {council.data ? (
            <>
              {openElections.length > 0 ? (
                <div className="govuk-inset-text">
                  <h2 className="govuk-heading-m">{openElections.length === 1 ? 'An election is open' : 'Elections are open'}</h2>
                  <ul className="govuk-list">
                    {openElections.map((election) => (
                      <li key={election.id}>
                        <Link to={`/elections/${election.id}/vote`} className="govuk-link govuk-!-font-weight-bold">
                          {election.title}
                        </Link>{' '}
                        — voting closes {formatDateTime(election.closesAt)}
                      </li>
                    ))}
                  </ul>
                  <p className="govuk-body govuk-!-margin-bottom-0">Sign in with your passkey to vote. You can vote again until it closes: your last vote counts.</p>
                </div>
              ) : elections.isSuccess ? (
                <div className="govuk-inset-text">
                  <h2 className="govuk-heading-m">There is no election open</h2>
                  <p className="govuk-body govuk-!-margin-bottom-0">
                    Voting opens when {council.data.name} starts an election. Your poll card will
                    tell you when you can vote and how to sign in.
                  </p>
                </div>
              ) : null}
              {otherElections.length > 0 ? (
                <>
                  <h2 className="govuk-heading-m">{openElections.length > 0 ? 'Other elections' : 'Elections'}</h2>
                  <ul className="govuk-list th-election-states" data-testid="other-elections">
                    {otherElections.map((election) => {
                      const tag = PHASE_TAG[residentPhase(election.status)];
                      return (
                        <li key={election.id}>
                          <Link to={electionHref(election)} className="govuk-link govuk-!-font-weight-bold">
                            {election.title}
                          </Link>{' '}
                          <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
                          <br />
                          {describeElectionState(election)}.
                        </li>
                      );
                    })}
                  </ul>
                </>
              ) : null}
              {elections.isError ? <ProblemBanner what="the list of elections" error={elections.error} /> : null}
              <WardList council={council.data} />
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
