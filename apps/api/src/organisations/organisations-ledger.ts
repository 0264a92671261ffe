import {
  AppointmentAcceptedBody,
  AppointmentEndedBody,
  AppointmentMadeBody,
  MembershipGrantedBody,
  MembershipRevokedBody,
  OrganisationRegisteredBody,
  OrganisationStatusChangedBody,
} from '@townhall/protocol';
import type { z } from 'zod';
import type { EntryBody, EntryTypeName } from '@townhall/ledger';
import type { AppendEntry } from '../ledger/ledger.module.ts';

/** Seconds are enough: the entry says when, not which request. */
export function nowIso(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
}

function entry<S extends z.ZodType>(type: EntryTypeName, schema: S, body: z.input<S>): AppendEntry {
  // Parsed before it is appended, so a wrong body is refused here rather than written.
  return { type, body: schema.parse(body) as unknown as EntryBody };
}

/**
 * The registry-log entries of organisations and appointments (docs/protocol/ledger.md §2.1,
 * docs/organisations.md §4). Callers pass pseudonyms from OrganisationKeys, never a person's data.
 */
export const organisationEntries = {
  registered: (body: z.input<typeof OrganisationRegisteredBody>) => entry('OrganisationRegistered', OrganisationRegisteredBody, body),
  statusChanged: (body: z.input<typeof OrganisationStatusChangedBody>) =>
    entry('OrganisationStatusChanged', OrganisationStatusChangedBody, body),
  membershipGranted: (body: z.input<typeof MembershipGrantedBody>) => entry('MembershipGranted', MembershipGrantedBody, body),
  membershipRevoked: (body: z.input<typeof MembershipRevokedBody>) => entry('MembershipRevoked', MembershipRevokedBody, body),
  appointmentMade: (body: z.input<typeof AppointmentMadeBody>) => entry('AppointmentMade', AppointmentMadeBody, body),
  appointmentAccepted: (body: z.input<typeof AppointmentAcceptedBody>) => entry('AppointmentAccepted', AppointmentAcceptedBody, body),
  appointmentEnded: (body: z.input<typeof AppointmentEndedBody>) => entry('AppointmentEnded', AppointmentEndedBody, body),
};
