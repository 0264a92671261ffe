import type { EntryBodyInput } from '@townhall/protocol';
import { ledgerEntry } from '../ledger/ledger-entry.ts';

/** Seconds are enough: the entry says when, not which request. */
export function nowIso(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
}

/**
 * The registry-log entries of organisations and appointments (docs/protocol/ledger.md §2.1,
 * docs/organisations.md §4), built through the one table of entry types (a wrong body is refused
 * before anything is written). Callers pass pseudonyms from OrganisationKeys, never a person's data.
 */
export const organisationEntries = {
  registered: (body: EntryBodyInput<'OrganisationRegistered'>) => ledgerEntry('OrganisationRegistered', body),
  statusChanged: (body: EntryBodyInput<'OrganisationStatusChanged'>) => ledgerEntry('OrganisationStatusChanged', body),
  membershipGranted: (body: EntryBodyInput<'MembershipGranted'>) => ledgerEntry('MembershipGranted', body),
  membershipRevoked: (body: EntryBodyInput<'MembershipRevoked'>) => ledgerEntry('MembershipRevoked', body),
  memberPasskeyBound: (body: EntryBodyInput<'MemberPasskeyBound'>) => ledgerEntry('MemberPasskeyBound', body),
  appointmentMade: (body: EntryBodyInput<'AppointmentMade'>) => ledgerEntry('AppointmentMade', body),
  appointmentAccepted: (body: EntryBodyInput<'AppointmentAccepted'>) => ledgerEntry('AppointmentAccepted', body),
  appointmentEnded: (body: EntryBodyInput<'AppointmentEnded'>) => ledgerEntry('AppointmentEnded', body),
};
