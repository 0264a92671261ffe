import { LoadingMessage, ProblemBanner, WarningText } from '@townhall/web-ui';
import { useEffect, useRef, useState } from 'react';
import { useCouncil } from '../../../features/council/api/get-council.ts';
import { useIssuePollCards } from '../../../features/roll/api/roll.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../shared/config/app-config.ts';

const numberFormat = new Intl.NumberFormat('en-GB');

export function PollCardsRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <PollCards />
    </RequireStaff>
  );
}

/** The letters issued in this visit, as object URLs of the PDFs (revoked when the page goes). */
function useLetterUrls() {
  const [urls, setUrls] = useState<Record<string, string>>({});
  const created = useRef<string[]>([]);
  useEffect(() => () => created.current.forEach((url) => URL.revokeObjectURL(url)), []);
  const add = (wardCode: string, pdf: Blob) => {
    const url = URL.createObjectURL(pdf);
    created.current.push(url);
    setUrls((previous) => ({ ...previous, [wardCode]: url }));
  };
  return [urls, add] as const;
}

function PollCards() {
  const council = useCouncil();
  const issue = useIssuePollCards();
  const [letterUrls, addLetters] = useLetterUrls();
  const failedWard = issue.isError ? council.data?.districts.find((ward) => ward.code === issue.variables) : undefined;
  return (
    <>
      <title>{`Poll cards – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Poll cards</h1>
      <p className="govuk-body">
        Issue the poll card letters of a ward, then download them to print and post. There is one letter for each
        elector who has not set up an account yet, with their activation code and a QR code to the enrolment page.
      </p>
      <WarningText>
        Issuing a ward’s letters gives its electors new activation codes: the codes on letters issued before for the
        same ward stop working. Issue a ward’s letters only when you are ready to post them.
      </WarningText>
      {council.isPending ? <LoadingMessage>Loading the wards…</LoadingMessage> : null}
      {council.isError ? <ProblemBanner what="the wards" error={council.error} /> : null}
      {issue.isError ? (
        <ProblemBanner what="the poll cards" error={issue.error} headline={`Sorry, the poll cards for ${failedWard?.name ?? 'the ward'} could not be issued.`} />
      ) : null}
      {council.data ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Poll cards by ward</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Ward</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Electors</th>
              <th scope="col" className="govuk-table__header">Letters</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {council.data.districts.map((ward) => (
              <tr className="govuk-table__row" key={ward.code}>
                <th scope="row" className="govuk-table__header">
                  {ward.name} ({ward.code})
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{numberFormat.format(ward.electorCount)}</td>
                <td className="govuk-table__cell">
                  {letterUrls[ward.code] ? (
                    <a className="govuk-link" href={letterUrls[ward.code]} download={`poll-cards-${ward.code}.pdf`}>
                      Download poll cards<span className="govuk-visually-hidden"> for {ward.name}</span> (PDF)
                    </a>
                  ) : (
                    <button
                      type="button"
                      className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                      onClick={() => issue.mutate(ward.code, { onSuccess: (pdf) => addLetters(ward.code, pdf) })}
                      disabled={issue.isPending}
                      aria-disabled={issue.isPending}
                    >
                      {issue.isPending && issue.variables === ward.code ? 'Issuing…' : 'Issue poll cards'}
                      <span className="govuk-visually-hidden"> for {ward.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
