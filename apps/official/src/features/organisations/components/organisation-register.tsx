import { ORGANISATION_KINDS, OrganisationStatus, type OrganisationKind, type OrganisationSummary } from '@townhall/protocol';
import {
  ConfirmPanel,
  formatDateTime,
  LoadingMessage,
  ORGANISATION_KIND_WORDS,
  ORGANISATION_STATUS_TAGS,
  ProblemBanner,
  ReceiptLink,
  SuccessBanner,
} from '@townhall/web-ui';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useChangeOrganisationStatus, useOrganisations } from '../api/organisations.ts';
import { filterOrganisations, publicPageHref, STATUS_ACTIONS, statusActionsFor, type RegisterFilter } from '../lib/register-words.ts';

/** The columns after the organisation's own (its row header). */
const COLUMNS = ['Members', 'Status', 'Registry record'] as const;

function ColumnLabel({ column }: { column: (typeof COLUMNS)[number] }) {
  return (
    <span className="th-stacked-table__label" aria-hidden="true">
      {column}
    </span>
  );
}

const BUTTON_MARGINS = 'govuk-!-margin-top-2 govuk-!-margin-bottom-0';
const actionButtonId = (organisationId: string, status: OrganisationStatus) => `${status}-${organisationId}`;

function Consequences({ organisation, status }: { organisation: OrganisationSummary; status: OrganisationStatus }) {
  const count = organisation.currentMembers;
  const members = count === 1 ? 'Its 1 member' : count === 0 ? 'Its members' : `Its ${count} members`;
  const recorded = (
    <p className="govuk-body">The change is recorded in the public registry log and on the organisation’s public page.</p>
  );
  if (status === 'active') {
    return (
      <>
        <p className="govuk-body">
          {members} get the organisation’s roles back at once: they can sign in to council services for it, and its administrators can
          invite members again.
        </p>
        {recorded}
      </>
    );
  }
  return (
    <>
      <p className="govuk-body">
        {members} lose the organisation’s role at once: they can no longer sign in to council services for it, manage its members or
        show a membership code for it. Its invitation links stop working.
      </p>
      {status === 'suspended' ? (
        <p className="govuk-body">Their memberships are kept: reinstating the organisation gives them back.</p>
      ) : (
        <p className="govuk-body">
          <strong>Closing is final.</strong> A closed organisation cannot be reinstated; if it trades again, register it again.
        </p>
      )}
      {recorded}
    </>
  );
}

/**
 * "Organisations": the council's register, searched by name or number and filtered by kind and
 * status; suspending, reinstating and closing, each after asking first; each organisation's
 * registry receipt and public page.
 */
export function OrganisationRegister() {
  const organisations = useOrganisations();
  const changeStatus = useChangeOrganisationStatus();
  const [filter, setFilter] = useState<RegisterFilter>({ text: '', kind: 'all', status: 'all' });
  const [asking, setAsking] = useState<{ organisation: OrganisationSummary; status: OrganisationStatus } | null>(null);
  const [changed, setChanged] = useState<{ name: string; status: OrganisationStatus } | null>(null);
  const [focusAfterCancel, setFocusAfterCancel] = useState<string | null>(null);
  useEffect(() => {
    if (focusAfterCancel) document.getElementById(focusAfterCancel)?.focus();
  }, [focusAfterCancel]);

  function ask(organisation: OrganisationSummary, status: OrganisationStatus) {
    setChanged(null);
    setFocusAfterCancel(null);
    changeStatus.reset();
    setAsking({ organisation, status });
  }

  function confirm() {
    if (!asking) return;
    const { organisation, status } = asking;
    setAsking(null);
    changeStatus.mutate(
      { organisationId: organisation.id, status },
      { onSuccess: () => setChanged({ name: organisation.legalName, status }) },
    );
  }

  const all = organisations.data?.organisations ?? [];
  const shown = filterOrganisations(all, filter);
  const title = 'Organisations';
  const failedName = changeStatus.isError
    ? (all.find((o) => o.id === changeStatus.variables.organisationId)?.legalName ?? 'the organisation')
    : null;
  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      {changed ? <SuccessBanner titleId="status-changed-title" heading={STATUS_ACTIONS[changed.status].done.replace('{name}', changed.name)} takesFocus /> : null}
      {changeStatus.isError ? (
        <ProblemBanner
          what=""
          headline={`Sorry, the status of ${failedName} could not be changed.`}
          error={changeStatus.error}
        />
      ) : null}
      <h1 className="govuk-heading-l">{title}</h1>
      <p className="govuk-body">
        The businesses, contractors, housing associations, councils and charities registered with the council, whose people sign in to
        council services for them. Each registration and each change of status is recorded in the public registry log.
      </p>
      <Link to="/organisations/new" className="govuk-button" draggable={false}>
        Register an organisation
      </Link>
      {asking ? (
        <ConfirmPanel
          key={`${asking.organisation.id}:${asking.status}`}
          question={STATUS_ACTIONS[asking.status].question.replace('{name}', asking.organisation.legalName)}
          consequences={<Consequences organisation={asking.organisation} status={asking.status} />}
          confirmLabel={STATUS_ACTIONS[asking.status].confirmLabel}
          isWarning={asking.status !== 'active'}
          onConfirm={confirm}
          onCancel={() => {
            setFocusAfterCancel(actionButtonId(asking.organisation.id, asking.status));
            setAsking(null);
          }}
        />
      ) : null}

      {organisations.isPending ? <LoadingMessage>Loading the organisations…</LoadingMessage> : null}
      {organisations.isError ? <ProblemBanner what="the organisations" error={organisations.error} /> : null}
      {organisations.data && all.length === 0 ? (
        <p className="govuk-body">No organisations are registered yet. Register one to let its people sign in for it.</p>
      ) : null}
      {all.length > 0 ? (
        <>
          <RegisterFilters filter={filter} onChange={setFilter} />
          <p className="govuk-body" role="status">
            {shown.length === all.length
              ? `${all.length} ${all.length === 1 ? 'organisation' : 'organisations'}`
              : `${shown.length} of ${all.length} organisations match`}
          </p>
          {shown.length === 0 ? (
            <p className="govuk-body">No organisations match. Try another name or number, or clear the filters.</p>
          ) : (
            // Explicit roles: on a phone the rows stack as blocks, and the table must stay a table to screen readers.
            <table className="govuk-table th-stacked-table" role="table">
              <caption className="govuk-table__caption govuk-visually-hidden">Registered organisations</caption>
              <thead className="govuk-table__head" role="rowgroup">
                <tr className="govuk-table__row" role="row">
                  {['Organisation', ...COLUMNS].map((column) => (
                    <th scope="col" className="govuk-table__header" role="columnheader" key={column}>
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="govuk-table__body" role="rowgroup">
                {shown.map((organisation) => (
                  <OrganisationRow
                    key={organisation.id}
                    organisation={organisation}
                    changingTo={
                      changeStatus.isPending && changeStatus.variables.organisationId === organisation.id
                        ? changeStatus.variables.status
                        : null
                    }
                    onChangeStatus={(status) => ask(organisation, status)}
                  />
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </>
  );
}

function RegisterFilters({ filter, onChange }: { filter: RegisterFilter; onChange: (filter: RegisterFilter) => void }) {
  return (
    <form className="th-register-filters" role="search" aria-label="Organisations" onSubmit={(event) => event.preventDefault()}>
      <div className="govuk-form-group th-register-filters__search">
        <label className="govuk-label govuk-label--s" htmlFor="organisation-search">
          Search by name or number
        </label>
        <input
          className="govuk-input"
          id="organisation-search"
          name="search"
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={filter.text}
          onChange={(event) => onChange({ ...filter, text: event.target.value })}
        />
      </div>
      <div className="govuk-form-group">
        <label className="govuk-label govuk-label--s" htmlFor="organisation-kind">
          Kind
        </label>
        <select
          className="govuk-select"
          id="organisation-kind"
          name="kind"
          value={filter.kind}
          onChange={(event) => onChange({ ...filter, kind: event.target.value as OrganisationKind | 'all' })}
        >
          <option value="all">All kinds</option>
          {ORGANISATION_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {ORGANISATION_KIND_WORDS[kind]}
            </option>
          ))}
        </select>
      </div>
      <div className="govuk-form-group">
        <label className="govuk-label govuk-label--s" htmlFor="organisation-status">
          Status
        </label>
        <select
          className="govuk-select"
          id="organisation-status"
          name="status"
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value as OrganisationStatus | 'all' })}
        >
          <option value="all">Any status</option>
          {OrganisationStatus.options.map((status) => (
            <option key={status} value={status}>
              {ORGANISATION_STATUS_TAGS[status].text}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

interface OrganisationRowProps {
  organisation: OrganisationSummary;
  changingTo: OrganisationStatus | null;
  onChangeStatus: (status: OrganisationStatus) => void;
}

function OrganisationRow({ organisation, changingTo, onChangeStatus }: OrganisationRowProps) {
  const tag = ORGANISATION_STATUS_TAGS[organisation.status];
  const actions = statusActionsFor(organisation.status);
  return (
    <tr className="govuk-table__row" role="row">
      <th scope="row" className="govuk-table__header" role="rowheader">
        {organisation.legalName}
        <span className="th-service-detail">{ORGANISATION_KIND_WORDS[organisation.kind]}</span>
        {organisation.companyNumber ? (
          <span className="th-service-detail">
            Companies House <span className="th-code">{organisation.companyNumber}</span>
          </span>
        ) : null}
        {organisation.charityNumber ? (
          <span className="th-service-detail">
            Charity <span className="th-code">{organisation.charityNumber}</span>
          </span>
        ) : null}
      </th>
      <td className="govuk-table__cell" role="cell">
        <ColumnLabel column="Members" />
        {organisation.currentMembers}
        {organisation.status === 'active' ? (
          <>
            <br />
            <Link className="govuk-link" to={`/organisations/${encodeURIComponent(organisation.id)}/invite`}>
              Invite an administrator
              <span className="govuk-visually-hidden"> of {organisation.legalName}</span>
            </Link>
          </>
        ) : null}
      </td>
      <td className="govuk-table__cell" role="cell">
        <ColumnLabel column="Status" />
        <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
        {actions.length === 0 ? <span className="th-service-detail">Closing is final</span> : null}
        {actions.map((status) => (
          <div key={status}>
            <button
              type="button"
              id={actionButtonId(organisation.id, status)}
              className={`govuk-button ${status === 'closed' ? 'govuk-button--warning' : 'govuk-button--secondary'} ${BUTTON_MARGINS}`}
              onClick={() => onChangeStatus(status)}
              disabled={changingTo !== null}
              aria-disabled={changingTo !== null}
            >
              {changingTo === status ? STATUS_ACTIONS[status].pendingLabel : STATUS_ACTIONS[status].label}
              <span className="govuk-visually-hidden"> {organisation.legalName}</span>
            </button>
          </div>
        ))}
      </td>
      <td className="govuk-table__cell" role="cell">
        <ColumnLabel column="Registry record" />
        Registered {formatDateTime(organisation.createdAt)}
        <br />
        <ReceiptLink
          apiBasePath={appConfig.apiBasePath}
          ledgerIndex={organisation.registeredIndex}
          context={`registration of ${organisation.legalName}`}
        />
        <br />
        <a className="govuk-link" href={publicPageHref(organisation.id)}>
          Public page and status history
          <span className="govuk-visually-hidden"> of {organisation.legalName}</span>
        </a>
      </td>
    </tr>
  );
}
