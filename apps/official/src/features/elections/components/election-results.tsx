import type { ElectionDetail, TallyState } from '@townhall/protocol';

/** The published counts, with the options' labels, one table per contest. */
export function ElectionResults({ election, tally }: { election: ElectionDetail; tally: TallyState }) {
  if (!tally.result) return null;
  return (
    <>
      <p className="govuk-body">
        {tally.countedBallots} {tally.countedBallots === 1 ? 'ballot was' : 'ballots were'} counted. Decrypted by trustees{' '}
        {tally.partialDecryptions.map((p) => p.trusteeIndex).join(', ')} (threshold {tally.threshold}).
      </p>
      {tally.result.map((result) => {
        const contest = election.contests.find((c) => c.id === result.contestId);
        return (
          <div className="th-table-scroll" tabIndex={0} role="region" aria-label={`Result: ${contest?.title ?? result.contestId}`} key={result.contestId}>
            <table className="govuk-table" data-testid={`result-${result.contestId}`}>
              <caption className="govuk-table__caption govuk-table__caption--m">{contest?.title ?? result.contestId}</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Option</th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">Votes</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {result.counts.map((count) => (
                  <tr className="govuk-table__row" key={count.optionId} data-option={count.optionId}>
                    <th scope="row" className="govuk-table__header">{contest?.options.find((o) => o.id === count.optionId)?.label ?? count.optionId}</th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{count.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}
