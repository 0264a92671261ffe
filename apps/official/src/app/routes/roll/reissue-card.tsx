import { ErrorSummary, LoadingMessage, Panel, ProblemBanner, WarningText } from '@townhall/web-ui';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useElectors, useReissueCard } from '../../../features/roll/api/roll.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

const REISSUE_BUTTON_ID = 'reissue-card';

export function ReissueCardRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <ReissueCard />
    </RequireStaff>
  );
}

function ReissueCard() {
  const { electorNumber = '' } = useParams();
  const search = useElectors({ q: electorNumber, page: 1 });
  const reissue = useReissueCard(electorNumber);
  const [letterUrl, setLetterUrl] = useState<string | null>(null);
  const elector = search.data?.electors.find((candidate) => candidate.electorNumber === electorNumber);

  useEffect(() => {
    if (!reissue.data) return;
    const url = URL.createObjectURL(reissue.data);
    setLetterUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [reissue.data]);

  const fileName = `poll-card-${electorNumber}.pdf`;
  if (reissue.isSuccess) {
    return (
      <>
        <title>{`New poll card issued – ${appConfig.serviceName}`}</title>
        <Panel title="New poll card issued">Elector {electorNumber}</Panel>
        <p className="govuk-body">The old activation code no longer works, and the elector’s passkeys were revoked.</p>
        {letterUrl ? (
          <p className="govuk-body">
            <a href={letterUrl} download={fileName} className="govuk-link">
              Download the poll card letter (PDF)
            </a>
          </p>
        ) : null}
        <p className="govuk-body">Print it and post it to the elector. The letter holds their new code: do not keep copies.</p>
        <p className="govuk-body">
          <Link to="/roll/electors" className="govuk-link">
            Back to electors
          </Link>
        </p>
      </>
    );
  }

  const errors = reissue.isError ? [{ fieldId: REISSUE_BUTTON_ID, message: reissue.error.message }] : [];
  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Re-issue a poll card – ${appConfig.serviceName}`}</title>
      <Link to="/roll/electors" className="govuk-back-link">
        Back
      </Link>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Re-issue a poll card</h1>
      {search.isPending ? <LoadingMessage>Finding the elector…</LoadingMessage> : null}
      {search.isError ? <ProblemBanner what="the elector" error={search.error} /> : null}
      {search.isSuccess && !elector ? <p className="govuk-body">There is no elector {electorNumber} on the roll.</p> : null}
      {elector ? (
        <>
          <dl className="govuk-summary-list">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Elector</dt>
              <dd className="govuk-summary-list__value">
                {elector.givenName} {elector.familyName} ({elector.electorNumber})
              </dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Ward and postcode</dt>
              <dd className="govuk-summary-list__value">
                {elector.districtCode}, {elector.postcode}
              </dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Account</dt>
              <dd className="govuk-summary-list__value">
                {elector.enrolled ? `Set up, ${elector.activePasskeys} active passkey${elector.activePasskeys === 1 ? '' : 's'}` : 'Not set up'}
              </dd>
            </div>
          </dl>
          <WarningText>
            The old activation code will stop working
            {elector.activePasskeys > 0
              ? ` and the elector’s ${elector.activePasskeys} passkey${elector.activePasskeys === 1 ? '' : 's'} will be revoked: they cannot sign in until they set up their account again with the new card`
              : ''}
            .
          </WarningText>
          <p className="govuk-body">Only re-issue a card when the elector asks, for example because the card was lost or a device was stolen.</p>
          <button
            type="button"
            id={REISSUE_BUTTON_ID}
            className="govuk-button govuk-button--warning"
            onClick={() => reissue.mutate()}
            disabled={reissue.isPending}
            aria-disabled={reissue.isPending}
          >
            {reissue.isPending ? 'Issuing…' : 'Re-issue the poll card'}
          </button>
        </>
      ) : null}
    </>
  );
}
