import { useCouncil } from '../../features/council/api/get-council.ts';
import { WardList } from '../../features/council/components/ward-list.tsx';
import { LoadingMessage } from '../../shared/components/loading-message.tsx';
import { ProblemBanner } from '../../shared/components/problem-banner.tsx';
import { appConfig } from '../../shared/config/app-config.ts';

export function HomeRoute() {
  const council = useCouncil();
  return (
    <>
      <title>{appConfig.serviceName}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {council.data ? (
            <span className="govuk-caption-l">{council.data.name}</span>
          ) : null}
          <h1 className="govuk-heading-l">Vote in your council’s elections</h1>
          {council.isPending ? <LoadingMessage>Loading your council’s details…</LoadingMessage> : null}
          {council.isError ? <ProblemBanner what="your council’s details" error={council.error} /> : null}
          {council.data ? (
            <>
              <div className="govuk-inset-text">
                <h2 className="govuk-heading-m">There is no election open</h2>
                <p className="govuk-body govuk-!-margin-bottom-0">
                  Voting opens when {council.data.name} starts an election. Your poll card will
                  tell you when you can vote and how to sign in.
                </p>
              </div>
              <WardList council={council.data} />
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
