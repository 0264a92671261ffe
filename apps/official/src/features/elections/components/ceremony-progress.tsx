import type { CeremonyState } from '@townhall/protocol';

const tag = (text: string, colour: 'green' | 'grey' | 'red' | 'blue') => <strong className={`govuk-tag govuk-tag--${colour}`}>{text}</strong>;

/** Who has committed, sent shares and accepted: the same public view for officials and trustees. */
export function CeremonyProgress({ state }: { state: CeremonyState }) {
  const complaints = state.trustees.filter((t) => t.verdict === 'complained');
  return (
    <>
      {state.status === 'halted' || complaints.length > 0 ? (
        <div className="govuk-error-summary" role="alert" data-testid="ceremony-complaint">
          <h2 className="govuk-error-summary__title">The key ceremony has stopped</h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">
              {state.haltedReason ?? `${complaints.map((t) => t.displayName).join(', ')} complained about a share they were sent.`}
            </p>
            <p className="govuk-body govuk-!-margin-bottom-0">
              No election key was made. The election cannot open; define a new election and choose the trustees again.
            </p>
          </div>
        </div>
      ) : null}
      <div className="th-table-scroll" tabIndex={0} role="region" aria-label="Key ceremony progress">
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">
            Key ceremony: {state.threshold} of {state.trustees.length} trustees needed to decrypt
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Trustee</th>
              <th scope="col" className="govuk-table__header">Commitment</th>
              <th scope="col" className="govuk-table__header">Shares</th>
              <th scope="col" className="govuk-table__header">Shares received</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {state.trustees.map((t) => (
              <tr className="govuk-table__row" key={t.index} data-testid={`trustee-${t.index}`}>
                <th scope="row" className="govuk-table__header">
                  {t.index}. {t.displayName}
                  {state.yourIndex === t.index ? ' (you)' : ''}
                </th>
                <td className="govuk-table__cell">{t.commitment ? tag('Published', 'green') : tag('Waiting', 'grey')}</td>
                <td className="govuk-table__cell">{t.sharesSent ? tag('Sent', 'green') : tag('Waiting', 'grey')}</td>
                <td className="govuk-table__cell">
                  {t.verdict === 'accepted' ? tag('Accepted', 'green') : t.verdict === 'complained' ? tag('Complained', 'red') : tag('Waiting', 'grey')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {state.electionKey ? (
        <p className="govuk-body">
          Election key: <code className="th-code">{state.electionKey}</code>
        </p>
      ) : null}
    </>
  );
}
