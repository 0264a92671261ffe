import type { ElectionDetail, TallyState } from '@townhall/protocol';
import { BarChart, type Bar } from '@townhall/web-ui';

const numberFormat = new Intl.NumberFormat('en-GB');
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/**
 * The published result as a resident reads it: how many voted (turnout, when the number of electors
 * who could vote is known), then each question's counts as a chart and, with the same numbers, a
 * table (the chart is hidden from assistive technology).
 */
export function ElectionResult({ election, tally, electors }: { election: ElectionDetail; tally: TallyState; electors: number | null }) {
  if (!tally.result) return null;
  const counted = tally.countedBallots ?? 0;
  return (
    <section aria-labelledby="result-heading" data-testid="result">
      <h2 className="govuk-heading-l" id="result-heading">
        Result
      </h2>
      <dl className="govuk-summary-list" data-testid="turnout">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Ballots counted</dt>
          <dd className="govuk-summary-list__value">
            {numberFormat.format(counted)}
            <p className="govuk-hint govuk-!-margin-bottom-0">Each voter’s last ballot before voting closed</p>
          </dd>
        </div>
        {electors !== null && electors > 0 ? (
          <>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Electors who could vote</dt>
              <dd className="govuk-summary-list__value">
                {numberFormat.format(electors)}
                <p className="govuk-hint govuk-!-margin-bottom-0">On the council’s electoral roll in the wards this election was for</p>
              </dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Turnout</dt>
              <dd className="govuk-summary-list__value">{percent(counted, electors)}</dd>
            </div>
          </>
        ) : null}
      </dl>
      {tally.result.map((result) => {
        const contest = election.contests.find((c) => c.id === result.contestId);
        const title = contest?.title ?? result.contestId;
        const votes = result.counts.reduce((sum, c) => sum + c.count, 0);
        const bars: Bar[] = result.counts.map((c) => ({ label: contest?.options.find((o) => o.id === c.optionId)?.label ?? c.optionId, value: c.count }));
        return (
          <figure className="th-figure" key={result.contestId} data-contest={result.contestId}>
            <h3 className="govuk-heading-m">{title}</h3>
            <BarChart bars={bars} />
            <table className="govuk-table" data-testid={`result-${result.contestId}`}>
              <caption className="govuk-table__caption govuk-visually-hidden">{title}: votes for each answer</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Answer
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Votes
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {bars.map((bar) => (
                  <tr className="govuk-table__row" key={bar.label}>
                    <th scope="row" className="govuk-table__header">
                      {bar.label}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{numberFormat.format(bar.value)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{votes > 0 ? percent(bar.value, votes) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        );
      })}
    </section>
  );
}
