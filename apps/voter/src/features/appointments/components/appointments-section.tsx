import type { AppointmentSummary } from '@townhall/protocol';
import { ConfirmAction, formatDateTime, LoadingMessage, ProblemBanner, ReceiptLink } from '@townhall/web-ui';
import { useState } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useAcceptAppointment, useAppointmentCode, useAppointments, useEndAppointment } from '../api/appointments.ts';
import { formatDay, isOpen, ledgerEvents, purposeWords, STATE_TAGS } from '../lib/appointment-words.ts';

/**
 * "People who can act for you" and "People you act for" on the account page: appointing someone
 * (with the code they give you), making a code to be appointed, accepting, ending (asks first), and
 * each appointment's ledger entries with receipts.
 */
export function AppointmentsSection() {
  const appointments = useAppointments();
  const accept = useAcceptAppointment();
  const end = useEndAppointment();
  const [notice, setNotice] = useState<string | null>(null);
  const all = appointments.data?.appointments ?? [];
  const forYou = all.filter((a) => a.role === 'appointer');
  const youActFor = all.filter((a) => a.role === 'representative');

  const actions = {
    accept: (appointment: AppointmentSummary) => {
      setNotice(null);
      end.reset();
      accept.mutate(appointment.id, {
        onSuccess: () => setNotice(`You accepted. You can now act for ${appointment.otherParty} for what they named.`),
      });
    },
    end: (appointment: AppointmentSummary) => {
      setNotice(null);
      accept.reset();
      end.mutate(appointment.id, { onSuccess: () => setNotice(`The appointment with ${appointment.otherParty} has ended.`) });
    },
    pendingId: accept.isPending ? accept.variables : end.isPending ? end.variables : null,
  };

  return (
    <>
      {notice ? (
        <div className="govuk-inset-text" role="status">
          {notice}
        </div>
      ) : null}
      {accept.isError ? <ProblemBanner what="" headline="Sorry, we could not accept the appointment." error={accept.error} /> : null}
      {end.isError ? <ProblemBanner what="" headline="Sorry, we could not end the appointment." error={end.error} /> : null}
      <section aria-labelledby="act-for-you-heading">
        <h2 className="govuk-heading-m" id="act-for-you-heading">
          People who can act for you
        </h2>
        <p className="govuk-body">
          You can let someone you trust, such as a carer or a relative, deal with the council for you, for the things you choose and until
          a date you choose. First they give you an appointment code from their own account.
        </p>
        <p className="govuk-body">
          <Link to="/account/appoint" className="govuk-link">
            Appoint someone to act for you
          </Link>
        </p>
        {appointments.isPending ? <LoadingMessage>Loading your appointments…</LoadingMessage> : null}
        {appointments.isError ? <ProblemBanner what="your appointments" error={appointments.error} /> : null}
        {appointments.data && forYou.length === 0 ? <p className="govuk-body">Nobody can act for you.</p> : null}
        {forYou.map((appointment) => (
          <AppointmentCard key={appointment.id} appointment={appointment} actions={actions} />
        ))}
      </section>
      <section aria-labelledby="you-act-for-heading">
        <h2 className="govuk-heading-m" id="you-act-for-heading">
          People you act for
        </h2>
        <AppointmentCodeMaker />
        {appointments.data && youActFor.length === 0 ? <p className="govuk-body">You do not act for anyone.</p> : null}
        {youActFor.map((appointment) => (
          <AppointmentCard key={appointment.id} appointment={appointment} actions={actions} />
        ))}
      </section>
    </>
  );
}

function AppointmentCodeMaker() {
  const code = useAppointmentCode();
  return (
    <>
      <p className="govuk-body">
        To act for someone, make an appointment code and give it to them, in person or by phone. They use it to appoint you in their
        account. The code works once, for an hour; making a new one stops the last one working.
      </p>
      {code.isError ? <ProblemBanner what="" headline="Sorry, we could not make an appointment code." error={code.error} /> : null}
      {code.data ? (
        <div className="govuk-inset-text" role="status">
          <p className="govuk-body govuk-!-margin-bottom-1">Your appointment code</p>
          <p className="govuk-heading-l th-code govuk-!-margin-bottom-1">{code.data.code}</p>
          <p className="govuk-body govuk-!-margin-bottom-0">
            Give it only to the person who wants to appoint you. It works until {formatDateTime(code.data.expiresAt)}.
          </p>
        </div>
      ) : null}
      <button
        type="button"
        className="govuk-button govuk-button--secondary"
        onClick={() => code.mutate()}
        disabled={code.isPending}
        aria-disabled={code.isPending}
      >
        {code.isPending ? 'Making a code…' : code.data ? 'Make a new appointment code' : 'Make an appointment code'}
      </button>
    </>
  );
}

interface CardActions {
  accept: (appointment: AppointmentSummary) => void;
  end: (appointment: AppointmentSummary) => void;
  pendingId: string | null | undefined;
}

function AppointmentCard({ appointment, actions }: { appointment: AppointmentSummary; actions: CardActions }) {
  const titleId = `appointment-${appointment.id}`;
  const tag = STATE_TAGS[appointment.state];
  const isAppointer = appointment.role === 'appointer';
  const isPending = actions.pendingId === appointment.id;
  const label = (column: string) => (
    <span className="th-stacked-table__label" aria-hidden="true">
      {column}
    </span>
  );
  return (
    <section className="govuk-summary-card" aria-labelledby={titleId}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title" id={titleId}>
          {appointment.otherParty}
          <span className="govuk-visually-hidden">{isAppointer ? ', who can act for you' : ', whom you act for'}</span>
        </h3>
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Status</dt>
            <dd className="govuk-summary-list__value">
              <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
              {appointment.state === 'waiting-for-acceptance' ? (
                <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                  {isAppointer
                    ? `It takes effect when ${appointment.otherParty} accepts it in their account.`
                    : 'It takes effect when you accept it.'}
                </p>
              ) : null}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">{isAppointer ? 'They may' : 'You may'}</dt>
            <dd className="govuk-summary-list__value">
              <ul className="govuk-list govuk-!-margin-bottom-0">
                {appointment.purposes.map((purpose) => (
                  <li key={purpose}>{purposeWords(purpose)}</li>
                ))}
              </ul>
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Until</dt>
            <dd className="govuk-summary-list__value">{formatDay(appointment.endsOn)} (the end of that day)</dd>
          </div>
          {appointment.basis === 'lasting-power-of-attorney' ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Basis</dt>
              <dd className="govuk-summary-list__value">A lasting power of attorney, recorded by the council</dd>
            </div>
          ) : null}
        </dl>
        <h4 className="govuk-heading-s govuk-!-margin-top-6">Ledger records</h4>
        <ul className="govuk-list">
          {ledgerEvents(appointment).map((event) => (
            <li key={event.ledgerIndex}>
              {event.what}:{' '}
              <ReceiptLink apiBasePath={appConfig.apiBasePath} ledgerIndex={event.ledgerIndex} context={event.what.toLowerCase()} />
            </li>
          ))}
        </ul>
        {isAppointer && appointment.uses.length > 0 ? (
          <table className="govuk-table th-stacked-table" role="table">
            <caption className="govuk-table__caption govuk-table__caption--s">What {appointment.otherParty} did for you</caption>
            <thead className="govuk-table__head" role="rowgroup">
              <tr className="govuk-table__row" role="row">
                {['Date', 'For', 'What'].map((column) => (
                  <th scope="col" className="govuk-table__header" role="columnheader" key={column}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body" role="rowgroup">
              {[...appointment.uses].reverse().map((use, position) => (
                <tr className="govuk-table__row" role="row" key={`${use.at}:${position}`}>
                  <th scope="row" className="govuk-table__header" role="rowheader">
                    {formatDateTime(use.at)}
                  </th>
                  <td className="govuk-table__cell" role="cell">
                    {label('For')}
                    {purposeWords(use.purpose)}
                  </td>
                  <td className="govuk-table__cell" role="cell">
                    {label('What')}
                    {use.action}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {isOpen(appointment) ? (
          <div className="govuk-button-group govuk-!-margin-bottom-0">
            {!isAppointer && appointment.state === 'waiting-for-acceptance' ? (
              <button
                type="button"
                className="govuk-button govuk-!-margin-bottom-0"
                onClick={() => actions.accept(appointment)}
                disabled={isPending}
                aria-disabled={isPending}
              >
                Accept<span className="govuk-visually-hidden"> the appointment from {appointment.otherParty}</span>
              </button>
            ) : null}
            <ConfirmAction
              label={isAppointer || appointment.state === 'active' ? 'End the appointment' : 'Decline'}
              hiddenContext={` with ${appointment.otherParty}`}
              buttonClassName="govuk-button--warning govuk-!-margin-bottom-0"
              question={`End the appointment with ${appointment.otherParty}?`}
              consequences={
                <>
                  <p className="govuk-body">
                    {isAppointer
                      ? `${appointment.otherParty} can no longer act for you, from now.`
                      : `You can no longer act for ${appointment.otherParty}, from now.`}{' '}
                    This cannot be undone: to act again, a new appointment is needed.
                  </p>
                  <p className="govuk-body govuk-!-margin-bottom-0">
                    The end is recorded in the council’s public ledger, without either of your names.
                  </p>
                </>
              }
              confirmLabel="Yes, end it"
              isPending={isPending}
              onConfirm={() => actions.end(appointment)}
            />
          </div>
        ) : null}
      </div>
    </section>
  );
}
