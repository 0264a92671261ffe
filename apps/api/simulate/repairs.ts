/**
 * The repairs simulator (docs/simulator.md, "Repairs"): a consortium of housing associations and
 * contractors through a simulated contract year over the real API — organisations registered by a
 * council administrator, staff and tenants with software passkeys, one contract per contractor shared
 * by every association, jobs reported, triaged, accepted, booked, completed (a chosen share late,
 * some rejected and done again), confirmed, and monthly payment runs — then every payment checked
 * against a plain recomputation and every contract record against the verifier.
 *
 * The process's clock is simulated (simulated-clock.ts): it starts months in the past and is moved
 * forward hour by hour, so the server stamps each event with the simulated instant.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  ContractDetail,
  OrganisationInvitationCreated,
  OrganisationSummary,
  PaymentRunSummary,
  Repair,
  type ContractTermsInput,
} from '@townhall/protocol';
import { verifyContractRecordSource } from '@townhall/verifier';
import {
  acceptInvitation,
  ApiClient,
  approveContract,
  enrolOk,
  inviteToOrganisation,
  joinOrganisationWithPasskey,
  linkToOrganisation,
  signInOk,
  SoftwareAuthenticator,
} from '@townhall/client-flows';
import { REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { RollService } from '../src/roll/roll.service.ts';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { startSimulationServer, type SimulationServer } from './server.ts';
import { installSimulatedClock } from './simulated-clock.ts';
import { forEachConcurrently } from '../src/common/for-each-concurrently.ts';
import { PhaseLog, type PhaseTiming } from './progress.ts';
import { checkRecordPayments, type PlannedJob } from './repairs-recompute.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A session lasts 8 hours (TOWNHALL_SESSION_MAX_AGE_SECONDS); people sign in again before it ends. */
const SIGN_IN_AGAIN_AFTER_MS = 6 * HOUR;
const TENANTS_PER_ASSOCIATION = 3;
const PRIORITIES = [
  ['emergency', 15],
  ['urgent', 25],
  ['routine', 60],
] as const;
type Priority = (typeof PRIORITIES)[number][0];
/**
 * How long after triage a late job is completed: well past the service level whatever the weekends and
 * bank holidays (24 hours; 3 and 20 working days), so the simulator knows a job is late without
 * computing a deadline. An on-time job is completed within 13 hours of its report, before any deadline.
 */
const LATE_AFTER_TRIAGE_MS: Record<Priority, [number, number]> = { emergency: [30 * HOUR, 60 * HOUR], urgent: [15 * DAY, 20 * DAY], routine: [45 * DAY, 60 * DAY] };

export interface RepairsOptions {
  associations: number;
  contractors: number;
  jobs: number;
  /** Share of jobs completed after their deadline. */
  lateRate: number;
  /** Share of jobs rejected once by the association and completed again. */
  rejectRate: number;
  /** Months over which jobs are reported. */
  months: number;
  seed: number;
  /** Requests in flight at once within a simulated hour. */
  concurrency: number;
  databaseUrl?: string;
  /** Directory for the contract records (`<contractId>.record.jsonl`); none: not written. */
  out?: string;
  log?: (line: string) => void;
  /**
   * Called with each record before it is checked: the tests use it to tamper with the database and
   * prove a difference is caught (answers the record to check, by default the one given).
   */
  beforeCheck?: (context: { server: SimulationServer; contractId: string; record: string }) => Promise<string | void>;
}

export interface RepairsReport {
  seed: number;
  contracts: { contractId: string; jobs: number; payments: number; discounted: number; reducedForLateness: number; paymentRuns: number; entries: number; isRecordValid: boolean; failedChecks: string[]; differences: string[] }[];
  jobs: { planned: number; late: number; rejected: number; confirmed: number };
  orderEvents: number;
  paymentRuns: number;
  simulatedFrom: string;
  simulatedTo: string;
  /** Every payment equals the plain recomputation, every run sums up, every record verifies. */
  isCorrect: boolean;
  timings: PhaseTiming[];
  totalMs: number;
}

export interface Person {
  name: string;
  client: ApiClient;
  authenticator: SoftwareAuthenticator;
  signedInAt: number;
  signingIn?: Promise<void>;
}

export interface Association {
  id: string;
  admin: Person;
  officer: Person;
  finance: Person;
  tenants: Person[];
}

export interface Contract {
  contractId: string;
  log: string;
  terms: ContractTermsInput;
  contractor: { id: string; admin: Person };
}

interface Job extends PlannedJob {
  index: number;
  contract: Contract;
  tenant: Person;
  priority: Priority;
  isRejected: boolean;
  /** The simulated instants of its steps, in order. */
  steps: { at: number; step: Step }[];
}
type Step = 'raise' | 'triage' | 'accept' | 'schedule' | 'complete' | 'reject' | 'confirm';

const monthStart = (instant: number, months = 0) => {
  const d = new Date(instant);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
};
const isoDate = (instant: number) => new Date(instant).toISOString().slice(0, 10);

/** The terms every simulated contract uses: the example terms' rules (bulk tiers, 10 % late → 20 % off). */
export function simulatedTerms(contractId: string, parties: { contractor: string; associations: string[]; host: string }, startDate: string, endDate: string): ContractTermsInput {
  return {
    version: 1,
    contractId,
    revision: 1,
    title: `Responsive repairs, simulated consortium (${contractId})`,
    currency: 'GBP',
    parties: { contractor: parties.contractor, associations: parties.associations, host: { association: parties.host, feePerJobPence: 150 } },
    startDate,
    endDate,
    calendar: 'england-and-wales',
    catalogue: [
      { code: 'TAP-01', description: 'Replace kitchen mixer tap', unitPricePence: 8_517, specification: 'WRAS-approved monobloc mixer' },
      { code: 'MOULD-TREAT', description: 'Mould wash and fungicidal treatment, per room', unitPricePence: 18_750, specification: 'BS 5250 survey first' },
      { code: 'CALLOUT', description: 'Emergency call-out', unitPricePence: 6_000, specification: 'Attend and make safe' },
    ],
    serviceLevels: { emergency: { unit: 'hours', amount: 24 }, urgent: { unit: 'working-days', amount: 3 }, routine: { unit: 'working-days', amount: 20 } },
    bulkDiscount: {
      scope: 'association',
      period: 'contract-year',
      tiers: [
        { fromJob: 1, toJob: 5, discountBasisPoints: 0 },
        { fromJob: 6, toJob: 20, discountBasisPoints: 250 },
        { fromJob: 21, toJob: null, discountBasisPoints: 500 },
      ],
      excludedItemCodes: ['CALLOUT'],
    },
    lateDelivery: { windowMonths: 12, minimumJobs: 5, bands: [{ fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 }] },
    dampAndMould: { emergencyHours: 24, investigationWorkingDays: 10, writtenSummaryWorkingDays: 3, safetyWorkWorkingDays: 5 },
  };
}

export interface ConsortiumOptions {
  associations: number;
  contractors: number;
  /** The contracts' first and last dates on which orders may be raised. */
  startDate: string;
  endDate: string;
  /** The clock people's sessions are measured with (the simulated one, or Date.now). */
  now: () => number;
  phases: PhaseLog;
}

export interface Consortium {
  admin: Person;
  associations: Association[];
  contracts: Contract[];
  /** The person's client, signed in again with their passkey if their session is about to end. */
  signedIn(person: Person): Promise<ApiClient>;
}

/**
 * The consortium through the API: the council administrator (one-time link, passkey) registers the
 * associations and contractors; their administrators join with passkeys; each association's
 * administrator invites a repairs and a finance officer and links tenants from the demo roll; one
 * contract per contractor, hosted by an association, shared by all, approved by every party.
 */
export async function setUpConsortium(server: SimulationServer, options: ConsortiumOptions): Promise<Consortium> {
  const { now, phases, startDate, endDate } = options;
  const newPerson = async (name: string): Promise<Person> => {
    const client = new ApiClient(server.baseUrl, server.publicUrl);
    await client.session();
    return { name, client, authenticator: new SoftwareAuthenticator(server.publicUrl), signedInAt: now() };
  };
  const joinOrganisation = async (name: string, token: string): Promise<Person> => {
    const person = await newPerson(name);
    await joinOrganisationWithPasskey(person.client, person.authenticator, token);
    return person;
  };
  const invite = (by: Person, organisationId: string, displayName: string, roles: string[]) => inviteToOrganisation(by.client, organisationId, displayName, roles);
  
  const admin = await newPerson('Council administrator');
  await acceptInvitation(admin.client, admin.authenticator, (await server.adminInvitation()).split('/').pop()!);
  let companyNumber = 10_000_000;
  const register = async (kind: 'contractor' | 'housing-association', legalName: string) => {
    const body = { kind, legalName, companyNumber: String(companyNumber++), address: '1 Yard Lane, Castleton DB1 9ZZ' };
    const organisation = OrganisationSummary.parse(await admin.client.json(admin.client.post('/api/official/organisations', body), 201));
    const invitation = OrganisationInvitationCreated.parse(
      await admin.client.json(admin.client.post(`/api/official/organisations/${organisation.id}/invitations`, { displayName: `Administrator of ${legalName}` }), 201),
    );
    return { id: organisation.id, admin: await joinOrganisation(`Administrator of ${legalName}`, invitation.url.split('/').pop()!) };
  };
  
  const tenantsEach = Math.min(TENANTS_PER_ASSOCIATION, Math.floor(demoElectors.length / options.associations));
  const associations: Association[] = await phases.run('organisations and staff', options.associations * (3 + tenantsEach) + options.contractors, async (phase) => {
    const made: Association[] = [];
    for (let a = 0; a < options.associations; a++) {
      const { id, admin: associationAdmin } = await register('housing-association', `Simulated Homes ${a + 1}`);
      const officer = await joinOrganisation(`Repairs officer ${a + 1}`, await invite(associationAdmin, id, `Repairs officer ${a + 1}`, ['repairs']));
      const finance = await joinOrganisation(`Finance officer ${a + 1}`, await invite(associationAdmin, id, `Finance officer ${a + 1}`, ['finance']));
      phase.tick(3);
      const tenants: Person[] = [];
      for (let t = 0; t < tenantsEach; t++) {
        // A resident on the roll enrols with their poll card (issued in-process, as printing one
        // would) and links their account to the association as its tenant.
        const [electorNumber, , , , , , dateOfBirth] = demoElectors[a * tenantsEach + t]!;
        const tenant = await newPerson(`Tenant ${electorNumber}`);
        const { card } = await server.app.get(RollService).reissueCard(electorNumber);
        await enrolOk(tenant.client, tenant.authenticator, { activationCode: card.activationCode, dateOfBirth });
        await linkToOrganisation(tenant.client, await invite(associationAdmin, id, `Tenant ${electorNumber}`, ['tenant']));
        tenants.push(tenant);
        phase.tick();
      }
      made.push({ id, admin: associationAdmin, officer, finance, tenants });
    }
    return made;
  });
  
  const contracts: Contract[] = await phases.run('contracts proposed and approved', options.contractors, async (phase) => {
    const made: Contract[] = [];
    for (let c = 0; c < options.contractors; c++) {
      const contractor = await register('contractor', `Simulated Repairs ${c + 1} Ltd`);
      const host = associations[c % associations.length]!;
      const terms = simulatedTerms(`sim-repairs-${c + 1}`, { contractor: contractor.id, associations: associations.map((a) => a.id), host: host.id }, startDate, endDate);
      const detail = ContractDetail.parse(await host.admin.client.json(host.admin.client.post(`/api/organisations/${host.id}/contracts`, { terms }), 201));
      for (const [person, id] of [...associations.map((a) => [a.admin, a.id] as const), [contractor.admin, contractor.id] as const]) {
        await person.client.json(approveContract(person.client, person.authenticator, { organisationId: id, contractId: detail.contractId, revision: 1 }));
      }
      made.push({ contractId: detail.contractId, log: detail.log, terms, contractor });
      phase.tick();
    }
    return made;
  });

  const signedIn = async (person: Person): Promise<ApiClient> => {
    if (now() - person.signedInAt > SIGN_IN_AGAIN_AFTER_MS) {
      person.signingIn ??= (async () => {
        await person.client.session();
        await signInOk(person.client, person.authenticator);
        person.signedInAt = now();
      })().finally(() => (person.signingIn = undefined));
    }
    await person.signingIn;
    return person.client;
  };
  return { admin, associations, contracts, signedIn };
}

export async function runRepairsSimulation(options: RepairsOptions): Promise<RepairsReport> {
  if (options.associations > demoElectors.length) {
    throw new Error(`at most ${demoElectors.length} associations: each needs a tenant from the demo roll`);
  }
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const phases = new PhaseLog(log);
  const rng = xoroshiro128plus(options.seed);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const chance = (p: number) => int(0, 999_999) < Math.round(p * 1_000_000);

  // The simulated time starts on the first of a month early enough for the last late job (reported in
  // the last month, completed up to 60 days later, confirmed two days after) to end before now.
  const start = monthStart(Date.now(), -(options.months + 3)) + 7 * HOUR;
  const clock = installSimulatedClock(start);
  let server: SimulationServer | undefined;
  try {
    server = await startSimulationServer({ ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
    const s = server;
    const { associations, contracts, signedIn } = await setUpConsortium(server, {
      associations: options.associations,
      contractors: options.contractors,
      startDate: isoDate(start),
      endDate: isoDate(monthStart(start, options.months + 1) - DAY),
      now: clock.now,
      phases,
    });

    // ---- the plan: every job's steps at simulated instants
    const lateJobs = new Set(pick(options.jobs, Math.round(options.jobs * options.lateRate), int));
    const rejectedJobs = new Set(pick(options.jobs, Math.round(options.jobs * options.rejectRate), int));
    const firstReport = monthStart(start, 1);
    const reportWindow = monthStart(start, options.months + 1) - firstReport;
    const jobs: Job[] = [];
    for (let index = 0; index < options.jobs; index++) {
      const association = associations[int(0, associations.length - 1)]!;
      const contract = contracts[int(0, contracts.length - 1)]!;
      let roll = int(0, 99);
      const priority = PRIORITIES.find(([, weight]) => (roll -= weight) < 0)![0];
      const itemCode = priority === 'emergency' && chance(0.5) ? 'CALLOUT' : chance(0.2) ? 'MOULD-TREAT' : 'TAP-01';
      const isLate = lateJobs.has(index);
      const isRejected = rejectedJobs.has(index);
      // Reported on a day of the simulated months, between 08:00 and 17:59 UTC.
      const raised = firstReport + int(0, Math.floor(reportWindow / DAY) - 1) * DAY + int(8 * 60, 18 * 60 - 1) * 60_000;
      const triaged = raised + HOUR;
      const steps: Job['steps'] = [
        { at: raised, step: 'raise' },
        { at: triaged, step: 'triage' },
        { at: raised + 2 * HOUR, step: 'accept' },
        { at: raised + 3 * HOUR, step: 'schedule' },
      ];
      const [lateFrom, lateTo] = LATE_AFTER_TRIAGE_MS[priority];
      let completed = isLate ? triaged + int(lateFrom / HOUR, lateTo / HOUR) * HOUR : raised + int(5, 8) * HOUR;
      steps.push({ at: completed, step: 'complete' });
      if (isRejected) {
        steps.push({ at: completed + HOUR, step: 'reject' });
        completed += int(2, isLate ? 48 : 5) * HOUR;
        steps.push({ at: completed, step: 'complete' });
      }
      steps.push({ at: completed + int(1, 48) * HOUR, step: 'confirm' });
      const tenant = association.tenants[int(0, association.tenants.length - 1)]!;
      jobs.push({ index, orderId: '', association: association.id, itemCode, quantity: itemCode === 'MOULD-TREAT' ? int(1, 3) : 1, isLate, isRejected, priority, contract, tenant, steps });
    }
    const byId = new Map(associations.map((a) => [a.id, a]));

    // ---- the simulated months, hour by hour: each hour's steps run concurrently (a job's steps are
    // at least an hour apart, so never two of one job), then the clock moves on to the next hour.
    const hours = new Map<number, { job: Job; step: Step; at: number }[]>();
    for (const job of jobs) {
      for (const { at, step } of job.steps) {
        const steps = hours.get(Math.floor(at / HOUR)) ?? [];
        steps.push({ job, step, at });
        hours.set(Math.floor(at / HOUR), steps);
      }
    }

    const unpaid = new Map<string, number>();
    const unpaidKey = (associationId: string, contractId: string) => `${associationId} ${contractId}`;
    const confirmed = new Map<string, Map<string, PlannedJob>>(contracts.map((c) => [c.contractId, new Map()]));
    let orderEvents = 0;
    let paymentRuns = 0;

    const repairs = (job: Job) => `/api/organisations/${job.association}/repairs`;
    const work = (job: Job) => `/api/organisations/${job.contract.contractor.id}/work-orders/${job.orderId}`;
    const perform = async (job: Job, step: Step, at: number) => {
      const association = byId.get(job.association)!;
      const contractor = job.contract.contractor.admin;
      switch (step) {
        case 'raise': {
          const client = await signedIn(job.tenant);
          const body = { contractId: job.contract.contractId, description: `Simulated job ${job.index + 1}`, location: 'Kitchen', priority: job.priority, hazards: { dampOrMould: false, immediateRisk: false } };
          job.orderId = Repair.parse(await client.json(client.post(repairs(job), body), 201)).orderId;
          break;
        }
        case 'triage': {
          const client = await signedIn(association.officer);
          await client.json(client.post(`${repairs(job)}/${job.orderId}/triage`, { itemCode: job.itemCode, quantity: job.quantity, priority: job.priority, hazard: 'none' }));
          break;
        }
        case 'accept': {
          const client = await signedIn(contractor);
          await client.json(client.post(`${work(job)}/accept`));
          break;
        }
        case 'schedule': {
          // The appointment ends at the (first) completion the plan holds for the job.
          const end = job.steps.find((s) => s.step === 'complete')!.at;
          const client = await signedIn(contractor);
          await client.json(client.post(`${work(job)}/schedule`, { appointmentStart: new Date(Math.max(at, end - 2 * HOUR) + 30 * 60_000).toISOString(), appointmentEnd: new Date(end + HOUR).toISOString() }));
          break;
        }
        case 'complete': {
          const client = await signedIn(contractor);
          await client.json(client.post(`${work(job)}/complete`, { notes: 'Done' }));
          break;
        }
        case 'reject': {
          const client = await signedIn(association.officer);
          await client.json(client.post(`${repairs(job)}/${job.orderId}/reject`, { reason: 'not-fixed', detail: 'Still not working' }));
          break;
        }
        case 'confirm': {
          const client = await signedIn(association.officer);
          await client.json(client.post(`${repairs(job)}/${job.orderId}/confirm`));
          confirmed.get(job.contract.contractId)!.set(job.orderId, job);
          const key = unpaidKey(job.association, job.contract.contractId);
          unpaid.set(key, (unpaid.get(key) ?? 0) + 1);
          break;
        }
      }
      orderEvents += 1;
    };
    const runPayments = async () => {
      for (const association of associations) {
        for (const contract of contracts) {
          const key = unpaidKey(association.id, contract.contractId);
          while ((unpaid.get(key) ?? 0) > 0) {
            const client = await signedIn(association.finance);
            const run = PaymentRunSummary.parse(await client.json(client.post(`/api/organisations/${association.id}/payment-runs`, { contractId: contract.contractId }), 201));
            unpaid.set(key, unpaid.get(key)! - run.payments.length);
            paymentRuns += 1;
          }
        }
      }
    };

    const orderedHours = [...hours.keys()].sort((a, b) => a - b);
    const lastHour = orderedHours.at(-1)!;
    await phases.run('jobs (order events)', jobs.reduce((n, job) => n + job.steps.length, 0), async (phase) => {
      let nextRun = monthStart(firstReport, 1);
      for (const hour of orderedHours) {
        // Each association's finance officer runs the month's payments at midnight on the first of the
        // next month (never later than the hour's steps, whose appointments are booked from their plan).
        while (hour * HOUR >= nextRun) {
          clock.advanceTo(nextRun);
          await runPayments();
          nextRun = monthStart(nextRun, 1);
        }
        clock.advanceTo(hour * HOUR);
        await forEachConcurrently(hours.get(hour)!, options.concurrency, async ({ job, step, at }) => {
          await perform(job, step, at);
          phase.tick();
        });
      }
      clock.advanceTo((lastHour + 1) * HOUR);
      await runPayments();
    });
    const simulatedTo = clock.now();

    // ---- back to the real clock: the records are read and checked as anyone would, later
    clock.restore();
    await phases.run('checkpoints', contracts.length + 1, async (phase) => {
      for (const logName of [...contracts.map((c) => c.log), REGISTRY_LOG]) {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const state = (await (await fetch(`${s.baseUrl}/api/ledger/${logName}`)).json()) as { size: string; published: { size: string } | null };
          if (state.published?.size === state.size) break;
          if (Date.now() > deadline) throw new Error(`no published checkpoint covers ${logName} (size ${state.size}, published ${state.published?.size ?? 'none'})`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        phase.tick();
      }
    });

    const results: RepairsReport['contracts'] = await phases.run('records checked', contracts.length, async (phase) => {
      const checked: RepairsReport['contracts'] = [];
      for (const contract of contracts) {
        const response = await fetch(`${s.baseUrl}/api/contracts/${contract.contractId}/record`);
        if (response.status !== 200) throw new Error(`GET /api/contracts/${contract.contractId}/record answered ${response.status}`);
        let record = await response.text();
        record = (await options.beforeCheck?.({ server: s, contractId: contract.contractId, record })) ?? record;
        if (options.out) {
          mkdirSync(options.out, { recursive: true });
          writeFileSync(join(options.out, `${contract.contractId}.record.jsonl`), record);
        }
        const { payments, discounted, reducedForLateness, paymentRuns: runs, differences } = checkRecordPayments(contract.terms, record, confirmed.get(contract.contractId)!);
        const verified = await verifyContractRecordSource(record);
        checked.push({
          contractId: contract.contractId,
          jobs: jobs.filter((j) => j.contract === contract).length,
          payments,
          discounted,
          reducedForLateness,
          paymentRuns: runs,
          entries: verified.entries,
          isRecordValid: verified.isValid,
          failedChecks: verified.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status}${'message' in c ? ` ${String((c as { message?: unknown }).message)}` : ''}`),
          differences,
        });
        phase.tick();
      }
      return checked;
    });

    return {
      seed: options.seed,
      contracts: results,
      jobs: { planned: jobs.length, late: lateJobs.size, rejected: rejectedJobs.size, confirmed: [...confirmed.values()].reduce((n, m) => n + m.size, 0) },
      orderEvents,
      paymentRuns,
      simulatedFrom: new Date(start).toISOString(),
      simulatedTo: new Date(simulatedTo).toISOString(),
      isCorrect: results.every((r) => r.isRecordValid && r.differences.length === 0),
      timings: phases.timings,
      totalMs: performance.now() - started,
    };
  } finally {
    clock.restore();
    await server?.stop();
  }
}

/** `count` distinct indices in [0, n), chosen with the run's generator. */
function pick(n: number, count: number, int: (min: number, max: number) => number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const chosen: number[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(int(0, pool.length - 1), 1)[0]!);
  return chosen;
}
