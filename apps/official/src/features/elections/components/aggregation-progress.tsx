/** The tally's aggregation while it runs in the background: how many counted ballots are added up so far. */
export function AggregationProgress({ summed, total }: { summed: number; total: number }) {
  const count = (n: number) => n.toLocaleString('en-GB');
  return (
    <section aria-labelledby="aggregation-heading">
      <h2 className="govuk-heading-m" id="aggregation-heading">
        Adding up the encrypted ballots
      </h2>
      <progress className="th-progress" id="aggregation-progress" max={Math.max(1, total)} value={summed} aria-describedby="aggregation-progress-text" />
      <p className="govuk-body" id="aggregation-progress-text" aria-live="polite" data-testid="aggregation-progress">
        {count(summed)} of {count(total)} counted {total === 1 ? 'ballot' : 'ballots'} added up. The trustees can decrypt the totals once this is done.
      </p>
    </section>
  );
}
