import type { CouncilSummary } from '@townhall/protocol';

const numberFormat = new Intl.NumberFormat('en-GB');

interface WardListProps {
  council: CouncilSummary;
}

/** The council's wards and how many electors are registered in each. */
export function WardList({ council }: WardListProps) {
  if (council.districts.length === 0) {
    return <p className="govuk-body">{council.name} has not published its wards yet.</p>;
  }
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">
        Wards in {council.name}
      </caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Ward
          </th>
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">
            Registered electors
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {council.districts.map((district) => (
          <tr className="govuk-table__row" key={district.code}>
            <th scope="row" className="govuk-table__header">
              {district.name}
            </th>
            <td className="govuk-table__cell govuk-table__cell--numeric">
              {numberFormat.format(district.electorCount)}
            </td>
          </tr>
        ))}
        <tr className="govuk-table__row">
          <th scope="row" className="govuk-table__header">
            Total
          </th>
          <td className="govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold">
            {numberFormat.format(council.electorCount)}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
