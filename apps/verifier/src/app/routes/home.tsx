import { LoadingMessage, ProblemBanner, SystemStatusSection } from '@townhall/web-ui';
import { useCouncil } from '../../features/council/api/get-council.ts';
import { appConfig } from '../../shared/config/app-config.ts';

export function HomeRoute() {
  const council = useCouncil();
  const councilName = council.data?.name ?? 'the council';
  return (
    <>
      <title>{appConfig.serviceName}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {council.data ? <span className="govuk-caption-l">{council.data.name}</span> : null}
          <h1 className="govuk-heading-l">Verify an election</h1>
          {council.isPending ? <LoadingMessage>Loading the council’s details…</LoadingMessage> : null}
          {council.isError ? <ProblemBanner what="the council’s details" error={council.error} /> : null}

          <p className="govuk-body-l">
            You do not have to trust {councilName} to know an election result is right. You can
            check it yourself.
          </p>
          <p className="govuk-body">
            Every step of a Townhall election is written to a public ledger that other councils
            witness. When an election’s record is published, this verifier downloads all of it and
            checks, in your browser:
          </p>
          <ul className="govuk-list govuk-list--bullet">
            <li>every signature and witness cosignature on the ledger</li>
            <li>that each ballot was cast with a valid, unused voting credential</li>
            <li>that no more ballots were counted than electors were allowed to vote</li>
            <li>every proof that a ballot and the decrypted count are correct</li>
            <li>that the published result is the sum of the counted ballots</li>
          </ul>
          <p className="govuk-body">
            If you voted, you can also check that your ballot is in the counted set using the
            tracking code you were given.
          </p>
          <div className="govuk-inset-text">
            There are no published election records to check yet. They will be listed here when{' '}
            {councilName} runs an election.
          </div>
        </div>
      </div>

      <SystemStatusSection />
    </>
  );
}
