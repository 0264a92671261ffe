/**
 * The organisations simulator (docs/simulator.md, "Organisations"; issue #17): a council's register of
 * organisations and its residents' appointments at scale, through the real API as real clients make
 * them — a council administrator registers organisations of every kind and invites each one's first
 * administrator, who joins with a passkey and invites members with roles (people with passkeys, and
 * residents who join with their Townhall account); residents enrolled with their poll cards appoint
 * one another for named purposes until an end date, the representatives accept, some appointments are
 * ended by either side; some members are removed, some organisations suspended, reinstated or closed.
 * Then the registry log is audited (apps/auditor) and checked entry by entry against the run, no entry
 * may hold a simulated person's personal data, and each organisation's public page must show its
 * status history and member count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  ADMINISTRATOR_ROLE,
  APPOINTMENT_PURPOSES,
  AppointmentCode,
  AppointmentSummary,
  EntriesResponse,
  LogSummary,
  MAX_ENTRIES_PER_PAGE,
  OrganisationInvitationCreated,
  OrganisationMemberList,
  OrganisationPublicPage,
  OrganisationSummary,
  type AppointmentPurpose,
  type OrganisationKind,
  type OrganisationStatus,
} from '@townhall/protocol';
import { computeRoot, decodeBase64, encodeHex, verifyChain } from '@townhall/ledger';
import { audit } from '@townhall/auditor';
import { ApiClient, enrolOk, inviteToOrganisation, joinOrganisationWithPasskey, linkToOrganisation, SoftwareAuthenticator } from '@townhall/client-flows';
import { REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { startSimulationServer, type SimulationServer } from './server.ts';
import { DISTRICTS, importRoll, inviteStaff, staffWithPasskey } from './simulation.ts';
import { printPollCards } from './poll-cards.ts';
import { forEachConcurrently } from '../src/common/for-each-concurrently.ts';
import { PhaseLog, type PhaseTiming } from './progress.ts';
import {
  addPersonalData,
  checkPublicPage,
  checkRegistryEntries,
  countByType,
  findPersonalData,
  type ExpectedOrganisation,
  type LogEntry,
  type PersonalData,
} from './organisations-checks.ts';

const DAY = 86_400_000;

// Invented people and places. Names are at least four letters, so that no random base64 of an entry
// (a passkey's public key) holds one by chance; no word of a person's name is a word of an
// organisation's name, a role or a purpose, so that finding one in an entry means a person's data.
const GIVEN_NAMES = [
  'Amira', 'Owen', 'Grace', 'Tomasz', 'Fatima', 'George', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Eleanor', 'Yusuf', 'Siobhan', 'Daniel',
  'Priya', 'Kwame', 'Isla', 'Luca', 'Aisha', 'Bronwen', 'Callum', 'Delphine', 'Emeka', 'Farah', 'Gareth', 'Hamish', 'Ingrid', 'Jasper',
  'Keira', 'Malika', 'Niamh', 'Oluwaseun', 'Pawel', 'Rhiannon', 'Samir', 'Tariq', 'Ursula', 'Vikram', 'Wanjiru', 'Xavier', 'Yasmin',
  'Zofia', 'Anwen', 'Bashir', 'Carys', 'Dmitri', 'Esther', 'Florin', 'Gwen',
];
const FAMILY_NAMES = [
  'Patel', 'Hughes', 'Okafor', 'Nowak', 'Begum', 'Lindqvist', 'Sato', 'Petrov', 'Morgan', 'Boateng', 'Fischer', 'Rahman', 'Kelly',
  'Evans', 'Shah', 'Chen', 'Mensah', 'Campbell', 'Romano', 'Adeyemi', 'Bianchi', 'Cartwright', 'Dlamini', 'Edwards', 'Fitzgerald',
  'Gallagher', 'Hussain', 'Iqbal', 'Jankowski', 'Kowalczyk', 'Llewellyn', 'MacLeod', 'Nakamura', 'Pritchard', 'Quinn', 'Rossi', 'Sharma',
  'Thornton', 'Usman', 'Vaughan', 'Whitfield', 'Young', 'Zielinski', 'Abara', 'Brennan', 'Collins', 'Davies', 'Ferreira', 'Gupta', 'Horvat',
];
const STREETS = ['Keep Lane', 'Moat Street', 'Tower Row', 'North Road', 'Gate Close', 'Quay Side', 'Mill Walk', 'Abbey Court', 'Orchard Way', 'Station Road'];
const PLACES = ['Castleton', 'Northgate', 'Riverside', 'Keepford', 'Millbrook', 'Harbourside', 'Eastfield', 'Westmoor', 'Southbank', 'Oakhurst', 'Ashby', 'Elmstead'];
const TRADE_PARKS = ['Riverside Trade Park', 'Castleton Business Centre', 'Northgate Industrial Estate', 'Eastfield Enterprise Park'];
const ORGANISATION_POSTCODES = ['DB9 1ZA', 'DB9 2ZB', 'DB9 3ZD', 'DB9 4ZE'];

interface Kind {
  kind: OrganisationKind;
  /** Share of organisations of this kind, in per cent. */
  weight: number;
  names: string[];
  suffix: string;
  /** Roles its administrators give the members they invite; a resident role is given to residents, who join with their own account. */
  roles: { roles: string[]; weight: number; isResident?: boolean }[];
}
const KINDS: Kind[] = [
  {
    kind: 'business',
    weight: 35,
    names: ['Bakery', 'Books', 'Cycles', 'Print Works', 'Florist', 'Coffee Roasters', 'Hardware', 'Tailoring'],
    suffix: 'Ltd',
    roles: [{ roles: ['member'], weight: 6 }, { roles: ['finance'], weight: 2 }, { roles: [ADMINISTRATOR_ROLE], weight: 1 }],
  },
  {
    kind: 'contractor',
    weight: 25,
    names: ['Roofing', 'Plumbing', 'Electrical', 'Joinery', 'Glazing', 'Scaffolding', 'Groundworks', 'Decorating'],
    suffix: 'Ltd',
    roles: [{ roles: ['repairs'], weight: 5 }, { roles: ['finance'], weight: 2 }, { roles: ['member'], weight: 2 }, { roles: [ADMINISTRATOR_ROLE, 'repairs'], weight: 1 }],
  },
  {
    kind: 'housing-association',
    weight: 15,
    names: ['Homes', 'Housing Association', 'Housing Co-operative', 'Community Housing'],
    suffix: '',
    roles: [{ roles: ['tenant'], weight: 5, isResident: true }, { roles: ['repairs'], weight: 2 }, { roles: ['finance'], weight: 2 }, { roles: [ADMINISTRATOR_ROLE], weight: 1 }],
  },
  {
    kind: 'charity',
    weight: 20,
    names: ['Food Bank', 'Youth Club', 'Community Garden', 'Befriending Service', 'Advice Centre', 'Carers Network'],
    suffix: '',
    roles: [{ roles: ['volunteer'], weight: 5, isResident: true }, { roles: ['trustee'], weight: 2 }, { roles: [ADMINISTRATOR_ROLE, 'trustee'], weight: 1 }],
  },
  {
    kind: 'council',
    weight: 5,
    names: ['Parish Council', 'Town Council'],
    suffix: '',
    roles: [{ roles: ['member'], weight: 4 }, { roles: [ADMINISTRATOR_ROLE], weight: 1 }],
  },
];
/** What happens to an organisation whose status changes: suspended; suspended then reinstated; suspended then closed. */
const STATUS_CHANGES: OrganisationStatus[][] = [['suspended'], ['suspended', 'active'], ['suspended', 'closed']];
const PURPOSES = Object.keys(APPOINTMENT_PURPOSES) as AppointmentPurpose[];

export interface OrganisationsOptions {
  organisations: number;
  /** Members each organisation grows to, its first administrator included. */
  members: number;
  /** Electors on the roll, every one enrolled with their poll card. */
  residents: number;
  appointments: number;
  /** Share of organisations whose status changes (suspended; or suspended, then reinstated or closed). */
  suspendRate: number;
  /** Share of invited members that an administrator removes again. */
  revokeRate: number;
  /** Share of appointments ended afterwards, by the appointer or the representative (at random). */
  endRate: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency: number;
  databaseUrl?: string;
  log?: (line: string) => void;
  /**
   * Called before the checks: the tests use it to append an entry of their own and prove the checks
   * catch it.
   */
  beforeCheck?: (context: { server: SimulationServer; residents: readonly SimulatedResident[] }) => Promise<void>;
}

export interface OrganisationsReport {
  seed: number;
  organisations: { registered: number; byKind: Partial<Record<OrganisationKind, number>>; suspended: number; reinstated: number; closed: number };
  residents: number;
  memberships: { granted: number; persons: number; residents: number; revoked: number; current: number };
  appointments: { made: number; accepted: number; endedByAppointer: number; endedByRepresentative: number };
  registry: {
    entries: number;
    byType: Record<string, number>;
    /** The auditor verified the published checkpoint (log signature, witness cosignatures), the hash chain and the tree. */
    isVerified: boolean;
    rootHash: string;
    cosigners: string[];
    failure?: string;
  };
  pagesChecked: number;
  /** What the API, the log or a public page showed that differs from the run. */
  differences: string[];
  /** Entries holding a simulated person's personal data. */
  personalData: string[];
  isCorrect: boolean;
  timings: PhaseTiming[];
  totalMs: number;
}

export interface SimulatedResident {
  electorNumber: string;
  givenName: string;
  familyName: string;
  address: string;
  postcode: string;
  dateOfBirth: string;
  district: string;
}

interface PlannedMember {
  displayName: string;
  roles: string[];
  /** The resident who joins with their own account; none: a new person with a passkey. */
  resident?: number;
  isRevoked: boolean;
}

interface PlannedOrganisation {
  kind: OrganisationKind;
  legalName: string;
  /** As the council administrator types them (case and spaces as on the paperwork). */
  companyNumber: string | null;
  charityNumber: string | null;
  address: string;
  /** The first is its first administrator, invited by the council. */
  members: PlannedMember[];
  statuses: OrganisationStatus[];
}

interface PlannedAppointment {
  appointer: number;
  representative: number;
  purposes: AppointmentPurpose[];
  endsOn: string;
  endedBy: 'appointer' | 'representative' | null;
}

interface Plan {
  residents: SimulatedResident[];
  organisations: PlannedOrganisation[];
  appointments: PlannedAppointment[];
}

const isoDate = (instant: number) => new Date(instant).toISOString().slice(0, 10);
const normalisedCompanyNumber = (typed: string | null) => typed && typed.toUpperCase().replace(/\s+/g, '');

type PlanOptions = Pick<OrganisationsOptions, 'organisations' | 'members' | 'residents' | 'appointments' | 'suspendRate' | 'revokeRate' | 'endRate' | 'seed'>;

/** The whole run, drawn from the seed before any request: who, which organisations, which roles, which appointments. */
function planRun(options: PlanOptions, today: number): Plan {
  const rng = xoroshiro128plus(options.seed);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const pickOne = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const weighted = <T extends { weight: number }>(items: readonly T[]) => {
    let roll = int(0, items.reduce((n, i) => n + i.weight, 0) - 1);
    return items.find((i) => (roll -= i.weight) < 0)!;
  };
  /** `count` distinct indices in [0, n). */
  const pick = (n: number, count: number) => {
    const pool = Array.from({ length: n }, (_, i) => i);
    return new Set(Array.from({ length: Math.min(count, n) }, () => pool.splice(int(0, pool.length - 1), 1)[0]!));
  };

  const residents: SimulatedResident[] = Array.from({ length: options.residents }, (_, i) => {
    const district = DISTRICTS[i % DISTRICTS.length]!;
    return {
      electorNumber: `RES-${String(i + 1).padStart(6, '0')}`,
      givenName: pickOne(GIVEN_NAMES),
      familyName: pickOne(FAMILY_NAMES),
      address: `${int(1, 120)} ${pickOne(STREETS)}`,
      postcode: pickOne(district.postcodes),
      dateOfBirth: `${int(1940, 2006)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
      district: district.code,
    };
  });
  const nameOf = (r: SimulatedResident) => `${r.givenName} ${r.familyName}`;

  // Registration numbers: one serial per organisation, so no two share a number whatever the format.
  const firstSerial = int(100_000, 400_000);
  const organisations: PlannedOrganisation[] = Array.from({ length: options.organisations }, (_, i) => {
    const kind = weighted(KINDS);
    const serial = firstSerial + i;
    const six = String(serial).padStart(6, '0');
    // Some numbers are typed as printed on letters (lower case, a space): the register normalises them.
    const typed = (prefix: string) => (int(0, 4) === 0 ? `${prefix.toLowerCase()} ${six}` : `${prefix}${six}`);
    const numbers: Pick<PlannedOrganisation, 'companyNumber' | 'charityNumber'> =
      kind.kind === 'business' ? { companyNumber: int(0, 5) === 0 ? typed('SC') : String(serial).padStart(8, '0'), charityNumber: null }
      : kind.kind === 'contractor' ? { companyNumber: int(0, 4) === 0 ? typed('OC') : String(serial).padStart(8, '0'), charityNumber: null }
      // A housing association is a registered society (RS) or a company.
      : kind.kind === 'housing-association' ? { companyNumber: int(0, 1) === 0 ? typed('RS') : String(serial).padStart(8, '0'), charityNumber: null }
      // A charity has a charity number (a linked charity's with -N); a charitable company has a company number too.
      : kind.kind === 'charity' ? { charityNumber: `${1_000_000 + serial}${int(0, 4) === 0 ? `-${int(1, 3)}` : ''}`, companyNumber: int(0, 1) === 0 ? String(serial).padStart(8, '0') : null }
      : { companyNumber: null, charityNumber: null };
    const legalName = [pickOne(PLACES), pickOne(kind.names), kind.suffix].filter(Boolean).join(' ');
    const taken = new Set<string>();
    const personName = () => {
      for (;;) {
        const name = `${pickOne(GIVEN_NAMES)} ${pickOne(FAMILY_NAMES)}`;
        if (taken.has(name)) continue;
        taken.add(name);
        return name;
      }
    };
    // Display names are unique in an organisation: its administrators tell members apart by them.
    const members: PlannedMember[] = [{ displayName: personName(), roles: [ADMINISTRATOR_ROLE], isRevoked: false }];
    const joined = new Set<number>();
    for (let m = 1; m < options.members; m++) {
      const { roles, isResident } = weighted(kind.roles);
      const candidates = isResident ? residents.map((_, r) => r).filter((r) => !joined.has(r) && !taken.has(nameOf(residents[r]!))) : [];
      if (candidates.length > 0) {
        const resident = pickOne(candidates);
        joined.add(resident);
        taken.add(nameOf(residents[resident]!));
        members.push({ displayName: nameOf(residents[resident]!), roles: [...roles].sort(), resident, isRevoked: false });
      } else {
        members.push({ displayName: personName(), roles: [...roles].sort(), isRevoked: false });
      }
    }
    const address = `Unit ${int(1, 40)}, ${pickOne(TRADE_PARKS)}, ${pickOne(PLACES)} ${pickOne(ORGANISATION_POSTCODES)}`;
    return { kind: kind.kind, legalName, ...numbers, address, members, statuses: [] };
  });

  // Members removed again (never an organisation's first administrator, who removes them).
  const invited = organisations.flatMap((o) => o.members.slice(1));
  for (const m of pick(invited.length, Math.round(invited.length * options.revokeRate))) invited[m]!.isRevoked = true;
  for (const o of pick(organisations.length, Math.round(organisations.length * options.suspendRate))) organisations[o]!.statuses = pickOne(STATUS_CHANGES);

  // Appointments between distinct ordered pairs of residents (one at a time between the same two).
  const pairs = new Set<string>();
  const appointments: PlannedAppointment[] = [];
  while (appointments.length < options.appointments) {
    const appointer = int(0, options.residents - 1);
    const other = int(0, options.residents - 2);
    const representative = other >= appointer ? other + 1 : other;
    if (pairs.has(`${appointer}>${representative}`)) continue;
    pairs.add(`${appointer}>${representative}`);
    const mask = int(1, 2 ** PURPOSES.length - 1);
    appointments.push({
      appointer,
      representative,
      purposes: PURPOSES.filter((_, bit) => mask & (1 << bit)).sort(),
      endsOn: isoDate(today + int(30, 5 * 365) * DAY),
      endedBy: null,
    });
  }
  for (const a of pick(appointments.length, Math.round(appointments.length * options.endRate))) appointments[a]!.endedBy = int(0, 1) === 0 ? 'appointer' : 'representative';
  return { residents, organisations, appointments };
}

/**
 * The personal data of everyone the run made up: the residents' roll entries and the members' names
 * (every name is drawn from GIVEN_NAMES and FAMILY_NAMES), and the words of the addresses.
 */
function personalDataOf(plan: Plan): PersonalData {
  const words = new Map<string, string>();
  const phrases = new Map<string, string>();
  for (const r of plan.residents) {
    addPersonalData(words, r.electorNumber, 'an elector number');
    addPersonalData(words, r.dateOfBirth, `the date of birth of ${r.electorNumber}`);
  }
  for (const name of GIVEN_NAMES) addPersonalData(words, name, 'a given name of a resident or member');
  for (const name of FAMILY_NAMES) addPersonalData(words, name, 'a family name of a resident or member');
  for (const postcode of DISTRICTS.flatMap((d) => d.postcodes)) addPersonalData(phrases, postcode, 'a resident’s postcode');
  for (const street of STREETS) addPersonalData(phrases, street, 'a resident’s street');
  // Not personal, but kept in the council's register only (docs/organisations.md §2.2).
  for (const part of [...TRADE_PARKS, ...ORGANISATION_POSTCODES]) addPersonalData(phrases, part, 'part of an organisation’s address');
  return { words, phrases };
}

function rollCsv(residents: readonly SimulatedResident[]): string {
  const lines = residents.map((r) => [r.electorNumber, r.givenName, r.familyName, `"${r.address}"`, r.postcode, r.dateOfBirth, r.district].join(','));
  return ['elector_number,given_name,family_name,address,postcode,date_of_birth,district', ...lines].join('\r\n') + '\r\n';
}

/** Runs `body` for one key at a time (a representative holds one appointment code at a time: a new one replaces the last). */
function oneAtATime() {
  const queues = new Map<number, Promise<unknown>>();
  return async <T>(key: number, body: () => Promise<T>): Promise<T> => {
    const before = queues.get(key) ?? Promise.resolve();
    const run = before.then(body, body);
    queues.set(key, run.catch(() => undefined));
    return run;
  };
}

export async function runOrganisationsSimulation(options: OrganisationsOptions): Promise<OrganisationsReport> {
  if (options.appointments > 0 && options.appointments > options.residents * (options.residents - 1)) {
    throw new Error(`${options.appointments} appointments need more residents: ${options.residents} make at most ${options.residents * (options.residents - 1)} pairs`);
  }
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const phases = new PhaseLog(log);
  const plan = planRun(options, Date.now());
  const differences: string[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), 'townhall-sim-audit-'));
  let server: SimulationServer | undefined;
  try {
    server = await phases.run('server', 1, async (phase) => {
      const started = await startSimulationServer({ ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
      phase.tick();
      return started;
    });
    const s = server;
    const newClient = async () => {
      const client = new ApiClient(s.baseUrl, s.publicUrl);
      await client.session();
      return { client, authenticator: new SoftwareAuthenticator(s.publicUrl) };
    };

    // ---- the council's staff: an administrator (the one-time link `npm run admin:invite` prints), who invites the electoral registration officer
    const { admin, officer } = await phases.run('staff', 2, async (phase) => {
      const admin = (await staffWithPasskey(s, await s.adminInvitation())).client;
      phase.tick();
      const officer = (await staffWithPasskey(s, await inviteStaff(admin, { role: 'officer', displayName: 'Simulated electoral registration officer' }))).client;
      phase.tick();
      return { admin, officer };
    });

    // ---- the roll, its poll cards, and every resident enrolled with theirs
    await phases.run('roll import', plan.residents.length, async (phase) => {
      const applied = await importRoll(officer, rollCsv(plan.residents));
      if (applied.electorCount !== plan.residents.length) throw new Error(`the roll has ${applied.electorCount} electors, expected ${plan.residents.length}`);
      phase.tick(plan.residents.length);
    });
    const codes = new Map<string, string>();
    await phases.run('poll cards', plan.residents.length, async (phase) => {
      for (const district of DISTRICTS) {
        for await (const card of printPollCards(officer, district.code)) {
          codes.set(card.electorNumber, card.activationCode);
          phase.tick();
        }
      }
    });
    const residents: ApiClient[] = new Array(plan.residents.length);
    let enrolled = 0;
    await phases.run('enrolment', plan.residents.length, (phase) =>
      forEachConcurrently(plan.residents, options.concurrency, async (r, i) => {
        const activationCode = codes.get(r.electorNumber);
        if (!activationCode) throw new Error(`elector ${r.electorNumber} got no poll card`);
        const { client, authenticator } = await newClient();
        await enrolOk(client, authenticator, { activationCode, postcode: r.postcode });
        residents[i] = client;
        enrolled += 1;
        phase.tick();
      }),
    );

    // ---- organisations: registered by the council administrator; each one's first administrator joins by the council's invitation
    const registered: { id: string; administrator?: ApiClient; granted: string[][]; revoked: number }[] = new Array(plan.organisations.length);
    await phases.run('organisations registered', plan.organisations.length, (phase) =>
      forEachConcurrently(plan.organisations, options.concurrency, async (o, i) => {
        const body = { kind: o.kind, legalName: o.legalName, companyNumber: o.companyNumber, charityNumber: o.charityNumber, address: o.address };
        const summary = OrganisationSummary.parse(await admin.json(admin.post('/api/official/organisations', body), 201));
        if (summary.companyNumber !== normalisedCompanyNumber(o.companyNumber)) differences.push(`organisation ${summary.id}: registered with company number ${summary.companyNumber}, typed ${o.companyNumber}`);
        registered[i] = { id: summary.id, granted: [], revoked: 0 };
        phase.tick();
      }),
    );
    let firstAdministrators = 0;
    await phases.run('first administrators joined', plan.organisations.length, (phase) =>
      forEachConcurrently(plan.organisations, options.concurrency, async (o, i) => {
        const organisation = registered[i]!;
        const [first] = o.members;
        const invitation = OrganisationInvitationCreated.parse(
          await admin.json(admin.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName: first!.displayName }), 201),
        );
        const { client, authenticator } = await newClient();
        await joinOrganisationWithPasskey(client, authenticator, invitation.url.split('/').pop()!);
        organisation.administrator = client;
        organisation.granted.push(first!.roles);
        firstAdministrators += 1;
        phase.tick();
      }),
    );

    // ---- members: each invited by the organisation's administrator; a new person joins with a passkey, a resident with their own account
    const invitations = plan.organisations.flatMap((o, i) => o.members.slice(1).map((member) => ({ member, organisation: registered[i]! })));
    let personsJoined = 0;
    let residentsJoined = 0;
    await phases.run('members joined', invitations.length, (phase) =>
      forEachConcurrently(invitations, options.concurrency, async ({ member, organisation }) => {
        const token = await inviteToOrganisation(organisation.administrator!, organisation.id, member.displayName, member.roles);
        if (member.resident === undefined) {
          const { client, authenticator } = await newClient();
          await joinOrganisationWithPasskey(client, authenticator, token);
          personsJoined += 1;
        } else {
          const joined = await linkToOrganisation(residents[member.resident]!, token);
          if (joined.organisation.id !== organisation.id || joined.roles.join() !== member.roles.join()) {
            differences.push(`organisation ${organisation.id}: a resident joined ${joined.organisation.id} with roles [${joined.roles.join(', ')}], invited with [${member.roles.join(', ')}]`);
          }
          residentsJoined += 1;
        }
        organisation.granted.push(member.roles);
        phase.tick();
      }),
    );

    // ---- removals: the administrator finds each member by name in the member list and removes them
    const revoking = plan.organisations.map((o, i) => ({ plan: o, organisation: registered[i]! })).filter(({ plan: o }) => o.members.some((m) => m.isRevoked));
    await phases.run('memberships revoked', invitations.filter(({ member }) => member.isRevoked).length, (phase) =>
      forEachConcurrently(revoking, options.concurrency, async ({ plan: o, organisation }) => {
        const administrator = organisation.administrator!;
        const { members } = OrganisationMemberList.parse(await administrator.json(administrator.get(`/api/organisations/${organisation.id}/members`)));
        const byName = new Map(members.map((m) => [m.displayName, m]));
        const shown = o.members.filter((m) => byName.get(m.displayName)?.roles.join() === m.roles.join()).length;
        if (members.length !== o.members.length || shown !== o.members.length) {
          differences.push(`organisation ${organisation.id}: its administrator sees ${members.length} members (${shown} as invited), ${o.members.length} expected`);
        }
        for (const member of o.members.filter((m) => m.isRevoked)) {
          const id = byName.get(member.displayName)?.id;
          if (!id) throw new Error(`organisation ${organisation.id}: ${member.displayName} is not in the member list`);
          await administrator.json(administrator.post(`/api/organisations/${organisation.id}/members/${id}/remove`), 204);
          organisation.revoked += 1;
          phase.tick();
        }
      }),
    );

    // ---- status changes by the council administrator; the organisation's administrator then finds its members' page open or closed to them
    const changing = plan.organisations.map((o, i) => ({ plan: o, organisation: registered[i]! })).filter(({ plan: o }) => o.statuses.length > 0);
    await phases.run('status changes', changing.reduce((n, { plan: o }) => n + o.statuses.length, 0), (phase) =>
      forEachConcurrently(changing, options.concurrency, async ({ plan: o, organisation }) => {
        for (const status of o.statuses) {
          const summary = OrganisationSummary.parse(await admin.json(admin.post(`/api/official/organisations/${organisation.id}/status`, { status })));
          if (summary.status !== status) differences.push(`organisation ${organisation.id}: ${summary.status} after the change to ${status}`);
          phase.tick();
        }
        const final = o.statuses.at(-1)!;
        const response = await organisation.administrator!.get(`/api/organisations/${organisation.id}/members`);
        const answer = response.status === 200 ? '200' : `${response.status} ${(await ApiClient.errorCode(response)).code}`;
        const expected = final === 'active' ? '200' : '403 ORGANISATION_NOT_ACTIVE';
        if (answer !== expected) differences.push(`organisation ${organisation.id} is ${final}: its administrator's member list answered ${answer}, ${expected} expected`);
      }),
    );

    // ---- appointments: the representative makes a one-time code and gives it to the appointer, who appoints them; the representative accepts
    const made: { id: string; plan: PlannedAppointment }[] = [];
    let accepted = 0;
    const withRepresentative = oneAtATime();
    await phases.run('appointments made and accepted', plan.appointments.length, (phase) =>
      forEachConcurrently(plan.appointments, options.concurrency, async (a) => {
        const appointer = residents[a.appointer]!;
        const representative = residents[a.representative]!;
        const appointment = await withRepresentative(a.representative, async () => {
          const { code } = AppointmentCode.parse(await representative.json(representative.post('/api/account/appointment-code')));
          return AppointmentSummary.parse(await appointer.json(appointer.post('/api/appointments', { representativeCode: code, purposes: a.purposes, endsOn: a.endsOn }), 201));
        });
        made.push({ id: appointment.id, plan: a });
        const answer = AppointmentSummary.parse(await representative.json(representative.post(`/api/appointments/${appointment.id}/accept`)));
        if (answer.state === 'active') accepted += 1;
        else differences.push(`appointment ${appointment.id} is ${answer.state} once accepted`);
        phase.tick();
      }),
    );
    const ending = made.filter((a) => a.plan.endedBy);
    const endedBy = { appointer: 0, representative: 0 };
    await phases.run('appointments ended', ending.length, (phase) =>
      forEachConcurrently(ending, options.concurrency, async ({ id, plan: a }) => {
        const side = a.endedBy!;
        const client = residents[side === 'appointer' ? a.appointer : a.representative]!;
        const ended = AppointmentSummary.parse(await client.json(client.post(`/api/appointments/${id}/end`)));
        if (ended.state === 'ended') endedBy[side] += 1;
        else differences.push(`appointment ${id} is ${ended.state} once ended`);
        phase.tick();
      }),
    );

    await options.beforeCheck?.({ server: s, residents: plan.residents });

    // ---- checks, as an observer would make them: the registry log from its public API, then each public page
    const logSize = await phases.run('checkpoint', 1, async (phase) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const state = LogSummary.parse(await (await fetch(`${s.baseUrl}/api/ledger/${REGISTRY_LOG}`)).json());
        if (state.published?.size === state.size) {
          phase.tick();
          return Number(state.size);
        }
        if (Date.now() > deadline) throw new Error(`no published checkpoint covers the registry log (size ${state.size}, published ${state.published?.size ?? 'none'})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    const expectedOrganisations: ExpectedOrganisation[] = plan.organisations.map((o, i) => ({
      id: registered[i]!.id,
      kind: o.kind,
      legalName: o.legalName,
      companyNumber: normalisedCompanyNumber(o.companyNumber),
      charityNumber: o.charityNumber,
      statuses: o.statuses,
      granted: registered[i]!.granted,
      revoked: registered[i]!.revoked,
    }));
    const expected = {
      electors: plan.residents.length,
      enrolled: plan.residents.length,
      organisations: expectedOrganisations,
      appointments: made.map(({ id, plan: a }) => ({ id, purposes: a.purposes, endsOn: a.endsOn, isAccepted: true, endedBy: a.endedBy })),
    };
    const registry = await phases.run('registry audited', logSize, async (phase) => {
      const summary = await audit({ baseUrl: `${s.baseUrl}/api/ledger/${REGISTRY_LOG}`, stateDir }).catch((error: unknown) => error as Error);
      const entries: LogEntry[] = [];
      const bytes: Uint8Array[] = [];
      const size = summary instanceof Error ? Number(LogSummary.parse(await (await fetch(`${s.baseUrl}/api/ledger/${REGISTRY_LOG}`)).json()).published?.size ?? 0) : Number(summary.size);
      while (bytes.length < size) {
        const page = EntriesResponse.parse(await (await fetch(`${s.baseUrl}/api/ledger/${REGISTRY_LOG}/entries?start=${bytes.length}&end=${Math.min(size, bytes.length + MAX_ENTRIES_PER_PAGE)}`)).json());
        if (page.entries.length === 0) throw new Error(`the registry log answered no entries from ${bytes.length}`);
        bytes.push(...page.entries.map((e) => decodeBase64(e.bytes)!));
      }
      // The entries read here are the ones the auditor verified: they hash to the checkpoint's root.
      let failure = summary instanceof Error ? `${summary.name}: ${summary.message}` : undefined;
      try {
        const chain = verifyChain(bytes);
        chain.entries.forEach((entry, index) => entries.push({ index, type: entry.type, body: entry.body as Record<string, unknown> }));
        const root = encodeHex(computeRoot(chain.leafHashes));
        if (!(summary instanceof Error) && root !== summary.rootHash) failure ??= `the entries read hash to ${root}, the audited checkpoint's root is ${summary.rootHash}`;
      } catch (error) {
        failure ??= `the entries read do not verify: ${(error as Error).message}`;
      }
      phase.tick(entries.length);
      return {
        entries,
        audit: {
          entries: entries.length,
          byType: countByType(entries),
          isVerified: failure === undefined,
          rootHash: summary instanceof Error ? '' : summary.rootHash,
          cosigners: summary instanceof Error ? [] : [...summary.cosigners],
          ...(failure ? { failure } : {}),
        },
      };
    });
    differences.push(...checkRegistryEntries(expected, registry.entries));
    const personalData = findPersonalData(registry.entries, personalDataOf(plan));

    const byIndex = new Map(registry.entries.map((e) => [e.index, e]));
    await phases.run('public pages', expectedOrganisations.length, (phase) =>
      forEachConcurrently(expectedOrganisations, options.concurrency, async (organisation) => {
        const response = await fetch(`${s.baseUrl}/api/organisations/${organisation.id}/public`);
        if (response.status !== 200) throw new Error(`GET /api/organisations/${organisation.id}/public answered ${response.status}`);
        differences.push(...checkPublicPage(organisation, OrganisationPublicPage.parse(await response.json()), (index) => byIndex.get(index)));
        phase.tick();
      }),
    );

    const finalStatuses = plan.organisations.map((o) => o.statuses.at(-1));
    const granted = registered.reduce((n, o) => n + o.granted.length, 0);
    const revoked = registered.reduce((n, o) => n + o.revoked, 0);
    const byKind: OrganisationsReport['organisations']['byKind'] = {};
    for (const o of plan.organisations) byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
    return {
      seed: options.seed,
      organisations: {
        registered: registered.length,
        byKind,
        suspended: finalStatuses.filter((s) => s === 'suspended').length,
        reinstated: finalStatuses.filter((s) => s === 'active').length,
        closed: finalStatuses.filter((s) => s === 'closed').length,
      },
      residents: enrolled,
      memberships: { granted, persons: firstAdministrators + personsJoined, residents: residentsJoined, revoked, current: granted - revoked },
      appointments: { made: made.length, accepted, endedByAppointer: endedBy.appointer, endedByRepresentative: endedBy.representative },
      registry: registry.audit,
      pagesChecked: expectedOrganisations.length,
      differences,
      personalData,
      isCorrect: registry.audit.isVerified && differences.length === 0 && personalData.length === 0,
      timings: phases.timings,
      totalMs: performance.now() - started,
    };
  } finally {
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
