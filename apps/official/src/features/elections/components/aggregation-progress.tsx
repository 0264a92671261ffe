/**
 * The tally's aggregation while it runs in the background: how many counted ballots are added up so
 * far. The bar and the words always say the same: both from one clamped count, and an election with
 * no counted ballot shows a full bar and says there is nothing to add up.
 */
export function AggregationProgress({ summed, total }: { summed: number; total: number }) {
  const count = (n: number) => n.toLocaleString('en-GB');
  const done = Math.min(Math.max(0, summed), total);
  return (
    <section aria-labelledby="aggregation-heading">
      <h2 className="govuk-heading-m" id="aggregation-heading">
        Adding up the encrypted ballots
      </h2>
      <progress
        className="th-progress"
        id="aggregation-progress"
        max={total === 0 ? 1 : total}
        value={total === 0 ? 1 : done}
        aria-describedby="aggregation-progress-text"
      />
      <p className="govuk-body" id="aggregation-progress-text" aria-live="polite" data-testid="aggregation-progress">
        {total === 0
          ? 'No ballot was counted, so there is nothing to add up. The trustees can decrypt the (empty) totals now.'
          : `${count(done)} of ${count(total)} counted ${total === 1 ? 'ballot' : 'ballots'} added up (${Math.floor((100 * done) / total)}%). The trustees can decrypt the totals once this is done.`}
      </p>
    </section>
  );
}
