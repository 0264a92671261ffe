import { ConfirmPanel, LoadingMessage, ProblemBanner, useCouncil, WarningText } from '@townhall/web-ui';
import { useEffect, useRef, useState } from 'react';
import { useIssuePollCards, usePollCardsPreview } from '../../../features/roll/api/roll.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

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
  const [asking, setAsking] = useState<{ code: string; name: string } | null>(null);
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
      {asking ? (
        // Issuing is irreversible (earlier codes stop working): say how many, and ask again.
        <ConfirmPanel
          key={asking.code}
          question={`Issue the poll cards of ${asking.name}?`}
          consequences={<PollCardsConsequences wardCode={asking.code} wardName={asking.name} />}
          confirmLabel="Yes, issue new codes"
          onConfirm={() => {
            const ward = asking;
            setAsking(null);
            issue.mutate(ward.code, { onSuccess: (pdf) => addLetters(ward.code, pdf) });
          }}
          onCancel={() => setAsking(null)}
          isPending={issue.isPending}
        />
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
                      onClick={() => setAsking(ward)}
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

/** What issuing a ward's letters will do, asked of the API when the official asks to issue them. */
function PollCardsConsequences({ wardCode, wardName }: { wardCode: string; wardName: string }) {
  const preview = usePollCardsPreview(wardCode);
  if (preview.isPending) return <LoadingMessage>Counting the letters…</LoadingMessage>;
  if (preview.isError) return <ProblemBanner what="how many letters this makes" error={preview.error} />;
  const { letters, codesInvalidated } = preview.data;
  return (
    <>
      <p className="govuk-body">
        This makes {numberFormat.format(letters)} {letters === 1 ? 'letter' : 'letters'}, one for each elector of {wardName} who has not set up an
        account, each with a new activation code.
      </p>
      <p className="govuk-body">
        {codesInvalidated === 0
          ? 'No earlier code stops working: none of these electors holds an unused code.'
          : `${numberFormat.format(codesInvalidated)} ${codesInvalidated === 1 ? 'code on a letter issued before stops' : 'codes on letters issued before stop'} working at once and cannot be used again. Only post the new letters.`}
      </p>
    </>
  );
}
