import { formatDateTime, LoadingMessage, ProblemBanner, TrusteeMinimumWarning, useCouncil } from '@townhall/web-ui';
import { Link, useParams } from 'react-router';
import { useElection, useTally } from '../../../features/elections/api/elections.ts';
import { ElectionProblem } from '../../../features/elections/components/election-problem.tsx';
import { ElectionResult } from '../../../features/elections/components/election-result.tsx';
import { describeElectionState, PHASE_TAG, residentPhase } from '../../../features/elections/lib/election-state.ts';
import { appConfig } from '../../../config/app-config.ts';

/** Where the verifier app is: anyone can check the published result there. */
const VERIFIER_PATH = '/verify/';

/**
 * An election's own page, for everyone (no sign-in): its state in words, the way to vote while it
 * is open, and once published the result, with turnout and a link to check it independently.
 */
export function ElectionRoute() {
  const { electionId = '' } = useParams();
  const election = useElection(electionId);
  const phase = election.data ? residentPhase(election.data.status) : null;
  const tally = useTally(electionId, phase === 'published');
  const council = useCouncil();

  if (election.isPending) return <LoadingMessage>Loading the election…</LoadingMessage>;
  if (election.isError) return <ElectionProblem error={election.error} />;
  const detail = election.data;
  const tag = PHASE_TAG[phase!];
  const districts = council.data?.districts.filter((d) => detail.eligibleDistricts.includes(d.code)) ?? null;
  const electors = districts ? districts.reduce((sum, d) => sum + d.electorCount, 0) : null;

  return (
    <>
      <title>{`${detail.title} – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Election</span>
          <h1 className="govuk-heading-l">{detail.title}</h1>
          <TrusteeMinimumWarning ceremony={detail.manifest?.ceremony} />
          <p className="govuk-body">
            <strong className={`govuk-tag ${tag.className}`} data-testid="election-state-tag">
              {tag.text}
            </strong>
          </p>
          <p className="govuk-body-l" data-testid="election-state">
            {describeElectionState(detail)}.
          </p>
          {detail.description ? <p className="govuk-body">{detail.description}</p> : null}

          {phase === 'open' ? (
            <>
              <p className="govuk-body">Your passkey confirms it is you before you vote. You can vote again until voting closes: only your last ballot counts.</p>
              <Link to={`/elections/${detail.id}/vote`} role="button" draggable="false" className="govuk-button" data-module="govuk-button">
                Vote in this election
              </Link>
            </>
          ) : null}
          {phase === 'upcoming' ? <p className="govuk-body">You can vote on this page once voting opens. Your poll card tells you how to sign in.</p> : null}
          {phase === 'counting' ? (
            <p className="govuk-body">
              You cannot vote in this election any more. The trustees are decrypting the count together; the result will be published on this page.
            </p>
          ) : null}

          {phase === 'published' ? (
            <>
              {tally.isPending ? <LoadingMessage>Loading the result…</LoadingMessage> : null}
              {tally.isError ? <ProblemBanner what="the result" error={tally.error} /> : null}
              {tally.data ? <ElectionResult election={detail} tally={tally.data} electors={electors} /> : null}
              <h2 className="govuk-heading-m">Check the result yourself</h2>
              <p className="govuk-body">
                Every ballot and every step of the count is in the election’s public record. You do not have to trust the council: the election
                verifier checks the record in your browser and adds up the counted ballots again.
              </p>
              <p className="govuk-body">
                <a className="govuk-link" href={VERIFIER_PATH}>
                  Verify this election’s result
                </a>{' '}
                (choose “{detail.title}” there)
              </p>
            </>
          ) : null}

          <h2 className="govuk-heading-m">Voting dates</h2>
          <dl className="govuk-summary-list">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Voting opens</dt>
              <dd className="govuk-summary-list__value">{formatDateTime(detail.openedAt ?? detail.opensAt)}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">{detail.closedAt ? 'Voting closed' : 'Voting closes'}</dt>
              <dd className="govuk-summary-list__value" data-testid="closed-at">
                {formatDateTime(detail.closedAt ?? detail.closesAt)}
                {detail.closedAt && Date.parse(detail.closedAt) < Date.parse(detail.closesAt) ? (
                  <p className="govuk-hint govuk-!-margin-bottom-0">Closed early: it was due to close on {formatDateTime(detail.closesAt)}</p>
                ) : null}
              </dd>
            </div>
          </dl>
          {phase !== 'upcoming' && phase !== 'stopped' ? (
            <p className="govuk-body">
              <Link className="govuk-link" to={`/elections/${detail.id}/check`}>
                Check a ballot you have cast
              </Link>
            </p>
          ) : null}
        </div>
      </div>
    </>
  );
}
