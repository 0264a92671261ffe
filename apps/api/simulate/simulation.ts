/**
 * The election simulator's phases. Every step is an HTTP request a real client would make (staff and
 * residents with software passkeys, trustees with @townhall/crypto, ballots encrypted in worker
 * threads), against the real API; activation codes are read back from the printed poll-card PDFs.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Piscina } from 'piscina';
import {
  ElectionDetail,
  MIN_TRUSTEES,
  MIN_TRUSTEE_THRESHOLD,
  RollImportApplied,
  RollImportPreview,
  StaffInvitationCreated,
  TallyState,
  fromHexString,
  type ElectionDraft,
} from '@townhall/protocol';
import type { Choices } from '@townhall/crypto';
import {
  acceptInvitation,
  ApiClient,
  residentClient,
  residentState,
  SoftwareAuthenticator,
  runKeyCeremony,
  tallyAndWait,
  type ObtainCredentialResult,
  type ResidentState,
  type SoftwareTrustee,
} from '@townhall/client-flows';
import { startSimulationServer, type SimulationServer } from './server.ts';
import { printPollCards } from './poll-cards.ts';
import { forEachConcurrently } from '../src/common/for-each-concurrently.ts';
import { PhaseLog, type PhaseTiming } from './progress.ts';
import type { BallotsResult, CastResult, ElectionKeys, EncryptedBallotItem, HeldCredential, PreparedRequest, VoterTask } from './voter-worker.ts';

/** The demo council's districts (the seed creates them; the simulated roll uses all of them). */
export const DISTRICTS = [
  { code: 'CAS', postcodes: ['DB1 1AA', 'DB1 1AB', 'DB1 2AD'] },
  { code: 'NGT', postcodes: ['DB2 2BA', 'DB2 2BB', 'DB2 3BD'] },
  { code: 'RVS', postcodes: ['DB3 3CA', 'DB3 3CB', 'DB3 4CD'] },
] as const;

export interface SetUpOptions {
  /** Electors on the roll; every one enrols with a passkey. */
  voters: number;
  contests: number;
  /** Options per contest (each contest: choose exactly one). */
  options: number;
  /** Key-ceremony trustees (default 3) and the decryption threshold k (default 2). */
  trustees?: number;
  threshold?: number;
  /** Share of electors that obtain a credential and vote (default 0.9). */
  turnout?: number;
  /** HTTP requests in flight at once (default 48). */
  concurrency?: number;
  /** Worker threads for the voters' cryptography (default: one per core), and as many low-priority ones for ballots encrypted ahead. */
  workers?: number;
  /**
   * Ballots (random choices) to encrypt ahead, in low-priority threads, from the end of the key
   * ceremony on, while the server is busy with poll cards, enrolment and credentials (default: one per
   * voter plus 6 %, for the default re-votes and spoils). Casting takes them first; 0 turns it off.
   */
  preEncrypt?: number;
  /** Postgres server for a fresh database (default: temporary PGlite). Ignored with `server`. */
  databaseUrl?: string;
  /** More server configuration (`TOWNHALL_*`) for the server it starts. Ignored with `server`. */
  serverEnv?: Record<string, string>;
  /** An already started simulation server to use instead of starting one. */
  server?: SimulationServer;
  /** Where progress lines go (default: stdout). */
  log?: (line: string) => void;
}

export interface SimulatedVoter {
  electorNumber: string;
  district: string;
  /** Signed-in resident session (cookie and CSRF token). */
  client: ApiClient;
  authenticator: SoftwareAuthenticator;
  /** The unblinded credential and its ballot key, once issued. */
  credential?: HeldCredential;
}

export interface SimulatedElection {
  server: SimulationServer;
  /** True when setUpElection started the server (finish() then stops it). */
  ownsServer: boolean;
  election: ElectionDetail;
  keys: ElectionKeys;
  officer: ApiClient;
  trustees: SoftwareTrustee[];
  /** Every enrolled elector; those that will vote hold a credential. */
  electors: SimulatedVoter[];
  voters: SimulatedVoter[];
  pool: Piscina;
  /** Low-priority threads that fill `stock`. */
  backgroundPool: Piscina;
  /** Ballots encrypted ahead, taken by casting (and prepareBallots) before encrypting on demand. */
  stock: BallotStock;
  concurrency: number;
  phases: PhaseLog;
  log: (line: string) => void;
}

export type Tally = { contestId: string; counts: { optionId: string; count: number }[] }[];

const rate = (n: number, share: number) => (share > 0 && n > 0 ? Math.max(1, Math.round(n * share)) : 0);

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export function simulatedDraft(contests: number, options: number, eligibleDistricts: string[]): ElectionDraft {
  const now = Date.now();
  return {
    title: `Simulated election (${contests} × ${options})`,
    description: 'Made by the Townhall election simulator.',
    contests: Array.from({ length: contests }, (_, c) => ({
      id: `contest-${c + 1}`,
      title: `Contest ${c + 1}`,
      options: Array.from({ length: options }, (_, o) => ({ id: `option-${o + 1}`, label: `Candidate ${String.fromCharCode(65 + (o % 26))}${o >= 26 ? Math.floor(o / 26) : ''}` })),
      minSelections: 1,
      maxSelections: 1,
    })),
    eligibleDistricts,
    // Opened and closed by the official; the schedule only has to lie ahead.
    schedule: { opensAt: new Date(now + 86_400_000).toISOString(), closesAt: new Date(now + 2 * 86_400_000).toISOString() },
  };
}

/** Random choices (one option per contest), skewed so the result is not a tie: option j has weight 1/(j+1). */
export function randomChoices(contests: ElectionDetail['contests']): Choices {
  const choices: Record<string, string[]> = {};
  for (const contest of contests) {
    const weights = contest.options.map((_, j) => 1 / (j + 1));
    let x = Math.random() * weights.reduce((a, b) => a + b, 0);
    let pick = 0;
    while (pick < weights.length - 1 && (x -= weights[pick]!) > 0) pick++;
    choices[contest.id] = [contest.options[pick]!.id];
  }
  return choices;
}

/** The plain tally of the choices that count (one per voter), in manifest order. */
export function tallyChoices(contests: ElectionDetail['contests'], counted: Iterable<Choices>): Tally {
  const counts = new Map(contests.map((c) => [c.id, new Map(c.options.map((o) => [o.id, 0]))]));
  for (const choices of counted) for (const [contestId, picked] of Object.entries(choices)) for (const optionId of picked) counts.get(contestId)!.set(optionId, counts.get(contestId)!.get(optionId)! + 1);
  return contests.map((c) => ({ contestId: c.id, counts: c.options.map((o) => ({ optionId: o.id, count: counts.get(c.id)!.get(o.id)! })) }));
}

function rollCsv(voters: number): { csv: string; electors: { electorNumber: string; district: string; postcode: string }[] } {
  const electors = Array.from({ length: voters }, (_, i) => {
    // Uneven districts, as real wards are: 50 %, 30 %, 20 %.
    const r = (i * 7919) % 10;
    const district = DISTRICTS[r < 5 ? 0 : r < 8 ? 1 : 2];
    return { electorNumber: `SIM-${String(i + 1).padStart(6, '0')}`, district: district.code, postcode: district.postcodes[i % district.postcodes.length]! };
  });
  const lines = electors.map((e, i) => {
    const year = 1940 + (i % 60);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    return [e.electorNumber, `Voter`, `Number ${i + 1}`, `"${i + 1} Simulation Street"`, e.postcode, `${year}-${month}-${day}`, e.district].join(',');
  });
  return { csv: ['elector_number,given_name,family_name,address,postcode,date_of_birth,district', ...lines].join('\r\n') + '\r\n', electors };
}

/** A staff member joins by their one-time invitation link with a software passkey (signed in). */
export async function staffWithPasskey(server: SimulationServer, invitationUrl: string): Promise<{ client: ApiClient; staffId: string }> {
  const client = new ApiClient(server.baseUrl, server.publicUrl);
  await client.session();
  const session = await acceptInvitation(client, new SoftwareAuthenticator(server.publicUrl), invitationUrl.split('/').pop()!);
  return { client, staffId: session.principal.kind === 'staff' ? session.principal.staffId : '' };
}

/** An administrator invites a staff member (`{ role, displayName, electionId? }`): the one-time link. */
export async function inviteStaff(admin: ApiClient, body: Record<string, string>): Promise<string> {
  return StaffInvitationCreated.parse(await admin.json(admin.post('/api/staff/invitations', body), 201)).url;
}

/** An officer uploads a roll (CSV), previews and applies it (RollCommitted). */
export async function importRoll(officer: ApiClient, csv: string): Promise<RollImportApplied> {
  const preview = RollImportPreview.parse(await officer.json(officer.request('POST', '/api/roll/imports', { raw: csv }), 201));
  return RollImportApplied.parse(await officer.json(officer.post(`/api/roll/imports/${preview.importId}/apply`)));
}

function electionKeys(election: ElectionDetail): ElectionKeys {
  return { issuerPublicKey: election.issuerPublicKey!, fingerprint: election.fingerprint!, electionKey: election.electionKey!, contests: election.contests };
}

/**
 * Voters' worker threads, each running up to `tasksPerWorker` voters' conversations at once (they
 * mostly wait for the server); `nice` > 0 lowers their priority (background work on spare CPU).
 */
function newPool(workers: number, tasksPerWorker: number, nice = 0): Piscina {
  return new Piscina({
    filename: new URL('./voter-worker.bootstrap.mjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: tasksPerWorker,
    idleTimeout: 60_000,
    workerData: { nice },
  });
}

const runTask = <T>(pool: Piscina, task: VoterTask): Promise<T> => pool.run(task) as Promise<T>;

/**
 * Ballots encrypted ahead with random choices, as many voters' devices would have them ready: the
 * encryption (ElGamal with proofs, @townhall/crypto, the voter's heaviest step) depends only on the
 * election key and the choices, so it can run in low-priority threads on the CPU the server leaves
 * idle before voting starts. A voter who casts takes one (its choices are the voter's) and signs it
 * with their ballot key; when none is left, the ballot is encrypted on demand.
 */
export class BallotStock {
  readonly #ready: EncryptedBallotItem[] = [];
  #reserved = 0;
  #stopped = false;
  #failure: unknown;
  /** Ballots encrypted ahead so far, and how many were handed out. */
  encrypted = 0;
  taken = 0;
  readonly #done: Promise<void>;

  constructor(pool: Piscina, keys: ElectionKeys, readonly target: number, lanes: number, batch = 8) {
    const lane = async () => {
      while (!this.#stopped && this.#reserved < target) {
        const n = Math.min(batch, target - this.#reserved);
        this.#reserved += n;
        const items = await runTask<EncryptedBallotItem[]>(pool, { kind: 'encrypt', election: keys, choices: Array.from({ length: n }, () => randomChoices(keys.contests)) });
        if (this.#stopped) return;
        this.#ready.push(...items);
        this.encrypted += items.length;
      }
    };
    this.#done = Promise.all(Array.from({ length: target > 0 ? lanes : 0 }, lane)).then(
      () => undefined,
      (error: unknown) => void (this.#failure ??= error),
    );
  }

  /** A ballot encrypted ahead, or undefined when none is ready. */
  take(): EncryptedBallotItem | undefined {
    if (this.#failure) throw this.#failure;
    const item = this.#ready.pop();
    if (item) this.taken++;
    return item;
  }

  /** Stops encrypting more (what is in flight finishes) and drops what was not taken. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
    this.#ready.length = 0;
  }
}

/**
 * Sets up an election as officials, residents and trustees would, up to the point where voting can
 * start: staff with passkeys, a roll of `voters` electors over three districts (CSV import), a poll
 * card and passkey enrolment for each, the election (`contests` × `options`), a `threshold`-of-
 * `trustees` key ceremony, opened by the official; then `turnout` of the electors obtain a credential
 * (fresh ballot key, blinded request, passkey assertion bound to it). Leaves the election OPEN.
 */
export async function setUpElection(options: SetUpOptions): Promise<SimulatedElection> {
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const phases = new PhaseLog(log);
  const concurrency = options.concurrency ?? 48;
  const trusteeCount = options.trustees ?? 3;
  const threshold = options.threshold ?? Math.min(2, trusteeCount);
  const ownsServer = !options.server;
  const server = options.server ?? (await phases.run('server', 1, async (phase) => {
      // Fewer trustees than a real election's minimum are for trying things out: the server must allow it.
      const isBelowMinimum = trusteeCount < MIN_TRUSTEES || threshold < MIN_TRUSTEE_THRESHOLD;
      const env = { ...options.serverEnv, ...(isBelowMinimum ? { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' } : {}) };
      const started = await startSimulationServer({ ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}), env });
      phase.tick();
      return started;
    }));
  const workers = options.workers ?? availableParallelism();
  const pool = newPool(workers, Math.ceil(concurrency / workers));
  const backgroundPool = newPool(workers, 1, 19);
  const stocks: BallotStock[] = [];
  try {
    // ---- staff: the first admin through the admin:invite link, who invites an officer
    const { admin, officer } = await phases.run('staff', 2, async (phase) => {
      const admin = (await staffWithPasskey(server, await server.adminInvitation())).client;
      phase.tick();
      const officer = (await staffWithPasskey(server, await inviteStaff(admin, { role: 'officer', displayName: 'Simulated returning officer' }))).client;
      phase.tick();
      return { admin, officer };
    });

    // ---- the roll: one CSV import, previewed and applied (RollCommitted)
    const roll = rollCsv(options.voters);
    await phases.run('roll import', options.voters, async (phase) => {
      const applied = await importRoll(officer, roll.csv);
      if (applied.electorCount !== options.voters) throw new Error(`the roll has ${applied.electorCount} electors, expected ${options.voters}`);
      phase.tick(options.voters);
    });

    // ---- definition and key ceremony (trustees invited for this election by the admin)
    const created = await phases.run('definition', 1, async (phase) => {
      const draft = simulatedDraft(options.contests, options.options, DISTRICTS.map((d) => d.code));
      const created = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', draft), 201));
      phase.tick();
      return created;
    });
    const trustees = await phases.run('key ceremony', trusteeCount, async (phase) => {
      const members = [];
      for (let i = 1; i <= trusteeCount; i++) members.push(await staffWithPasskey(server, await inviteStaff(admin, { role: 'trustee', displayName: `Simulated trustee ${i}`, electionId: created.id })));
      return runKeyCeremony(officer, created.id, { threshold, trustees: members, onJudged: () => phase.tick() });
    });
    // Ballots are encrypted ahead from now on, in low-priority threads, while the server works.
    const ready = ElectionDetail.parse(await officer.json(officer.get(`/api/elections/${created.id}`)));
    const stock = new BallotStock(backgroundPool, electionKeys(ready), options.preEncrypt ?? Math.ceil(options.voters * (options.turnout ?? 0.9) * 1.06), workers * 2);
    stocks.push(stock);

    // ---- poll cards, then every elector enrols with a software passkey
    const codes = new Map<string, string>();
    await phases.run('poll cards', roll.electors.length, async (phase) => {
      for (const district of DISTRICTS) {
        for await (const card of printPollCards(officer, district.code)) {
          codes.set(card.electorNumber, card.activationCode);
          phase.tick();
        }
      }
      const missing = roll.electors.filter((e) => !codes.has(e.electorNumber));
      if (missing.length > 0) throw new Error(`${missing.length} electors got no poll card (first: ${missing[0]!.electorNumber})`);
    });
    const electors: SimulatedVoter[] = new Array(roll.electors.length);
    await phases.run('enrolment', roll.electors.length, (phase) =>
      forEachConcurrently(roll.electors, concurrency, async (e, i) => {
        const state = await runTask<ResidentState>(pool, { kind: 'enrol', baseUrl: server.baseUrl, publicUrl: server.publicUrl, activationCode: codes.get(e.electorNumber)!, postcode: e.postcode });
        electors[i] = { electorNumber: e.electorNumber, district: e.district, ...residentClient(server.baseUrl, server.publicUrl, state) };
        phase.tick();
      }),
    );

    const election = await phases.run('open', 1, async (phase) => {
      const opened = ElectionDetail.parse(await officer.json(officer.post(`/api/official/elections/${created.id}/open`)));
      if (opened.status !== 'open') throw new Error(`the election is ${opened.status} after opening`);
      phase.tick();
      return opened;
    });
    const keys = electionKeys(election);

    // ---- credentials for the electors who will vote
    const voters = shuffled(electors).slice(0, Math.round(electors.length * (options.turnout ?? 0.9)));
    const sim: SimulatedElection = { server, ownsServer, election, keys, officer, trustees, electors, voters, pool, backgroundPool, stock, concurrency, phases, log };
    await phases.run('credentials', voters.length, (phase) =>
      forEachConcurrently(voters, concurrency, async (voter) => {
        voter.credential = await obtainCredential(sim, voter);
        phase.tick();
      }),
    );
    return sim;
  } catch (error) {
    for (const stock of stocks) await stock.stop();
    await Promise.all([pool.destroy(), backgroundPool.destroy()]);
    if (ownsServer) await server.stop();
    throw error;
  }
}

/**
 * One voter's credential, in a worker thread: challenge, fresh ballot key and blinded request, passkey
 * assertion over it, issuance, unblinding (@townhall/client-flows). The voter's session and passkey counter
 * move on as in a browser.
 */
export async function obtainCredential(sim: SimulatedElection, voter: SimulatedVoter): Promise<HeldCredential> {
  const answer = await runTask<ObtainCredentialResult>(sim.pool, {
    kind: 'obtain-credential',
    baseUrl: sim.server.baseUrl,
    publicUrl: sim.server.publicUrl,
    electionId: sim.election.id,
    resident: residentState(voter.client, voter.authenticator),
  });
  voter.client.cookie = answer.resident.cookie;
  voter.client.csrfToken = answer.resident.csrfToken;
  voter.authenticator.credentials[0]!.counter = answer.resident.passkey.counter;
  return answer.credential;
}

/**
 * A voter's ballots for `plan` (in order; `spoil` ones go to /spoiled-ballots with their secrets), in
 * a worker thread: taken from the stock or encrypted now, cast ones signed with the voter's ballot
 * key; sent there (`send`) or answered as ready-to-send requests.
 */
async function voterBallots(sim: SimulatedElection, voter: SimulatedVoter, plan: { spoil: boolean }[], send: boolean): Promise<CastResult> {
  if (!voter.credential) throw new Error(`elector ${voter.electorNumber} holds no credential`);
  const ballots = plan.map(({ spoil }) => {
    const ballot = sim.stock.take();
    return ballot ? { ballot, spoil } : { choices: randomChoices(sim.election.contests), spoil };
  });
  return runTask<CastResult>(sim.pool, { kind: 'cast', baseUrl: sim.server.baseUrl, electionId: sim.election.id, election: sim.keys, credential: voter.credential, ballots, send });
}

/** Encrypts `ballots` for one voter in a worker thread: ready-to-send request bodies. */
export function encryptForVoter(sim: SimulatedElection, voter: SimulatedVoter, ballots: { choices: Choices; spoil: boolean }[]): Promise<PreparedRequest[]> {
  if (!voter.credential) throw new Error(`elector ${voter.electorNumber} holds no credential`);
  return runTask<BallotsResult>(sim.pool, { kind: 'ballots', election: sim.keys, credential: voter.credential, ballots }).then((r) => r.requests);
}

export interface CastOptions {
  /** Share of voters that cast a second ballot later, with other random choices (default 0.05). */
  revote?: number;
  /** Share of voters that check a ballot first (Benaloh: spoil it, then cast a fresh one) (default 0.01). */
  spoil?: number;
}

export interface CastSummary {
  ballotsCast: number;
  spoiled: number;
  revotes: number;
  /** What the result must be: the plain tally of each voter's last cast choices. */
  expected: Tally;
}

/** Every voter holding a credential casts a ballot with random choices; some spoil one first, some re-vote later. */
export async function castBallots(sim: SimulatedElection, options: CastOptions = {}): Promise<CastSummary> {
  const voters = sim.voters.filter((v) => v.credential);
  const spoilers = new Set(shuffled(voters).slice(0, rate(voters.length, options.spoil ?? 0.01)));
  const revoters = shuffled(voters).slice(0, rate(voters.length, options.revote ?? 0.05));
  const last = new Map<SimulatedVoter, Choices>();
  let ballotsCast = 0;
  sim.log(`  (${sim.stock.encrypted.toLocaleString('en-GB')} ballots were encrypted ahead; the others are encrypted as voters cast)`);
  await sim.phases.run('casting', voters.length, (phase) =>
    forEachConcurrently(voters, sim.concurrency, async (voter) => {
      const { choices } = await voterBallots(sim, voter, spoilers.has(voter) ? [{ spoil: true }, { spoil: false }] : [{ spoil: false }], true);
      last.set(voter, choices.at(-1)!);
      ballotsCast++;
      phase.tick();
    }),
  );
  await sim.phases.run('re-votes', revoters.length, (phase) =>
    forEachConcurrently(revoters, sim.concurrency, async (voter) => {
      const { choices } = await voterBallots(sim, voter, [{ spoil: false }], true);
      last.set(voter, choices[0]!);
      ballotsCast++;
      phase.tick();
    }),
  );
  return { ballotsCast, spoiled: spoilers.size, revotes: revoters.length, expected: tallyChoices(sim.election.contests, last.values()) };
}

export interface PrepareBallotsOptions {
  /** JSON Lines output; each line is an autocannon request object `{ method, path, headers, body }`. */
  file: string;
  /** Ballots per voter (default 1); a voter's later ballots supersede earlier ones. */
  ballotsPerVoter?: number;
}

/**
 * Writes pre-encrypted cast requests for every voter holding a credential, without sending them, so
 * a load tester can fire them at the running server. Answers the plain tally those ballots would give
 * if each voter's last ballot is the one counted.
 */
export async function prepareBallots(sim: SimulatedElection, options: PrepareBallotsOptions): Promise<{ file: string; requests: number; expected: Tally }> {
  const perVoter = options.ballotsPerVoter ?? 1;
  const voters = sim.voters.filter((v) => v.credential);
  mkdirSync(dirname(options.file), { recursive: true });
  const temporary = `${options.file}.partial-${process.pid}`;
  const out = createWriteStream(temporary);
  const last: Choices[] = [];
  let requests = 0;
  const path = `/api/elections/${sim.election.id}/ballots`;
  await sim.phases.run('prepare ballots', voters.length * perVoter, (phase) =>
    forEachConcurrently(voters, sim.concurrency, async (voter) => {
      const { requests: prepared, choices } = await voterBallots(sim, voter, Array.from({ length: perVoter }, () => ({ spoil: false })), false);
      for (const request of prepared) {
        const line = `${JSON.stringify({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: request.body })}\n`;
        if (!out.write(line)) await once(out, 'drain');
        requests++;
        phase.tick();
      }
      last.push(choices.at(-1)!);
    }),
  );
  out.end();
  await once(out, 'finish');
  renameSync(temporary, options.file);
  return { file: options.file, requests, expected: tallyChoices(sim.election.contests, last) };
}

/** The official closes the election (ElectionClosed). */
export async function closeElection(sim: SimulatedElection): Promise<void> {
  await sim.phases.run('close', 1, async (phase) => {
    const closed = ElectionDetail.parse(await sim.officer.json(sim.officer.post(`/api/official/elections/${sim.election.id}/close`)));
    if (closed.status !== 'closed') throw new Error(`the election is ${closed.status} after closing`);
    phase.tick();
  });
}

/**
 * The official starts the tally: the server aggregates the counted ballots (TallyComputed). A large
 * election's aggregation runs on in the background (POST answers 202): its progress is polled, as the
 * officer's page does, until the aggregate is there.
 */
export async function computeTally(sim: SimulatedElection, timeoutMs = 3_600_000): Promise<TallyState> {
  return sim.phases.run('tally (aggregation)', 1, async (phase) => {
    const tally = await tallyAndWait(sim.officer, sim.election.id, { timeoutMs });
    phase.tick(1);
    return tally;
  });
}

/**
 * Only `k` trustees (chosen at random, `threshold` by default) post partial decryptions with proofs;
 * the k-th makes the server combine them and publish the result (ResultPublished).
 */
export async function decryptAndPublish(sim: SimulatedElection, tally: TallyState, options: { trustees?: number[] } = {}): Promise<{ trustees: number[]; result: Tally }> {
  const k = sim.election.manifest!.ceremony.threshold;
  const chosen = options.trustees ?? shuffled(sim.trustees.map((t) => t.index)).slice(0, k).sort((a, b) => a - b);
  return sim.phases.run('decryption', chosen.length, async (phase) => {
    const fingerprint = fromHexString(sim.election.fingerprint!);
    let state = tally;
    for (const index of chosen) {
      const trustee = sim.trustees.find((t) => t.index === index)!;
      state = TallyState.parse(await trustee.client.json(trustee.client.post(`/api/trustee/elections/${sim.election.id}/partial-decryption`, trustee.partialDecryption(tally, fingerprint))));
      phase.tick();
    }
    if (state.status !== 'published' || !state.result) throw new Error(`the election is ${state.status} after ${chosen.length} partial decryptions`);
    return { trustees: chosen, result: state.result };
  });
}

/** Waits until a published (witness-cosigned) checkpoint covers the whole election log. */
export async function waitForPublishedCheckpoint(sim: SimulatedElection, timeoutMs = 900_000): Promise<bigint> {
  return sim.phases.run('checkpoint', 1, async (phase) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const log = await sim.officer.json<{ size: string; published: { size: string } | null }>(sim.officer.get(`/api/ledger/election-${sim.election.id}`));
      if (log.published?.size === log.size) {
        phase.tick();
        return BigInt(log.size);
      }
      if (Date.now() > deadline) throw new Error(`no published checkpoint covers the log (size ${log.size}, published ${log.published?.size ?? 'none'}) after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

/** Streams GET /api/elections/:id/record to `file` (written under a temporary name, then renamed). */
export async function downloadRecord(sim: SimulatedElection, file: string): Promise<{ file: string; bytes: number }> {
  return sim.phases.run('record', 1, async (phase) => {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.partial-${process.pid}`;
    const response = await fetch(`${sim.server.baseUrl}/api/elections/${sim.election.id}/record`);
    if (response.status !== 200 || !response.body) throw new Error(`GET record answered ${response.status}`);
    let bytes = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => void (bytes += chunk.length));
    try {
      await pipeline(body, createWriteStream(temporary));
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    renameSync(temporary, file);
    phase.tick();
    return { file, bytes };
  });
}

/** Stops the worker threads, and the server if setUpElection started it. */
export async function finish(sim: SimulatedElection): Promise<void> {
  await sim.stock.stop();
  await Promise.all([sim.pool.destroy(), sim.backgroundPool.destroy()]);
  if (sim.ownsServer) await sim.server.stop();
}

export function sameTally(a: Tally, b: Tally): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type { PhaseTiming };
