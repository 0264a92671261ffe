import { LoadingMessage, ProblemBanner } from '@townhall/web-ui';
import { Link, Navigate } from 'react-router';
import { useMyElections } from '../../../features/elections/api/elections.ts';
import { describeElectionState, electionHref, PHASE_TAG, residentPhase } from '../../../features/elections/lib/election-state.ts';
import { useSession } from '../../../features/session/api/session.ts';
import { appConfig } from '../../../config/app-config.ts';

/** "Elections I may vote in": the signed-in resident's district's elections. */
export function ElectionsListRoute() {
  const session = useSession();
  const isResident = session.data?.principal.kind === 'resident';
  const elections = useMyElections(isResident);

  if (session.data && !isResident) {
    if (session.data.principal.kind === 'anonymous') return <Navigate to="/sign-in" replace state={{ from: '/elections' }} />;
  }

  return (
    <>
      <title>{`Your elections – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Elections you can vote in</h1>
      {session.isPending || (isResident && elections.isPending) ? <LoadingMessage>Loading your elections…</LoadingMessage> : null}
      {session.data && !isResident && session.data.principal.kind !== 'anonymous' ? (
        <p className="govuk-body">You are signed in as a member of staff. This page is for residents.</p>
      ) : null}
      {elections.isError ? <ProblemBanner what="your elections" error={elections.error} /> : null}
      {elections.data && elections.data.elections.length === 0 ? (
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-m">There are no elections for you at the moment</h2>
          <p className="govuk-body govuk-!-margin-bottom-0">When your council opens an election for your ward, it will appear here.</p>
        </div>
      ) : null}
      {elections.data && elections.data.elections.length > 0 ? (
        <ul className="govuk-task-list">
          {elections.data.elections.map((election) => {
            const tag = PHASE_TAG[residentPhase(election.status)];
            return (
              <li key={election.id} className="govuk-task-list__item govuk-task-list__item--with-link">
                <div className="govuk-task-list__name-and-hint">
                  <Link
                    className="govuk-link govuk-task-list__link"
                    to={electionHref(election)}
                    aria-describedby={`election-${election.id}-hint election-${election.id}-status`}
                  >
                    {election.title}
                  </Link>
                  <div id={`election-${election.id}-hint`} className="govuk-task-list__hint">
                    {describeElectionState(election)}.
                    {election.hasCredential ? ' You have voted or started voting in this election.' : ''}
                  </div>
                </div>
                <div id={`election-${election.id}-status`} className="govuk-task-list__status">
                  <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}
