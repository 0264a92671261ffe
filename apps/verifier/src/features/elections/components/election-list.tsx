import type { ElectionListResponse, ElectionStatus } from '@townhall/protocol';
import { formatDateTime } from '@townhall/web-ui';

const STATUS_TEXT: Record<ElectionStatus, [string, string]> = {
  draft: ['Draft', 'govuk-tag--grey'],
  'key-ceremony': ['Key ceremony', 'govuk-tag--purple'],
  halted: ['Halted', 'govuk-tag--red'],
  ready: ['Ready to open', 'govuk-tag--blue'],
  open: ['Open for voting', 'govuk-tag--green'],
  closed: ['Closed, not yet counted', 'govuk-tag--yellow'],
  tallied: ['Counted', 'govuk-tag--turquoise'],
  published: ['Result published', 'govuk-tag--turquoise'],
};

/** When voting ran: to the actual close once closed (an official may close early), else to the scheduled close. */
function votingTimes(election: ElectionListResponse['elections'][number]): string {
  if (election.closedAt === null) return `Voting ${formatDateTime(election.opensAt)} to ${formatDateTime(election.closesAt)}.`;
  const isEarly = Date.parse(election.closedAt) < Date.parse(election.closesAt);
  return `Voting ${formatDateTime(election.opensAt)} to ${formatDateTime(election.closedAt)}${isEarly ? `, when it was closed early (it was due to close ${formatDateTime(election.closesAt)})` : ''}.`;
}

interface ElectionListProps {
  elections: ElectionListResponse['elections'];
  recordHref: (electionId: string) => string;
  onVerify: (election: ElectionListResponse['elections'][number]) => void;
  isStarting: boolean;
}

/** The server's elections, each with its status, a button to verify its record here, and the file to download. */
export function ElectionList({ elections, recordHref, onVerify, isStarting }: ElectionListProps) {
  if (elections.length === 0) {
    return <div className="govuk-inset-text">There are no election records to check yet. They appear here once an election’s definition is final.</div>;
  }
  return (
    <ul className="govuk-list th-election-list" data-testid="elections">
      {elections.map((election) => (
        <li className="govuk-summary-card" key={election.id} data-election={election.id}>
          <div className="govuk-summary-card__title-wrapper">
            <h3 className="govuk-summary-card__title">{election.title}</h3>
          </div>
          <div className="govuk-summary-card__content">
            <p className="govuk-body govuk-!-margin-bottom-2">
              <strong className={`govuk-tag ${STATUS_TEXT[election.status][1]}`}>{STATUS_TEXT[election.status][0]}</strong>
            </p>
            <p className="govuk-body govuk-!-font-size-16" data-testid="voting-times">
              {votingTimes(election)}
              {election.status === 'open' ? ' While voting is open the record is partial: it holds the ballots cast so far.' : ''}
            </p>
            <div className="govuk-button-group">
              <button type="button" className="govuk-button govuk-!-margin-bottom-0" disabled={isStarting} onClick={() => onVerify(election)}>
                Verify<span className="govuk-visually-hidden"> {election.title}</span>
              </button>
              <a className="govuk-link" href={recordHref(election.id)} download={`election-${election.id}.record.jsonl`}>
                Download the record<span className="govuk-visually-hidden"> of {election.title}</span>
              </a>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
