import type { CheckId, VerificationReport } from '@townhall/verifier';
import { BarChart, type Bar } from '@townhall/web-ui';
import { CHECK_EXPLANATIONS } from '../lib/check-explanations.ts';
import type { RecordFacts } from '../lib/record-facts.ts';

const STATUS = { pass: ['Passed', 'govuk-tag--green'], fail: ['Failed', 'govuk-tag--red'], skip: ['Not applicable', 'govuk-tag--grey'] } as const;

/** What the record is of, in words: the election's title, or the contract (a contract report names its contract, as the CLI's summary does). */
function subjectOf(report: VerificationReport, facts: RecordFacts | null): string {
  if (report.contractId !== undefined) return `Contract ${report.contractId ?? '(unknown)'}`;
  return facts?.title ?? 'This election';
}

/** The verdict, in words first. */
export function VerdictSummary({ report, facts, seconds }: { report: VerificationReport; facts: RecordFacts | null; seconds: number | null }) {
  const skipped = report.checks.filter((c) => c.status === 'skip');
  const title = subjectOf(report, facts);
  const example = report.contractId !== undefined ? 'no payment run yet' : 'no result before the count';
  // A warning (a demonstration election, for example) keeps a valid record's banner from looking like an all-clear.
  const warned = report.warnings.length > 0;
  if (!report.isValid) return <FailedVerdict report={report} title={title} seconds={seconds} />;
  return (
    <div className={`govuk-notification-banner${warned ? '' : ' govuk-notification-banner--success'}`} role="region" aria-labelledby="verdict-title" data-testid="verdict">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="verdict-title">
          {warned ? 'Verified, with a warning' : 'Verified'}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <VerdictWarnings warnings={report.warnings} />
        <p className="govuk-notification-banner__heading">{`${title}: every check that applies passed.`}</p>
        <p className="govuk-body">
          {report.entries.toLocaleString('en-GB')} ledger entries checked in this browser
          {seconds !== null ? ` in ${seconds.toFixed(1)} seconds` : ''}.
          {skipped.length > 0 ? ` ${skipped.length} check${skipped.length === 1 ? ' does' : 's do'} not apply yet (for example, ${example}).` : ''}
        </p>
      </div>
    </div>
  );
}

/**
 * A record that failed verification looks like a failure: GOV.UK's error colours (the error summary's
 * red border and red links), the verdict first, then each failed check linked to its explanation
 * below, then any warning.
 */
function FailedVerdict({ report, title, seconds }: { report: VerificationReport; title: string; seconds: number | null }) {
  const failed = report.checks.filter((c) => c.status === 'fail');
  return (
    <div className="govuk-error-summary" role="region" aria-labelledby="verdict-title" data-testid="verdict" data-verdict="failed">
      <h2 className="govuk-error-summary__title" id="verdict-title">
        Not verified
      </h2>
      <div className="govuk-error-summary__body">
        <p className="govuk-body govuk-!-font-weight-bold" data-testid="verdict-text">
          {`${title}: ${failed.length} check${failed.length === 1 ? '' : 's'} failed. Do not rely on this record until the council explains why.`}
        </p>
        <ul className="govuk-list govuk-error-summary__list">
          {failed.map((check) => (
            <li key={check.id}>
              <a href={`#failed-${check.id.replace(/\./g, '-')}`}>{CHECK_EXPLANATIONS[check.id].name}: failed</a>
            </li>
          ))}
        </ul>
        <VerdictWarnings warnings={report.warnings} />
        <p className="govuk-body govuk-!-margin-bottom-0">
          {report.entries.toLocaleString('en-GB')} ledger entries checked in this browser
          {seconds !== null ? ` in ${seconds.toFixed(1)} seconds` : ''}.
        </p>
      </div>
    </div>
  );
}

function optionLabel(facts: RecordFacts | null, contestId: string, optionId: string): string {
  return facts?.contests.find((c) => c.id === contestId)?.options.find((o) => o.id === optionId)?.label ?? optionId;
}

/** The result recomputed by the verifier, per contest: a chart and the same numbers as a table. */
export function ResultCharts({ report, facts }: { report: VerificationReport; facts: RecordFacts | null }) {
  if (!report.result) {
    return (
      <p className="govuk-body" data-testid="no-result">
        There is no result in this record yet: the votes are counted after the election closes.
      </p>
    );
  }
  return (
    <>
      {!report.isValid ? <p className="govuk-body govuk-!-font-weight-bold">These counts come from a record that failed verification.</p> : null}
      {report.result.map((contest) => {
        const title = facts?.contests.find((c) => c.id === contest.contestId)?.title ?? contest.contestId;
        const total = contest.counts.reduce((sum, c) => sum + c.count, 0);
        const bars: Bar[] = contest.counts.map((c) => ({ label: optionLabel(facts, contest.contestId, c.optionId), value: c.count }));
        return (
          <figure className="th-figure" key={contest.contestId} data-contest={contest.contestId}>
            <h3 className="govuk-heading-m">{title}</h3>
            <BarChart bars={bars} />
            <table className="govuk-table">
              <caption className="govuk-visually-hidden">{title}: votes per option</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Option
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
                    <td className="govuk-table__cell govuk-table__cell--numeric">{bar.value.toLocaleString('en-GB')}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{total > 0 ? `${((100 * bar.value) / total).toFixed(1)}%` : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        );
      })}
    </>
  );
}

/** Electors, credentials, voters and counted ballots side by side: each stage can only shrink. */
export function TurnoutChart({ facts }: { facts: RecordFacts }) {
  const rows: (Bar & { note: string })[] = [];
  if (facts.eligibleElectors !== null) rows.push({ label: 'Eligible electors', value: facts.eligibleElectors, note: 'In the districts that may vote, from the committed electoral roll' });
  rows.push({ label: 'Voting credentials issued', value: facts.credentialsIssued, note: 'One per elector who asked to vote' });
  rows.push({ label: 'Voters who cast a ballot', value: facts.voters, note: 'Distinct ballot keys' });
  if (facts.countedBallots !== null) rows.push({ label: 'Ballots counted', value: facts.countedBallots, note: 'Each voter’s last ballot before the close' });
  rows.push({ label: 'Ballots cast, including re-votes', value: facts.ballotsCast, note: 'A later ballot replaces an earlier one' });
  rows.push({ label: 'Ballots audited (spoiled)', value: facts.spoiledBallots, note: 'Checked by voters and never counted' });
  return (
    <figure className="th-figure" data-testid="turnout">
      <BarChart bars={rows} />
      <table className="govuk-table">
        <caption className="govuk-visually-hidden">Electors, credentials and ballots</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Stage
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Number
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {rows.map((row) => (
            <tr className="govuk-table__row" key={row.label}>
              <th scope="row" className="govuk-table__header">
                {row.label}
                <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0 govuk-!-font-size-16">{row.note}</span>
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{row.value.toLocaleString('en-GB')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Every check with its status and count. */
export function ChecksTable({ report }: { report: VerificationReport }) {
  return (
    <table className="govuk-table" data-testid="checks-table">
      <caption className="govuk-visually-hidden">Every check, its result and how many items it examined</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Check
          </th>
          <th scope="col" className="govuk-table__header">
            Result
          </th>
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">
            Items
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {report.checks.map((check) => {
          const [text, tag] = STATUS[check.status];
          return (
            <tr className="govuk-table__row" key={check.id} data-check={check.id}>
              <th scope="row" className="govuk-table__header">
                {CHECK_EXPLANATIONS[check.id].name}
                <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0 govuk-!-font-size-16">
                  <span className="th-code">{check.id}</span>: {check.title}
                  {check.note && check.status !== 'fail' ? `. ${check.note}` : ''}
                </span>
              </th>
              <td className="govuk-table__cell">
                <strong className={`govuk-tag ${tag}`}>{text}</strong>
              </td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{check.checked.toLocaleString('en-GB')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Each failed check: what it means in plain English, each failure, and its evidence on demand. */
export function FailureExplanations({ report }: { report: VerificationReport }) {
  const failed = report.checks.filter((c) => c.status === 'fail');
  if (failed.length === 0) return null;
  return (
    <section aria-labelledby="failures-heading" data-testid="failures">
      <h2 className="govuk-heading-l" id="failures-heading">
        What failed, and what it means
      </h2>
      {failed.map((check) => (
        <div key={check.id} data-failed-check={check.id}>
          <h3 className="govuk-heading-m" id={`failed-${check.id.replace(/\./g, '-')}`} tabIndex={-1}>
            {CHECK_EXPLANATIONS[check.id as CheckId].name}
          </h3>
          <p className="govuk-body">{CHECK_EXPLANATIONS[check.id as CheckId].whenFailed}</p>
          <ul className="govuk-list govuk-list--bullet th-failure-list">
            {check.failures.map((failure, i) => (
              <li key={i}>
                {failure.message}
                {failure.evidence ? (
                  <details className="govuk-details govuk-!-margin-top-2 govuk-!-margin-bottom-2">
                    <summary className="govuk-details__summary">
                      <span className="govuk-details__summary-text">Show the evidence</span>
                    </summary>
                    <div className="govuk-details__text">
                      <pre className="th-pre">{JSON.stringify(failure.evidence, null, 2)}</pre>
                    </div>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** The report as the CLI's `--json` prints it, offered as a file. */
export function reportFileText(report: VerificationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The report's warnings (e.g. a waived trustee minimum), shown with the verdict whatever it is. */
function VerdictWarnings({ warnings }: { warnings: readonly { code: string; message: string }[] }) {
  return warnings.map((warning) => (
    <div className="govuk-warning-text" key={warning.code} data-testid="verdict-warning">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">Warning: </span>
        {warning.message}
      </strong>
    </div>
  ));
}
