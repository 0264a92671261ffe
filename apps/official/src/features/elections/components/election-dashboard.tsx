import type { ElectionDashboard as Dashboard } from '@townhall/protocol';
import { readCheckpointNote } from '../lib/checkpoint-note.ts';

const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);

/** Turnout, ballots and the ledger, as last polled. */
export function ElectionDashboard({ dashboard, updatedAt }: { dashboard: Dashboard; updatedAt: number }) {
  const checkpoint = dashboard.ledger.latestPublishedCheckpoint ? readCheckpointNote(dashboard.ledger.latestPublishedCheckpoint) : null;
  const [logKey, ...witnesses] = checkpoint?.signers ?? [];
  const totals = dashboard.turnoutByDistrict.reduce((t, d) => ({ electors: t.electors + d.electors, credentials: t.credentials + d.credentials }), { electors: 0, credentials: 0 });
  return (
    <section aria-labelledby="dashboard-heading" data-testid="dashboard">
      <h2 className="govuk-heading-m" id="dashboard-heading">
        Live figures
      </h2>
      <p className="govuk-body-s govuk-hint">Updated every few seconds; last at {new Date(updatedAt).toLocaleTimeString('en-GB')}.</p>
      <dl className="govuk-summary-list">
        {[
          ['Ballots cast', dashboard.ballotsCast, 'ballots-cast'],
          ['Voters who cast a ballot', dashboard.distinctVoters, 'distinct-voters'],
          ['Voting credentials issued', dashboard.credentialsIssued, 'credentials-issued'],
          ['Ballots spoiled to check their encryption', dashboard.spoiledBallots, 'spoiled-ballots'],
          ['Ledger entries', dashboard.ledger.size, 'ledger-size'],
        ].map(([label, value, id]) => (
          <div className="govuk-summary-list__row" key={id}>
            <dt className="govuk-summary-list__key">{label}</dt>
            <dd className="govuk-summary-list__value" data-testid={id as string}>
              {value}
            </dd>
          </div>
        ))}
      </dl>

      <div className="th-table-scroll" role="region" tabIndex={0} aria-label="Turnout by district (scrolls sideways)">
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">Turnout by district (electors who took a voting credential)</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">District</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Electors</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Credentials</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Turnout</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {[...dashboard.turnoutByDistrict, { district: 'All', ...totals }].map((d) => (
              <tr className="govuk-table__row" key={d.district} data-testid={`turnout-${d.district}`}>
                <th scope="row" className="govuk-table__header">{d.district}</th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{d.electors}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{d.credentials}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{percent(d.credentials, d.electors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 className="govuk-heading-s">Latest published checkpoint</h3>
      {checkpoint ? (
        <dl className="govuk-summary-list" data-testid="checkpoint">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Tree size</dt>
            <dd className="govuk-summary-list__value">{checkpoint.size}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Root hash</dt>
            <dd className="govuk-summary-list__value th-code">{checkpoint.rootHash}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Signed by the log</dt>
            <dd className="govuk-summary-list__value th-code">{logKey}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Cosigned by witnesses</dt>
            <dd className="govuk-summary-list__value" data-testid="witnesses">
              {witnesses.length === 0 ? (
                'No witness has cosigned it yet'
              ) : (
                <ul className="govuk-list">
                  {witnesses.map((w) => (
                    <li key={w} className="th-code">
                      {w}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      ) : (
        <p className="govuk-body">No checkpoint of this election’s ledger has been published yet.</p>
      )}
    </section>
  );
}
