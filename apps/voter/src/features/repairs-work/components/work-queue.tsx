import type { Repair } from '@townhall/protocol';
import { ApiError, formatDateTime, LoadingMessage, orderReference, ProblemBanner } from '@townhall/web-ui';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useContracts, useWorkList, type WorkSide } from '../api/repairs-work.ts';
import { nextForSide, PRIORITY_LABELS, WORK_STATE_TAGS } from '../lib/work-words.ts';
import { contractPath } from './contract-page.tsx';

export interface WorkOrganisation {
  id: string;
  name: string;
  side: WorkSide;
}

export const workItemPath = (organisationId: string, orderId: string) =>
  `/account/organisations/${encodeURIComponent(organisationId)}/work/${encodeURIComponent(orderId)}`;

/** Soonest deadline first; orders without one (not triaged yet) first of all, oldest report first. */
function byUrgency(a: Repair, b: Repair): number {
  if (a.dueAt === b.dueAt) return (a.history[0]?.at ?? '').localeCompare(b.history[0]?.at ?? '');
  if (a.dueAt === null) return -1;
  if (b.dueAt === null) return 1;
  return a.dueAt.localeCompare(b.dueAt);
}

/**
 * `/account/organisations/:organisationId/work`: an association's repairs queue or a contractor's
 * work orders. What waits on this organisation comes first, soonest deadline first; then what waits on
 * the other party; then what is finished.
 */
export function WorkQueue({ organisation, canRunPayments, isAdministrator = false }: { organisation: WorkOrganisation; canRunPayments: boolean; isAdministrator?: boolean }) {
  const list = useWorkList(organisation.id, organisation.side);
  const contracts = useContracts(organisation.id);
  const isAssociation = organisation.side === 'association';
  const title = isAssociation ? `Repairs for ${organisation.name}` : `Work orders for ${organisation.name}`;
  const repairs = [...(list.data?.repairs ?? [])].sort(byUrgency);
  const waitingOnUs = repairs.filter((r) => nextForSide(r, organisation.side) !== null);
  const waitingOnThem = repairs.filter((r) => nextForSide(r, organisation.side) === null && r.state !== 'confirmed');
  const finished = repairs.filter((r) => nextForSide(r, organisation.side) === null && r.state === 'confirmed');
  const isRefused = list.error instanceof ApiError && ['FORBIDDEN', 'ORGANISATION_NOT_ACTIVE'].includes(list.error.code);

  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <Link to="/account" className="govuk-back-link">
        Back to your account
      </Link>
      <h1 className="govuk-heading-l">{title}</h1>
      <p className="govuk-body">
        {isAssociation
          ? 'Repairs your tenants reported under your repairs contracts. Triage each one to send it to the contractor with its deadline; check and confirm the work when it is done, which prices the job.'
          : 'Jobs your clients’ housing associations sent you under your repairs contracts, each with the deadline the contract gives. Accept each, book a visit with the tenant, and complete it.'}{' '}
        Every step is recorded in the contract’s ledger, which every party can check.
      </p>
      {contracts.data && contracts.data.contracts.length > 0 ? (
        <>
          <h2 className="govuk-heading-s govuk-!-margin-bottom-1">{contracts.data.contracts.length === 1 ? 'Contract' : 'Contracts'}</h2>
          <ul className="govuk-list">
            {contracts.data.contracts.map((contract) => (
              <li key={contract.contractId}>
                <Link className="govuk-link" to={contractPath(organisation.id, contract.contractId)}>
                  {contract.title}
                </Link>
                : terms, performance and approvals
              </li>
            ))}
            {isAssociation && canRunPayments ? (
              <li>
                <Link className="govuk-link" to={`/account/organisations/${encodeURIComponent(organisation.id)}/payment-runs`}>
                  Payment runs
                </Link>
              </li>
            ) : null}
            {!isAssociation && isAdministrator ? (
              <li>
                <Link className="govuk-link" to={`/account/organisations/${encodeURIComponent(organisation.id)}/webhook`}>
                  Webhook
                </Link>
                : send new work orders to your own system
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
      {list.isPending ? <LoadingMessage>Loading the {isAssociation ? 'repairs' : 'work orders'}…</LoadingMessage> : null}
      {isRefused ? (
        <p className="govuk-body">
          {(list.error as ApiError).code === 'ORGANISATION_NOT_ACTIVE'
            ? `${organisation.name} is not active, so nobody can act for it until the council reinstates it.`
            : `Only ${organisation.name}’s administrators and repairs staff can see its ${isAssociation ? 'repairs' : 'work orders'}.`}
        </p>
      ) : list.isError ? (
        <ProblemBanner what={isAssociation ? 'the repairs' : 'the work orders'} error={list.error} />
      ) : null}
      {list.isSuccess && repairs.length === 0 ? (
        <p className="govuk-body">
          {isAssociation ? 'No repairs have been reported yet.' : 'No work orders yet: jobs appear here as soon as an association triages them.'}
        </p>
      ) : null}
      {list.isSuccess && repairs.length > 0 ? (
        <>
          <WorkTable id="waiting-on-us" caption={`Waiting for you (${waitingOnUs.length})`} repairs={waitingOnUs} organisation={organisation} showNext />
          <WorkTable
            id="waiting-on-them"
            caption={`Waiting for ${isAssociation ? 'the contractor' : 'the association'} (${waitingOnThem.length})`}
            repairs={waitingOnThem}
            organisation={organisation}
          />
          <WorkTable id="finished" caption={`Confirmed (${finished.length})`} repairs={finished} organisation={organisation} />
        </>
      ) : null}
    </>
  );
}

interface WorkTableProps {
  id: string;
  caption: string;
  repairs: Repair[];
  organisation: WorkOrganisation;
  showNext?: boolean;
}

function WorkTable({ id, caption, repairs, organisation, showNext = false }: WorkTableProps) {
  if (repairs.length === 0) return null;
  const lastColumn = showNext ? 'Next' : 'State';
  // On a phone each row is stacked, every value under its column's name (th-stacked-table); the
  // explicit roles keep it a table for screen readers when its display changes.
  return (
    <table className="govuk-table th-stacked-table" role="table" id={id}>
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head" role="rowgroup">
        <tr className="govuk-table__row" role="row">
          <th scope="col" className="govuk-table__header" role="columnheader">
            Reference
          </th>
          <th scope="col" className="govuk-table__header" role="columnheader">
            Repair
          </th>
          <th scope="col" className="govuk-table__header" role="columnheader">
            Due by
          </th>
          <th scope="col" className="govuk-table__header" role="columnheader">
            {lastColumn}
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body" role="rowgroup">
        {repairs.map((repair) => {
          const tag = WORK_STATE_TAGS[repair.state];
          const priority = repair.priority ?? repair.reportedPriority;
          return (
            <tr className="govuk-table__row" key={repair.orderId} role="row">
              <th scope="row" className="govuk-table__header" role="rowheader">
                <Link className="govuk-link" to={workItemPath(organisation.id, repair.orderId)}>
                  <span className="govuk-visually-hidden">Repair </span>
                  {orderReference(repair.orderId)}
                </Link>
              </th>
              <td className="govuk-table__cell" role="cell">
                <span className="th-stacked-table__label" aria-hidden="true">
                  Repair
                </span>
                {repair.description}
                <span className="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                  {repair.location} · {PRIORITY_LABELS[priority]}
                  {repair.priority === null ? ' (as reported)' : ''}
                </span>
              </td>
              <td className="govuk-table__cell" role="cell">
                <span className="th-stacked-table__label" aria-hidden="true">
                  Due by
                </span>
                {repair.dueAt ? formatDateTime(repair.dueAt) : 'Not set yet'}
              </td>
              <td className="govuk-table__cell" role="cell">
                <span className="th-stacked-table__label" aria-hidden="true">
                  {lastColumn}
                </span>
                {showNext ? (
                  <strong>{nextForSide(repair, organisation.side)}</strong>
                ) : (
                  <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
