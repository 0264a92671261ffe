import { useCouncil } from '../../../features/council/api/get-council.ts';
import { pollCardsUrl } from '../../../features/roll/api/roll.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { WarningText } from '../../../shared/components/form-fields.tsx';
import { LoadingMessage } from '../../../shared/components/loading-message.tsx';
import { ProblemBanner } from '../../../shared/components/problem-banner.tsx';
import { appConfig } from '../../../shared/config/app-config.ts';

const numberFormat = new Intl.NumberFormat('en-GB');

export function PollCardsRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <PollCards />
    </RequireStaff>
  );
}

function PollCards() {
  const council = useCouncil();
  return (
    <>
      <title>{`Poll cards – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Poll cards</h1>
      <p className="govuk-body">
        Download the poll card letters of a ward to print and post. There is one letter for each elector who has not
        set up an account yet, with their activation code and a QR code to the enrolment page.
      </p>
      <WarningText>
        Each download issues new activation codes: the codes on letters downloaded before for the same ward stop
        working. Download a ward’s letters only when you are ready to post them.
      </WarningText>
      {council.isPending ? <LoadingMessage>Loading the wards…</LoadingMessage> : null}
      {council.isError ? <ProblemBanner what="the wards" error={council.error} /> : null}
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
                  <a className="govuk-link" href={pollCardsUrl(appConfig.apiBasePath, ward.code)} download={`poll-cards-${ward.code}.pdf`}>
                    Download poll cards<span className="govuk-visually-hidden"> for {ward.name}</span> (PDF)
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
