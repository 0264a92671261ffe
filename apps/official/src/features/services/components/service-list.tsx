import type { ServiceStatus, ServiceSummary } from '@townhall/protocol';
import { ConfirmPanel, formatDateTime, LoadingMessage, ProblemBanner, SuccessBanner } from '@townhall/web-ui';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { registryReceiptUrl, useChangeServiceStatus, useServices } from '../api/services.ts';
import type { ServiceDeletedState } from './delete-service.tsx';
import { assuranceWords, CLAIM_WORDS, CLAIMS_IN_ORDER, serviceTypeWords } from '../lib/service-words.ts';

const STATUS_TAGS: Record<ServiceStatus, { text: string; colour: string }> = {
  active: { text: 'Active', colour: 'green' },
  suspended: { text: 'Suspended', colour: 'red' },
};

interface StatusAction {
  label: string;
  pendingLabel: string;
  question: string;
  confirmLabel: string;
  isWarning: boolean;
  done: string;
}

/** What each action does and how it asks first, by the status it gives the service. */
const ACTIONS: Record<ServiceStatus, StatusAction> = {
  suspended: {
    label: 'Suspend',
    pendingLabel: 'Suspending…',
    question: 'Suspend {name}?',
    confirmLabel: 'Yes, suspend it',
    isWarning: true,
    done: '{name} is suspended. It cannot sign anyone in until it is reinstated.',
  },
  active: {
    label: 'Reinstate',
    pendingLabel: 'Reinstating…',
    question: 'Reinstate {name}?',
    confirmLabel: 'Yes, reinstate it',
    isWarning: false,
    done: '{name} is reinstated. It can sign people in again.',
  },
};

/** The columns after the service's own (its row header). */
const COLUMNS = ['May ask for', 'Minimum level of assurance', 'Status', 'Registry record'] as const;

/** A cell's column name, shown above its value when the rows stack on a phone (screen readers read the header). */
function ColumnLabel({ column }: { column: (typeof COLUMNS)[number] }) {
  return (
    <span className="th-stacked-table__label" aria-hidden="true">
      {column}
    </span>
  );
}

const withName = (text: string, name: string) => text.replace('{name}', name);
const actionButtonId = (clientId: string) => `change-status-${clientId}`;
/** The status an action on the service would give it. */
const otherStatus = (status: ServiceStatus): ServiceStatus => (status === 'active' ? 'suspended' : 'active');

function Consequences({ service, status }: { service: ServiceSummary; status: ServiceStatus }) {
  return status === 'suspended' ? (
    <>
      <p className="govuk-body">
        While it is suspended, {service.name} cannot sign anyone in with Townhall ID. What it is registered for stays as it is, and
        you can reinstate it later.
      </p>
      <p className="govuk-body">The change is recorded in the public registry log, where anyone can see it.</p>
    </>
  ) : (
    <>
      <p className="govuk-body">
        {service.name} can sign people in with Townhall ID again, and ask for what it was registered for.
      </p>
      <p className="govuk-body">The change is recorded in the public registry log, where anyone can see it.</p>
    </>
  );
}

/**
 * "Services using Townhall ID": every registered service, what it may ask for and how well a person
 * must have proved who they are, with the registry entry that records it; suspending and reinstating
 * a service, each after asking first; a link to delete one (its own page asks for its name).
 */
export function ServiceList() {
  const deletedName = (useLocation().state as ServiceDeletedState | null)?.deletedService ?? null;
  const services = useServices();
  const changeStatus = useChangeServiceStatus();
  const [asking, setAsking] = useState<{ service: ServiceSummary; status: ServiceStatus } | null>(null);
  const [changed, setChanged] = useState<{ name: string; status: ServiceStatus } | null>(null);
  const [focusAfterCancel, setFocusAfterCancel] = useState<string | null>(null);
  useEffect(() => {
    if (focusAfterCancel) document.getElementById(focusAfterCancel)?.focus();
  }, [focusAfterCancel]);

  function ask(service: ServiceSummary) {
    setChanged(null);
    setFocusAfterCancel(null);
    changeStatus.reset();
    setAsking({ service, status: otherStatus(service.status) });
  }

  function confirm() {
    if (!asking) return;
    const { service, status } = asking;
    setAsking(null);
    changeStatus.mutate({ clientId: service.clientId, status }, { onSuccess: () => setChanged({ name: service.name, status }) });
  }

  const title = 'Services using Townhall ID';
  const failedName = changeStatus.isError
    ? (services.data?.services.find((service) => service.clientId === changeStatus.variables.clientId)?.name ?? 'the service')
    : null;
  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      {changed ? <SuccessBanner titleId="status-changed-title" heading={withName(ACTIONS[changed.status].done, changed.name)} takesFocus /> : null}
      {deletedName && !changed && !changeStatus.isError ? (
        <SuccessBanner titleId="service-deleted-title" heading={`${deletedName} is deleted. It can no longer sign anyone in with Townhall ID.`} takesFocus>
          <p className="govuk-body">The deletion is recorded in the public registry log.</p>
        </SuccessBanner>
      ) : null}
      {changeStatus.isError ? (
        <ProblemBanner
          what=""
          headline={`Sorry, ${failedName} could not be ${changeStatus.variables.status === 'suspended' ? 'suspended' : 'reinstated'}.`}
          error={changeStatus.error}
        />
      ) : null}
      <h1 className="govuk-heading-l">{title}</h1>
      <p className="govuk-body">
        The council’s online services that may sign residents and staff in with Townhall ID, and what each may ask for. Each
        registration and each change is recorded in the public registry log, so anyone can see which service may ask for what.
      </p>
      <Link to="/services/new" className="govuk-button" draggable={false}>
        Register a service
      </Link>
      {asking ? (
        <ConfirmPanel
          key={`${asking.service.clientId}:${asking.status}`}
          question={withName(ACTIONS[asking.status].question, asking.service.name)}
          consequences={<Consequences service={asking.service} status={asking.status} />}
          confirmLabel={ACTIONS[asking.status].confirmLabel}
          isWarning={ACTIONS[asking.status].isWarning}
          onConfirm={confirm}
          onCancel={() => {
            setFocusAfterCancel(actionButtonId(asking.service.clientId));
            setAsking(null);
          }}
        />
      ) : null}

      {services.isPending ? <LoadingMessage>Loading the services…</LoadingMessage> : null}
      {services.isError ? <ProblemBanner what="the services" error={services.error} /> : null}
      {services.data?.services.length === 0 ? (
        <p className="govuk-body">No services are registered yet. Register a service to let it sign people in with Townhall ID.</p>
      ) : null}
      {services.data && services.data.services.length > 0 ? (
        // Explicit roles: on a phone the rows stack as blocks, and the table must stay a table to screen readers.
        <table className="govuk-table th-stacked-table" role="table">
          <caption className="govuk-table__caption govuk-visually-hidden">Registered services</caption>
          <thead className="govuk-table__head" role="rowgroup">
            <tr className="govuk-table__row" role="row">
              {['Service', ...COLUMNS].map((column) => (
                <th scope="col" className="govuk-table__header" role="columnheader" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body" role="rowgroup">
            {services.data.services.map((service) => (
              <ServiceRow
                key={service.clientId}
                service={service}
                isChanging={changeStatus.isPending && changeStatus.variables.clientId === service.clientId}
                onChangeStatus={() => ask(service)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

interface ServiceRowProps {
  service: ServiceSummary;
  isChanging: boolean;
  onChangeStatus: () => void;
}

function ServiceRow({ service, isChanging, onChangeStatus }: ServiceRowProps) {
  const tag = STATUS_TAGS[service.status];
  const action = ACTIONS[otherStatus(service.status)];
  const claims = CLAIMS_IN_ORDER.filter((claim) => service.claims.includes(claim));
  return (
    <tr className="govuk-table__row" role="row">
      <th scope="row" className="govuk-table__header" role="rowheader">
        {service.name}
        <span className="th-service-detail">
          Client ID: <span className="th-code">{service.clientId}</span>
        </span>
        <span className="th-service-detail">{serviceTypeWords(service)}</span>
      </th>
      <td className="govuk-table__cell" role="cell">
        <ColumnLabel column="May ask for" />
        {claims.length === 0 ? (
          'Only a reference number for each person'
        ) : (
          <ul className="govuk-list govuk-!-margin-bottom-0">
            {claims.map((claim) => (
              <li key={claim}>
                {CLAIM_WORDS[claim]}
                {service.requiredClaims.includes(claim) ? <strong> (required)</strong> : null}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="govuk-table__cell" role="cell">
        <ColumnLabel column="Minimum level of assurance" />
        {assuranceWords(service.minimumAcr)}
      </td>
      <td className="govuk-table__cell" role="cell">
        <ColumnLabel column="Status" />
        <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.text}</strong>
        <br />
        <button
          type="button"
          id={actionButtonId(service.clientId)}
          className="govuk-button govuk-button--secondary govuk-!-margin-top-2 govuk-!-margin-bottom-0"
          onClick={onChangeStatus}
          disabled={isChanging}
          aria-disabled={isChanging}
        >
          {isChanging ? action.pendingLabel : action.label}
          <span className="govuk-visually-hidden"> {service.name}</span>
        </button>
        <p className="govuk-body govuk-!-margin-top-3 govuk-!-margin-bottom-0">
          <Link to={`/services/${encodeURIComponent(service.clientId)}/delete`} className="govuk-link">
            Delete<span className="govuk-visually-hidden"> {service.name}</span>
          </Link>
        </p>
      </td>
      <td className="govuk-table__cell" role="cell">
        <ColumnLabel column="Registry record" />
        Registered {formatDateTime(service.createdAt)}
        {service.revision > 1 ? (
          <>
            <br />
            Changed since (revision {service.revision})
          </>
        ) : null}
        {service.ledgerIndex !== null ? (
          <>
            <br />
            <a
              className="govuk-link"
              href={registryReceiptUrl(service.ledgerIndex)}
              download={`townhall-registry-receipt-${service.ledgerIndex}.txt`}
            >
              Receipt for entry {service.ledgerIndex}
              <span className="govuk-visually-hidden"> ({service.name})</span>
            </a>
          </>
        ) : null}
      </td>
    </tr>
  );
}
