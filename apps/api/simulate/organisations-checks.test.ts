import { describe, expect, it } from 'vitest';
import type { OrganisationPublicPage } from '@townhall/protocol';
import { checkPublicPage, checkRegistryEntries, findPersonalData, type ExpectedRegistry, type LogEntry } from './organisations-checks.ts';

const ORG = '6f1c2a3b-0000-4000-8000-000000000001';
const APPOINTMENT = '6f1c2a3b-0000-4000-8000-00000000000a';
const pseudonym = (n: number) => n.toString(16).padStart(64, '0');
const at = '2026-12-07T10:00:00.000Z';

/** One organisation (two members granted, one revoked, suspended then reinstated) and one appointment ended by its representative. */
const expected: ExpectedRegistry = {
  electors: 3,
  enrolled: 2,
  organisations: [
    { id: ORG, kind: 'charity', legalName: 'Keepford Food Bank', companyNumber: null, charityNumber: '1123456-1', statuses: ['suspended', 'active'], granted: [['administrator'], ['volunteer']], revoked: 1 },
  ],
  appointments: [{ id: APPOINTMENT, purposes: ['receive-correspondence', 'report-repairs'], endsOn: '2028-01-31', isAccepted: true, endedBy: 'representative' }],
};

function validLog(): LogEntry[] {
  const bodies: [string, Record<string, unknown>][] = [
    ['LogCreated', { kind: 'registry', origin: 'localhost/registry' }],
    ['RollCommitted', { electorCount: 3, districts: { CAS: 3 }, pseudonymRoot: pseudonym(9), pseudonymTree: 'rfc9162-sha256-sorted-hmac-sha256' }],
    ['Enrolled', { pseudonym: pseudonym(10), credentialIdHash: pseudonym(11), publicKey: 'pQECAyYgASFYIBhm_Xx' }],
    ['Enrolled', { pseudonym: pseudonym(12), credentialIdHash: pseudonym(13), publicKey: 'pQECAyYgASFYIHh-Qq' }],
    ['OrganisationRegistered', { organisationId: ORG, kind: 'charity', legalName: 'Keepford Food Bank', companyNumber: null, charityNumber: '1123456-1', at }],
    ['MembershipGranted', { organisationId: ORG, member: pseudonym(1), roles: ['administrator'], at }],
    ['MembershipGranted', { organisationId: ORG, member: pseudonym(2), roles: ['volunteer'], at }],
    ['MembershipRevoked', { organisationId: ORG, member: pseudonym(2), at }],
    ['OrganisationStatusChanged', { organisationId: ORG, status: 'suspended', at }],
    ['OrganisationStatusChanged', { organisationId: ORG, status: 'active', at }],
    ['AppointmentMade', { appointmentId: APPOINTMENT, appointer: pseudonym(3), representative: pseudonym(4), purposes: ['receive-correspondence', 'report-repairs'], endsOn: '2028-01-31', basis: 'resident', at }],
    ['AppointmentAccepted', { appointmentId: APPOINTMENT, representative: pseudonym(4), at }],
    ['AppointmentEnded', { appointmentId: APPOINTMENT, endedBy: 'representative', at }],
  ];
  return bodies.map(([type, body], index) => ({ index, type, body }));
}

/** The valid log with the entry of `type` (the first, or the `nth`) changed by `change`; re-indexed. */
function mutated(type: string, change: (entry: LogEntry) => LogEntry | undefined, nth = 0): LogEntry[] {
  let seen = 0;
  return validLog()
    .flatMap((entry) => (entry.type === type && seen++ === nth ? [change(entry)].filter((e): e is LogEntry => e !== undefined) : [entry]))
    .map((entry, index) => ({ ...entry, index }));
}
const withBody = (changes: Record<string, unknown>) => (entry: LogEntry): LogEntry => ({ ...entry, body: { ...entry.body, ...changes } });

describe('the registry log compared with the run', () => {
  it('finds no difference in a log that holds exactly what the run did', () => {
    expect(checkRegistryEntries(expected, validLog())).toEqual([]);
  });

  it('names a missing grant, with both counts and the roles', () => {
    const differences = checkRegistryEntries(expected, mutated('MembershipGranted', () => undefined, 1));
    expect(differences).toContain('1 MembershipGranted entries in the log, 2 expected');
    expect(differences).toContain(`organisation ${ORG}: memberships granted with roles [administrator] in the log, [administrator, volunteer] expected`);
    // The revocation now names a pseudonym that was never granted.
    expect(differences).toContain(`organisation ${ORG}: MembershipRevoked at 6 revokes a pseudonym that is not a current member`);
  });

  it('names an entry of a type the run never appends', () => {
    const log = [...validLog(), { index: 13, type: 'ServiceRegistered', body: { clientId: 'x' } }];
    expect(checkRegistryEntries(expected, log)).toEqual(['1 ServiceRegistered entries in the log, 0 expected']);
  });

  it('names a registration whose public facts differ', () => {
    expect(checkRegistryEntries(expected, mutated('OrganisationRegistered', withBody({ charityNumber: '1123456' })))).toEqual([
      `organisation ${ORG}: charityNumber is "1123456" in the log, "1123456-1" expected`,
    ]);
  });

  it('names status changes in another order, and a grant while the organisation is suspended', () => {
    const log = validLog();
    const [grant] = log.splice(6, 1);
    log.splice(8, 0, grant!); // the second grant after the suspension
    const differences = checkRegistryEntries(expected, log.map((e, index) => ({ ...e, index })));
    expect(differences).toContain(`organisation ${ORG}: MembershipGranted at 8 while the organisation is suspended`);
    const swapped = mutated('OrganisationStatusChanged', withBody({ status: 'closed' }), 1);
    expect(checkRegistryEntries(expected, swapped)).toContain(`organisation ${ORG}: status changes [suspended, closed] in the log, [suspended, active] expected`);
  });

  it('names an appointment accepted by someone else, ended by the other side, or with other purposes', () => {
    expect(checkRegistryEntries(expected, mutated('AppointmentAccepted', withBody({ representative: pseudonym(5) })))).toEqual([
      `appointment ${APPOINTMENT}: accepted at 11 by a pseudonym that is not the representative AppointmentMade names`,
    ]);
    expect(checkRegistryEntries(expected, mutated('AppointmentEnded', withBody({ endedBy: 'appointer' })))).toEqual([
      `appointment ${APPOINTMENT}: ended by the appointer in the log, by the representative expected`,
    ]);
    expect(checkRegistryEntries(expected, mutated('AppointmentMade', withBody({ purposes: ['report-repairs'] })))).toEqual([
      `appointment ${APPOINTMENT}: purposes [report-repairs] in the log, [receive-correspondence, report-repairs] expected`,
    ]);
  });

  it('names entries about an organisation or an appointment the run did not make', () => {
    const stranger = '6f1c2a3b-0000-4000-8000-0000000000ff';
    const log = [...validLog(), { index: 13, type: 'AppointmentEnded', body: { appointmentId: stranger, endedBy: 'appointer', at } }];
    expect(checkRegistryEntries(expected, log)).toEqual([
      '2 AppointmentEnded entries in the log, 1 expected',
      `AppointmentEnded at 13 names appointment ${stranger}, which the simulation did not make`,
    ]);
  });
});

describe('personal data in entries', () => {
  const data = {
    words: new Map([
      ['amira', 'a given name'],
      ['patel', 'a family name'],
      ['res-000001', 'an elector number'],
      ['1984-03-12', 'a date of birth'],
    ]),
    phrases: new Map([['db1 1aa', 'a postcode']]),
  };

  it('finds a name, an elector number, a date of birth or a postcode anywhere in a body, whatever the case', () => {
    const entries: LogEntry[] = [
      { index: 7, type: 'OrganisationRegistered', body: { legalName: 'AMIRA PATEL Plumbing', nested: { list: ['born 1984-03-12', 'res-000001'] } } },
      { index: 8, type: 'MembershipGranted', body: { roles: ['member'], note: 'Castleton DB1 1AA' } },
    ];
    expect(findPersonalData(entries, data)).toEqual([
      'OrganisationRegistered at 7 holds "amira" (a given name)',
      'OrganisationRegistered at 7 holds "patel" (a family name)',
      'OrganisationRegistered at 7 holds "1984-03-12" (a date of birth)',
      'OrganisationRegistered at 7 holds "res-000001" (an elector number)',
      'MembershipGranted at 8 holds "db1 1aa" (a postcode)',
    ]);
  });

  it('finds nothing in pseudonyms, ids, dates and words that only contain a name', () => {
    const entries = validLog().concat([{ index: 13, type: 'OrganisationRegistered', body: { legalName: 'Patelford Amiras Ltd', at: '1984-03-12T00:00:00.000Z', id: 'res-0000012' } }]);
    expect(findPersonalData(entries, data)).toEqual([]);
  });
});

describe('an organisation’s public page compared with the run', () => {
  const log = validLog();
  const entryAt = (index: number) => log[index];
  const page: OrganisationPublicPage = {
    id: ORG,
    kind: 'charity',
    legalName: 'Keepford Food Bank',
    companyNumber: null,
    charityNumber: '1123456-1',
    status: 'active',
    currentMembers: 1,
    history: [
      { type: 'OrganisationRegistered', status: 'active', at, ledgerIndex: '4' },
      { type: 'OrganisationStatusChanged', status: 'suspended', at, ledgerIndex: '8' },
      { type: 'OrganisationStatusChanged', status: 'active', at, ledgerIndex: '9' },
    ],
  };

  it('finds no difference on a page that shows the run', () => {
    expect(checkPublicPage(expected.organisations[0]!, page, entryAt)).toEqual([]);
  });

  it('names a wrong member count, a missing change and a row pointing at another entry', () => {
    const wrong = { ...page, currentMembers: 2, history: [page.history[0]!, { ...page.history[1]!, ledgerIndex: '5' }] };
    expect(checkPublicPage(expected.organisations[0]!, wrong, entryAt)).toEqual([
      `organisation ${ORG}'s public page: history [active, suspended], [active, suspended, active] expected`,
      `organisation ${ORG}'s public page: history row 2 (OrganisationStatusChanged, suspended) points at registry entry 5, which is MembershipGranted of ${ORG}`,
      `organisation ${ORG}'s public page: 2 current members, 1 expected`,
    ]);
  });
});
