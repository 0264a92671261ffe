import { APPOINTMENT_PURPOSES, type AppointmentState, type AppointmentSummary } from '@townhall/protocol';

export const STATE_TAGS: Record<AppointmentState, { text: string; className: string }> = {
  'waiting-for-acceptance': { text: 'Waiting to be accepted', className: 'govuk-tag--yellow' },
  active: { text: 'Active', className: 'govuk-tag--green' },
  ended: { text: 'Ended', className: 'govuk-tag--grey' },
  expired: { text: 'Expired', className: 'govuk-tag--grey' },
};

export const purposeWords = (purpose: AppointmentSummary['purposes'][number]) => APPOINTMENT_PURPOSES[purpose];

const longDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/** An end date (YYYY-MM-DD) as GOV.UK writes dates: "31 March 2030". */
export const formatDay = (isoDate: string) => longDate.format(new Date(`${isoDate}T00:00:00Z`));

/** Whether the appointment can still be ended (it is waiting or in effect). */
export const isOpen = (appointment: AppointmentSummary) =>
  appointment.state === 'waiting-for-acceptance' || appointment.state === 'active';

/** Its ledger entries, oldest first, in words from the viewer's side. */
export function ledgerEvents(appointment: AppointmentSummary): { what: string; ledgerIndex: string }[] {
  const isAppointer = appointment.role === 'appointer';
  const events = [
    {
      what:
        appointment.basis === 'lasting-power-of-attorney'
          ? 'Recorded by the council from a lasting power of attorney'
          : isAppointer
            ? `You appointed ${appointment.otherParty}`
            : `${appointment.otherParty} appointed you`,
      ledgerIndex: appointment.ledger.made,
    },
  ];
  if (appointment.ledger.accepted) {
    events.push({ what: isAppointer ? `${appointment.otherParty} accepted` : 'You accepted', ledgerIndex: appointment.ledger.accepted });
  }
  if (appointment.ledger.ended) events.push({ what: 'The appointment was ended', ledgerIndex: appointment.ledger.ended });
  return events;
}
