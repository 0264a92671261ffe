import type { CouncilSummary } from '@townhall/protocol';

const numberFormat = new Intl.NumberFormat('en-GB');

interface RollByWardProps {
  council: CouncilSummary;
}

/** The size of the electoral roll in each ward, with the ward codes officials use on poll cards. */
export function RollByWard({ council }: RollByWardProps) {
  if (council.districts.length === 0) {
    return (
      <p className="govuk-body">
        {council.name} has no wards yet, so there is no electoral roll to show.
      </p>
    );
  }
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-visually-hidden">Electoral roll by ward</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Ward
          </th>
          <th scope="col" className="govuk-table__header">
            Code
          </th>
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">
            Electors on the roll
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {council.districts.map((district) => (
          <tr className="govuk-table__row" key={district.code}>
            <th scope="row" className="govuk-table__header">
              {district.name}
            </th>
            <td className="govuk-table__cell">{district.code}</td>
            <td className="govuk-table__cell govuk-table__cell--numeric">
              {numberFormat.format(district.electorCount)}
            </td>
          </tr>
        ))}
        <tr className="govuk-table__row">
          <th scope="row" className="govuk-table__header" colSpan={2}>
            Whole council
          </th>
          <td className="govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold">
            {numberFormat.format(council.electorCount)}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
