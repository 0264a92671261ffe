import type { Repair } from '@townhall/protocol';
import { ApiError, formatDateTime, LoadingMessage, orderReference, ProblemBanner } from '@townhall/web-ui';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useRepair, useRepairAssociations, useRepairs } from '../api/repairs.ts';
import { PRIORITY_WORDS, STATE_WORDS, stepWords } from '../lib/repair-words.ts';

function StateTag({ repair }: { repair: Repair }) {
  const words = STATE_WORDS[repair.state];
  return <strong className={`govuk-tag govuk-tag--${words.colour}`}>{words.tag}</strong>;
}

/** The date the contract sets for the work, once the association has decided how urgent it is. */
function deadlineWords(repair: Repair): string {
  if (repair.dueAt) return `By ${formatDateTime(repair.dueAt)}`;
  return 'Set when your housing association has read your report';
}

function ReportRepairButton() {
  return (
    <Link to="/repairs/report" role="button" draggable="false" className="govuk-button">
      Report a repair
    </Link>
  );
}

/** "Your repairs": each repair the resident reported, newest first, with its state and deadline. */
export function YourRepairs() {
  const repairs = useRepairs();
  const associations = useRepairAssociations();
  const canReport = (associations.data?.associations.length ?? 0) > 0;
  const newestFirst = [...(repairs.data?.repairs ?? [])].reverse();
  return (
    <>
      <title>{`Your repairs – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Your repairs</h1>
      {repairs.isPending ? <LoadingMessage>Loading your repairs…</LoadingMessage> : null}
      {repairs.isError ? <ProblemBanner what="your repairs" error={repairs.error} /> : null}
      {repairs.isSuccess && newestFirst.length === 0 ? (
        <p className="govuk-body">{canReport ? 'You have not reported a repair here yet.' : 'You have not reported a repair here.'}</p>
      ) : null}
      {canReport ? <ReportRepairButton /> : null}
      {associations.isSuccess && !canReport ? (
        <p className="govuk-body">
          To report a repair here, your housing association must first invite you:{' '}
          <Link to="/repairs/report" className="govuk-link">
            how to report a repair
          </Link>
          .
        </p>
      ) : null}
      {newestFirst.length > 0 ? (
        <table className="govuk-table th-stacked-table" role="table">
          <caption className="govuk-table__caption govuk-visually-hidden">Your repairs</caption>
          <thead className="govuk-table__head" role="rowgroup">
            <tr className="govuk-table__row" role="row">
              <th scope="col" className="govuk-table__header" role="columnheader">Repair</th>
              <th scope="col" className="govuk-table__header" role="columnheader">Reported</th>
              <th scope="col" className="govuk-table__header" role="columnheader">Status</th>
              <th scope="col" className="govuk-table__header" role="columnheader">Deadline</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body" role="rowgroup">
            {newestFirst.map((repair) => (
              <tr className="govuk-table__row" key={repair.orderId} role="row">
                <th scope="row" className="govuk-table__header" role="rowheader">
                  <Link to={`/repairs/${repair.orderId}`} className="govuk-link">
                    {repair.location}: {repair.description.length > 60 ? `${repair.description.slice(0, 57)}…` : repair.description}
                  </Link>
                  <span className="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                    Reference <span className="th-code">{orderReference(repair.orderId)}</span>
                  </span>
                </th>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">Reported</span>
                  {repair.history[0] ? formatDateTime(repair.history[0].at) : ''}
                </td>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">Status</span>
                  <StateTag repair={repair} />
                </td>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">Deadline</span>
                  {deadlineWords(repair)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** One repair: its state in words, deadline, appointment and history, each step with its ledger entry. */
export function RepairDetail({ orderId }: { orderId: string }) {
  const repair = useRepair(orderId);
  if (repair.isPending) return <LoadingMessage>Loading your repair…</LoadingMessage>;
  if (repair.isError) {
    if (repair.error instanceof ApiError && repair.error.code === 'NOT_FOUND') {
      return (
        <>
          <title>{`Repair not found – ${appConfig.serviceName}`}</title>
          <h1 className="govuk-heading-l">Repair not found</h1>
          <p className="govuk-body">You have not reported a repair with this web address. Check it is correct, or find the repair in your repairs.</p>
          <p className="govuk-body">
            <Link to="/repairs" className="govuk-link">
              Your repairs
            </Link>
          </p>
        </>
      );
    }
    return (
      <>
        <h1 className="govuk-heading-l">Your repair</h1>
        <ProblemBanner what="your repair" error={repair.error} />
      </>
    );
  }
  const r = repair.data;
  const state = STATE_WORDS[r.state];
  return (
    <>
      <title>{`Repair ${orderReference(r.orderId)} – ${appConfig.serviceName}`}</title>
      <span className="govuk-caption-l">Repair {orderReference(r.orderId)}</span>
      <h1 className="govuk-heading-l">Your repair</h1>
      <dl className="govuk-summary-list">
        <Row label="Status">
          <StateTag repair={r} />
          <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">{state.meaning}</p>
        </Row>
        <Row label="What is wrong">{r.description}</Row>
        <Row label="Where in your home">{r.location}</Row>
        <Row label="How urgent">
          {r.priority ? PRIORITY_WORDS[r.priority].label : `${PRIORITY_WORDS[r.reportedPriority].label} (what you said; your housing association will decide)`}
        </Row>
        <Row label="Deadline">{deadlineWords(r)}</Row>
        {r.appointment ? (
          <Row label="Visit">
            {formatDateTime(r.appointment.start)} to {formatDateTime(r.appointment.end)}
          </Row>
        ) : null}
        {r.rejection ? <Row label="Why it is being redone">{r.rejection.detail || r.rejection.reason}</Row> : null}
        <Row label="Damp or mould">{r.hazards.dampOrMould ? 'Yes' : 'No'}</Row>
        <Row label="Health or safety at risk">{r.hazards.immediateRisk ? 'Yes' : 'No'}</Row>
      </dl>
      <h2 className="govuk-heading-m">What has happened</h2>
      <p className="govuk-body">
        Each step is an entry in the repairs contract’s public record. The record does not name you or your address; its receipt
        proves the entry is there and cannot be changed.
      </p>
      <ol className="govuk-list">
        {r.history.map((step) => (
          <li key={step.ledgerIndex} className="govuk-!-margin-bottom-4">
            <strong>{stepWords(step.type)}</strong>
            <br />
            {formatDateTime(step.at)}
            <br />
            <a
              className="govuk-link govuk-body-s"
              href={`${appConfig.apiBasePath}/ledger/${encodeURIComponent(r.log)}/receipt/${encodeURIComponent(step.ledgerIndex)}`}
              download={`townhall-${r.log}-receipt-${step.ledgerIndex}.txt`}
            >
              Receipt for entry {step.ledgerIndex}
              <span className="govuk-visually-hidden"> ({stepWords(step.type).toLowerCase()})</span>
            </a>
          </li>
        ))}
      </ol>
      <p className="govuk-body">
        <Link to="/repairs" className="govuk-link">
          Back to your repairs
        </Link>
      </p>
    </>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}
