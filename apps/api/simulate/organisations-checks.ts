/**
 * The organisations simulator's checks (docs/simulator.md, "Organisations"): what the registry log
 * must hold after a run (docs/organisations.md §4), what no entry may hold (§5: no names, no roll
 * data), and what each organisation's public page must show (§2.2). Pure functions over decoded
 * entries, so their small test can feed them hand-made logs; each difference names the evidence.
 */
import type { AppointmentPurpose, OrganisationKind, OrganisationPublicPage, OrganisationStatus } from '@townhall/protocol';

/** One registry-log entry, decoded. */
export interface LogEntry {
  index: number;
  type: string;
  body: Record<string, unknown>;
}

export interface ExpectedOrganisation {
  id: string;
  kind: OrganisationKind;
  legalName: string;
  /** As the register holds them (normalised: capitals, no spaces). */
  companyNumber: string | null;
  charityNumber: string | null;
  /** The status changes after registration, in order. */
  statuses: OrganisationStatus[];
  /** The roles of each membership granted (each sorted), in any order. */
  granted: string[][];
  /** How many of those memberships were revoked. */
  revoked: number;
}

export interface ExpectedAppointment {
  id: string;
  purposes: AppointmentPurpose[];
  endsOn: string;
  isAccepted: boolean;
  endedBy: 'appointer' | 'representative' | null;
}

export interface ExpectedRegistry {
  /** Electors on the roll (the one RollCommitted) and how many enrolled (an Enrolled each). */
  electors: number;
  enrolled: number;
  organisations: ExpectedOrganisation[];
  appointments: ExpectedAppointment[];
}

/** Personal data of the simulated people that no entry may hold, each with what it is. */
export interface PersonalData {
  /** Whole words, compared without case: given and family names, elector numbers, dates of birth. */
  words: Map<string, string>;
  /** Phrases, found anywhere without case: postcodes, street names. */
  phrases: Map<string, string>;
}

const ORGANISATION_TYPES = new Set(['OrganisationRegistered', 'OrganisationStatusChanged', 'MembershipGranted', 'MembershipRevoked']);
const APPOINTMENT_TYPES = new Set(['AppointmentMade', 'AppointmentAccepted', 'AppointmentEnded']);
const list = (items: readonly string[]) => `[${items.join(', ')}]`;
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** How many entries of each type the expected run appends (every other type: none). */
export function expectedCounts(expected: ExpectedRegistry): Record<string, number> {
  const sum = (items: readonly { length: number }[]) => items.reduce((n, i) => n + i.length, 0);
  return {
    LogCreated: 1,
    RollCommitted: 1,
    Enrolled: expected.enrolled,
    OrganisationRegistered: expected.organisations.length,
    OrganisationStatusChanged: sum(expected.organisations.map((o) => o.statuses)),
    MembershipGranted: sum(expected.organisations.map((o) => o.granted)),
    MembershipRevoked: expected.organisations.reduce((n, o) => n + o.revoked, 0),
    AppointmentMade: expected.appointments.length,
    AppointmentAccepted: expected.appointments.filter((a) => a.isAccepted).length,
    AppointmentEnded: expected.appointments.filter((a) => a.endedBy).length,
  };
}

export function countByType(entries: readonly LogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) counts[entry.type] = (counts[entry.type] ?? 0) + 1;
  return counts;
}

/**
 * Compares the registry log with the run: exactly the expected number of entries of each type; each
 * organisation's registration, status changes, grants (roles, one pseudonym each) and revocations
 * (of a pseudonym granted before, once, while the organisation is active); each appointment made
 * once with its purposes and end date, accepted by the representative it names, ended by the side
 * that ended it. Answers the differences (empty: the log is as expected).
 */
export function checkRegistryEntries(expected: ExpectedRegistry, entries: readonly LogEntry[]): string[] {
  const differences: string[] = [];
  const counts = countByType(entries);
  const wanted = expectedCounts(expected);
  for (const type of new Set([...Object.keys(wanted), ...Object.keys(counts)])) {
    if ((counts[type] ?? 0) !== (wanted[type] ?? 0)) differences.push(`${counts[type] ?? 0} ${type} entries in the log, ${wanted[type] ?? 0} expected`);
  }
  if (entries[0]?.type !== 'LogCreated') differences.push(`the log starts with ${entries[0]?.type ?? 'nothing'}, not LogCreated`);
  for (const entry of entries.filter((e) => e.type === 'RollCommitted')) {
    if (entry.body.electorCount !== expected.electors) differences.push(`RollCommitted at ${entry.index} counts ${String(entry.body.electorCount)} electors, ${expected.electors} expected`);
  }

  const organisations = new Map(expected.organisations.map((o) => [o.id, { expected: o, entries: [] as LogEntry[] }]));
  const appointments = new Map(expected.appointments.map((a) => [a.id, { expected: a, entries: [] as LogEntry[] }]));
  for (const entry of entries) {
    if (ORGANISATION_TYPES.has(entry.type)) {
      const id = String(entry.body.organisationId);
      const found = organisations.get(id);
      if (found) found.entries.push(entry);
      else differences.push(`${entry.type} at ${entry.index} names organisation ${id}, which the simulation did not register`);
    } else if (APPOINTMENT_TYPES.has(entry.type)) {
      const id = String(entry.body.appointmentId);
      const found = appointments.get(id);
      if (found) found.entries.push(entry);
      else differences.push(`${entry.type} at ${entry.index} names appointment ${id}, which the simulation did not make`);
    }
  }
  for (const { expected: organisation, entries: own } of organisations.values()) differences.push(...checkOrganisation(organisation, own));
  for (const { expected: appointment, entries: own } of appointments.values()) differences.push(...checkAppointment(appointment, own));
  return differences;
}

function checkOrganisation(expected: ExpectedOrganisation, entries: readonly LogEntry[]): string[] {
  const differences: string[] = [];
  const say = (text: string) => differences.push(`organisation ${expected.id}: ${text}`);
  const registered = entries.filter((e) => e.type === 'OrganisationRegistered');
  if (registered.length !== 1) say(`${registered.length} OrganisationRegistered entries, 1 expected`);
  const [registration] = registered;
  if (registration) {
    for (const field of ['kind', 'legalName', 'companyNumber', 'charityNumber'] as const) {
      if (registration.body[field] !== expected[field]) say(`${field} is ${JSON.stringify(registration.body[field])} in the log, ${JSON.stringify(expected[field])} expected`);
    }
    const before = entries.find((e) => e.index < registration.index);
    if (before) say(`${before.type} at ${before.index} comes before its registration at ${registration.index}`);
  }

  // Replayed in log order: the status, and which pseudonyms are members.
  let status: string = 'active';
  const statuses: string[] = [];
  const granted: string[][] = [];
  const members = new Set<string>();
  const everGranted = new Set<string>();
  let revoked = 0;
  for (const entry of entries) {
    const member = String(entry.body.member);
    if (entry.type === 'OrganisationStatusChanged') {
      status = String(entry.body.status);
      statuses.push(status);
    } else if (entry.type === 'MembershipGranted') {
      if (status !== 'active') say(`MembershipGranted at ${entry.index} while the organisation is ${status}`);
      if (everGranted.has(member)) say(`MembershipGranted at ${entry.index} grants a pseudonym granted before (no roles were changed)`);
      granted.push([...(entry.body.roles as string[])].sort());
      members.add(member);
      everGranted.add(member);
    } else if (entry.type === 'MembershipRevoked') {
      if (status !== 'active') say(`MembershipRevoked at ${entry.index} while the organisation is ${status}`);
      if (!members.delete(member)) say(`MembershipRevoked at ${entry.index} revokes a pseudonym that is not a current member`);
      revoked += 1;
    }
  }
  if (!sameList(statuses, expected.statuses)) say(`status changes ${list(statuses)} in the log, ${list(expected.statuses)} expected`);
  const rolesOf = (grants: readonly string[][]) => grants.map((roles) => roles.join('+')).sort();
  if (!sameList(rolesOf(granted), rolesOf(expected.granted))) say(`memberships granted with roles ${list(rolesOf(granted))} in the log, ${list(rolesOf(expected.granted))} expected`);
  if (revoked !== expected.revoked) say(`${revoked} memberships revoked in the log, ${expected.revoked} expected`);
  return differences;
}

function checkAppointment(expected: ExpectedAppointment, entries: readonly LogEntry[]): string[] {
  const differences: string[] = [];
  const say = (text: string) => differences.push(`appointment ${expected.id}: ${text}`);
  const ofType = (type: string) => entries.filter((e) => e.type === type);
  const [made, ...moreMade] = ofType('AppointmentMade');
  if (!made || moreMade.length > 0) say(`${moreMade.length + (made ? 1 : 0)} AppointmentMade entries, 1 expected`);
  if (made) {
    const purposes = made.body.purposes as string[];
    if (!sameList(purposes, expected.purposes)) say(`purposes ${list(purposes)} in the log, ${list(expected.purposes)} expected`);
    if (made.body.endsOn !== expected.endsOn) say(`ends on ${String(made.body.endsOn)} in the log, ${expected.endsOn} expected`);
    if (made.body.basis !== 'resident') say(`basis ${String(made.body.basis)} in the log, resident expected`);
    if (made.body.appointer === made.body.representative) say(`AppointmentMade at ${made.index} gives both sides one pseudonym`);
  }
  const accepted = ofType('AppointmentAccepted');
  if (accepted.length !== (expected.isAccepted ? 1 : 0)) say(`${accepted.length} AppointmentAccepted entries, ${expected.isAccepted ? 1 : 0} expected`);
  for (const entry of accepted) {
    if (made && entry.index < made.index) say(`accepted at ${entry.index} before it was made at ${made.index}`);
    if (made && entry.body.representative !== made.body.representative) say(`accepted at ${entry.index} by a pseudonym that is not the representative AppointmentMade names`);
  }
  const ended = ofType('AppointmentEnded');
  if (ended.length !== (expected.endedBy ? 1 : 0)) say(`${ended.length} AppointmentEnded entries, ${expected.endedBy ? 1 : 0} expected`);
  for (const entry of ended) {
    if (entry.body.endedBy !== expected.endedBy) say(`ended by the ${String(entry.body.endedBy)} in the log, by the ${String(expected.endedBy)} expected`);
    const last = Math.max(made?.index ?? -1, ...accepted.map((e) => e.index));
    if (entry.index < last) say(`ended at ${entry.index} before it was made or accepted (${last})`);
  }
  return differences;
}

/** Every string in an entry body (not its field names), however deeply nested. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * Entries holding any of the simulated people's personal data: a name, an elector number or a date of
 * birth as a whole word, or a postcode or street name anywhere, compared without case. Answers one
 * finding per entry and term, naming both.
 */
export function findPersonalData(entries: readonly LogEntry[], data: PersonalData): string[] {
  const findings: string[] = [];
  for (const entry of entries) {
    const found = new Map<string, string>();
    for (const text of stringsOf(entry.body)) {
      const lower = text.toLowerCase();
      for (const word of lower.split(/[^\p{L}\p{N}-]+/u)) {
        const what = data.words.get(word);
        if (what) found.set(word, what);
      }
      for (const [phrase, what] of data.phrases) if (lower.includes(phrase)) found.set(phrase, what);
    }
    for (const [term, what] of found) findings.push(`${entry.type} at ${entry.index} holds "${term}" (${what})`);
  }
  return findings;
}

/** Adds a term to the personal data, keyed without case. */
export function addPersonalData(into: Map<string, string>, term: string, what: string): void {
  into.set(term.toLowerCase(), what);
}

/**
 * Compares an organisation's public page with the run: its public facts, its status and status
 * history (registration first, then each change in order, each pointing at the registry-log entry
 * that records it) and its current member count.
 */
export function checkPublicPage(expected: ExpectedOrganisation, page: OrganisationPublicPage, entryAt: (index: number) => LogEntry | undefined): string[] {
  const differences: string[] = [];
  const say = (text: string) => differences.push(`organisation ${expected.id}'s public page: ${text}`);
  for (const field of ['id', 'kind', 'legalName', 'companyNumber', 'charityNumber'] as const) {
    if (page[field] !== expected[field]) say(`${field} is ${JSON.stringify(page[field])}, ${JSON.stringify(expected[field])} expected`);
  }
  const statuses = ['active', ...expected.statuses];
  if (page.status !== statuses.at(-1)) say(`status ${page.status}, ${statuses.at(-1)} expected`);
  const shown = page.history.map((h) => h.status);
  if (!sameList(shown, statuses)) say(`history ${list(shown)}, ${list(statuses)} expected`);
  page.history.forEach((row, i) => {
    const type = i === 0 ? 'OrganisationRegistered' : 'OrganisationStatusChanged';
    if (row.type !== type) say(`history row ${i + 1} is ${row.type}, ${type} expected`);
    const entry = entryAt(Number(row.ledgerIndex));
    const isRecorded = entry?.type === row.type && entry.body.organisationId === expected.id && (row.type === 'OrganisationRegistered' || entry.body.status === row.status);
    if (!isRecorded) say(`history row ${i + 1} (${row.type}, ${row.status}) points at registry entry ${row.ledgerIndex}, which is ${entry ? `${entry.type} of ${String(entry.body.organisationId)}` : 'not in the log'}`);
  });
  const current = expected.granted.length - expected.revoked;
  if (page.currentMembers !== current) say(`${page.currentMembers} current members, ${current} expected`);
  return differences;
}
