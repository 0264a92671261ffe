import type { ServiceAccess, ServiceAccessEvent } from '@townhall/protocol';
import { ConfirmAction, formatDateTime, LoadingMessage, ProblemBanner } from '@townhall/web-ui';
import { useState } from 'react';
import { appConfig } from '../../../config/app-config.ts';
import { useServiceAccess, useWithdrawServiceAccess } from '../api/service-access.ts';
import { claimsInWords, claimWords } from '../lib/claim-words.ts';

/** The ledger's receipt for one registry entry: a C2SP tlog-proof, checkable offline. */
export function registryReceiptUrl(ledgerIndex: string): string {
  return `${appConfig.apiBasePath}/ledger/registry/receipt/${encodeURIComponent(ledgerIndex)}`;
}

/** What happened, in words. */
export function describeAccessEvent(event: ServiceAccessEvent): string {
  switch (event.kind) {
    case 'consent-given':
      return event.claims.length > 0 ? `You agreed to share ${claimsInWords(event.claims)}` : 'You agreed to sign in (no details shared)';
    case 'claims-released':
      return event.claims.length > 0 ? `It received ${claimsInWords(event.claims)}` : 'It received only its reference number for you';
    case 'consent-withdrawn':
      return 'You withdrew its access';
    case 'service-deleted':
      return 'The council removed this service from Townhall ID: it can no longer sign you in';
  }
}

/** The council deleted the service (its last event, after which nothing can happen). */
export function isServiceDeleted(service: ServiceAccess): boolean {
  return service.events.at(-1)?.kind === 'service-deleted';
}

/**
 * "Services you have signed in to" on the account page: for each service what it may receive, what
 * it did receive and when, each with the receipt that proves the record is in the public ledger;
 * and "Withdraw access", which asks first.
 */
export function ServicesSignedInTo() {
  const services = useServiceAccess();
  const withdraw = useWithdrawServiceAccess();
  const [withdrawnName, setWithdrawnName] = useState<string | null>(null);

  function withdrawAccess(service: ServiceAccess) {
    setWithdrawnName(null);
    withdraw.mutate(service.clientId, { onSuccess: () => setWithdrawnName(service.name) });
  }

  return (
    <section aria-labelledby="services-heading">
      <h2 className="govuk-heading-m" id="services-heading">
        Services you have signed in to
      </h2>
      <p className="govuk-body">
        The council services you signed in to with Townhall ID, what each may know about you and when it received it. The council
        records each of these in its public ledger under a pseudonym for that service; the receipt proves the record is there.
      </p>
      {withdrawnName ? (
        <div className="govuk-inset-text" role="status">
          {withdrawnName} no longer has access. It will ask you again if you sign in to it.
        </div>
      ) : null}
      {withdraw.isError ? (
        <ProblemBanner what="" headline="Sorry, we could not withdraw the service’s access." error={withdraw.error} />
      ) : null}
      {services.isPending ? <LoadingMessage>Loading your services…</LoadingMessage> : null}
      {services.isError ? <ProblemBanner what="the services you have signed in to" error={services.error} /> : null}
      {services.data?.services.length === 0 ? (
        <p className="govuk-body">You have not signed in to any council services with Townhall ID.</p>
      ) : null}
      {services.data?.services.map((service) => (
        <ServiceCard
          key={service.clientId}
          service={service}
          isWithdrawing={withdraw.isPending && withdraw.variables === service.clientId}
          onWithdraw={() => withdrawAccess(service)}
        />
      ))}
    </section>
  );
}

function ServiceCard({ service, isWithdrawing, onWithdraw }: { service: ServiceAccess; isWithdrawing: boolean; onWithdraw: () => void }) {
  const titleId = `service-${service.clientId}`;
  const newestFirst = [...service.events].reverse();
  const isDeleted = isServiceDeleted(service);
  return (
    <section className="govuk-summary-card" aria-labelledby={titleId}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title" id={titleId}>
          {service.name}
        </h3>
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Access</dt>
            <dd className="govuk-summary-list__value">
              {service.hasAccess ? (
                <strong className="govuk-tag govuk-tag--green">Has access</strong>
              ) : isDeleted ? (
                <strong className="govuk-tag govuk-tag--grey">Removed by the council</strong>
              ) : (
                <strong className="govuk-tag govuk-tag--grey">Withdrawn</strong>
              )}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">What it may know</dt>
            <dd className="govuk-summary-list__value">
              {isDeleted ? (
                'Nothing more: the council removed it from Townhall ID. What it received before is in the history below'
              ) : !service.hasAccess ? (
                'Nothing more: it must ask you again if you sign in to it'
              ) : service.claims.length === 0 ? (
                'Only that it is you'
              ) : (
                <ul className="govuk-list govuk-!-margin-bottom-0">
                  {service.claims.map((claim) => (
                    <li key={claim}>{claimWords(claim)}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
        <h4 className="govuk-heading-s govuk-!-margin-top-6">History</h4>
        <table className="govuk-table th-stacked-table" role="table">
          <caption className="govuk-table__caption govuk-visually-hidden">What happened with {service.name}, newest first</caption>
          <thead className="govuk-table__head" role="rowgroup">
            <tr className="govuk-table__row" role="row">
              <th scope="col" className="govuk-table__header" role="columnheader">
                Date
              </th>
              <th scope="col" className="govuk-table__header" role="columnheader">
                What happened
              </th>
              <th scope="col" className="govuk-table__header" role="columnheader">
                Ledger record
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body" role="rowgroup">
            {newestFirst.map((event) => (
              <tr className="govuk-table__row" key={event.ledgerIndex} role="row">
                <th scope="row" className="govuk-table__header" role="rowheader">
                  {formatDateTime(event.at)}
                </th>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">
                    What happened
                  </span>
                  {describeAccessEvent(event)}
                </td>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">
                    Ledger record
                  </span>
                  <a
                    className="govuk-link"
                    href={registryReceiptUrl(event.ledgerIndex)}
                    download={`townhall-registry-receipt-${event.ledgerIndex}.txt`}
                  >
                    Receipt for entry {event.ledgerIndex}
                    <span className="govuk-visually-hidden"> ({describeAccessEvent(event).toLowerCase()})</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {service.hasAccess ? (
          <ConfirmAction
            label="Withdraw access"
            hiddenContext={` for ${service.name}`}
            buttonClassName="govuk-button--warning govuk-!-margin-bottom-0"
            question={`Withdraw ${service.name}’s access?`}
            consequences={
              <>
                <p className="govuk-body">
                  {service.name} will no longer be able to sign you in without asking, and any sign-in it holds for you stops working
                  now. If you sign in to it again, it will ask you what to share.
                </p>
                <p className="govuk-body govuk-!-margin-bottom-0">
                  It keeps what it has already received: ask {service.name} if you want it deleted. Your withdrawal is recorded in the
                  public ledger.
                </p>
              </>
            }
            confirmLabel="Yes, withdraw access"
            isPending={isWithdrawing}
            onConfirm={onWithdraw}
          />
        ) : null}
      </div>
    </section>
  );
}
