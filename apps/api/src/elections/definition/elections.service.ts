import { randomUUID } from 'node:crypto';
import type { EntryBodyInput } from '@townhall/protocol';
import { ledgerEntry } from '../../ledger/ledger-entry.ts';
import { Inject, Injectable } from '@nestjs/common';
import { electionLogOrigin, type EntryBody } from '@townhall/ledger';
import {
  ElectionDraft,
  ElectionManifest,
  MIN_TRUSTEES,
  MIN_TRUSTEE_THRESHOLD,
  electionFingerprint,
  toHexString,
  type ElectionDashboard,
  type ElectionDetail,
  type ElectionListResponse,
  type ElectionStatus,
  type ElectionSummary,
  type ElectionTransition,
  type StartCeremonyRequest,
} from '@townhall/protocol';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config.ts';
import { AppError } from '../../common/app-error.ts';
import type { Principal } from '../../common/access.ts';
import { authorize, mayBeTrusteeOf } from '../../common/access.guard.ts';
import { Listeners } from '../../common/listeners.ts';
import { LedgerService, electionLogName, type AppendEntry, type AppendPosition, type TransactionClient } from '../../ledger/ledger.module.ts';
import { originHost } from '../../ledger/ledger.service.ts';
import { ElectionsRepository, type ElectionRow } from '../elections.repository.ts';
import { noLonger, requirePhase } from '../election-phase.ts';

type Draft = z.output<typeof ElectionDraft>;

export const notFound = () => new AppError('NOT_FOUND', 'There is no such election.');
const invalid = (issues: { path: string; message: string }[]) =>
  new AppError('ELECTION_INVALID', `The election definition has problems: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });

/** An election as the other services need it: its frozen manifest and fingerprint. */
export interface FrozenElection {
  row: ElectionRow;
  manifest: ElectionManifest;
  fingerprint: Uint8Array;
  logName: string;
}

/** Moves the election along one transition of ELECTION_TRANSITIONS; false when another request moved it first. */
export type Move = (transition: ElectionTransition, data?: Parameters<ElectionsRepository['transition']>[3]) => Promise<boolean>;

/** Definition, lifecycle transitions and read views (docs/protocol/elections.md §3). */
@Injectable()
export class ElectionsService {
  constructor(
    @Inject(ElectionsRepository) private readonly repository: ElectionsRepository,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Ids of elections whose status this process changed, once committed (the per-election caches forget them). */
  readonly statusChanged = new Listeners<string>();

  /**
   * An append to the election's log whose `work` may `move` the election along the lifecycle table
   * (elections.md §3) in the same transaction; a move is announced to `statusChanged` after the commit.
   */
  async appendTransition(id: string, work: (tx: TransactionClient, move: Move, position: AppendPosition) => Promise<readonly AppendEntry[]>): Promise<void> {
    const { result: hasMoved } = await this.ledger.append(electionLogName(id), async (tx, position) => {
      let moved = false;
      const entries = await work(tx, async (transition, data) => (moved = await this.repository.transition(tx, id, transition, data)), position);
      return { entries, result: moved };
    });
    if (hasMoved) this.statusChanged.notify(id);
  }

  // ---- definition (draft only; nothing reaches the ledger until the definition is frozen)

  async create(draft: Draft, createdBy: string | null): Promise<ElectionDetail> {
    const council = await this.#checkDraft(draft);
    const id = randomUUID();
    await this.repository.create({ id, councilId: council.id, title: draft.title, draft, opensAt: new Date(draft.schedule.opensAt), closesAt: new Date(draft.schedule.closesAt) }, createdBy);
    return this.detail(id, { isStaff: true });
  }

  async update(id: string, draft: Draft): Promise<ElectionDetail> {
    const row = await this.repository.find(id);
    if (!row) throw notFound();
    requirePhase(row, 'draft');
    await this.#checkDraft(draft);
    const updated = await this.repository.updateDraft(id, { title: draft.title, draft, opensAt: new Date(draft.schedule.opensAt), closesAt: new Date(draft.schedule.closesAt) });
    if (!updated) throw noLonger('draft');
    return this.detail(id, { isStaff: true });
  }

  async #checkDraft(draft: Draft) {
    const council = await this.repository.currentCouncil();
    if (!council) throw new AppError('CONFLICT', 'Set up the council and its districts before creating an election.');
    const known = new Set(council.districts.map((d) => d.code));
    const issues = draft.eligibleDistricts.flatMap((code, i) => (known.has(code) ? [] : [{ path: `eligibleDistricts.${i}`, message: `there is no district "${code}"` }]));
    if (Date.parse(draft.schedule.closesAt) <= Date.now()) issues.push({ path: 'schedule.closesAt', message: 'the closing time is in the past' });
    if (issues.length > 0) throw invalid(issues);
    return council;
  }

  /**
   * Freezes the definition: the manifest (with the ceremony's k and n) and its fingerprint go into
   * ElectionDefined, the first entry after LogCreated in the election's new log.
   */
  async startCeremony(id: string, request: StartCeremonyRequest): Promise<ElectionDetail> {
    const row = await this.repository.find(id);
    if (!row) throw notFound();
    requirePhase(row, 'draft');
    const draft = row.draft as Draft;
    if (row.closesAt.getTime() <= Date.now()) throw invalid([{ path: 'schedule.closesAt', message: 'the closing time is in the past; edit the schedule first' }]);
    const staff = await this.repository.staffMembers(request.trustees, id);
    const byId = new Map(staff.map((s) => [s.id, s]));
    const names = new Map(staff.map((s) => [s.id, s.displayName]));
    const officials = await this.repository.officialsAmong(id, request.trustees);
    // Trustees are people who accepted a trustee invitation for this election, and none of them
    // defined or ran it (separation of duties, decision 0004).
    const problems = request.trustees.flatMap((staffId, i) => {
      const member = byId.get(staffId);
      if (!member) return [{ path: `trustees.${i}`, message: 'no staff member has this id' }];
      if (!member.isTrustee) return [{ path: `trustees.${i}`, message: `${member.displayName} has not accepted a trustee invitation for this election` }];
      if (!mayBeTrusteeOf({ officialOf: officials.has(staffId) ? [id] : [] }, id)) {
        return [{ path: `trustees.${i}`, message: `${member.displayName} defined or ran this election, so cannot be one of its trustees (separation of duties)` }];
      }
      return [];
    });
    const isBelowMinimum = request.threshold < MIN_TRUSTEE_THRESHOLD || request.trustees.length < MIN_TRUSTEES;
    if (isBelowMinimum && !this.config.allowFewerTrustees) {
      problems.push({
        path: request.threshold < MIN_TRUSTEE_THRESHOLD ? 'threshold' : 'trustees',
        message: `an election needs at least ${MIN_TRUSTEES} trustees, any ${MIN_TRUSTEE_THRESHOLD} of whom are needed to decrypt, so that no one person can read the ballots`,
      });
    }
    if (problems.length > 0) throw invalid(problems);

    const origin = electionLogOrigin(originHost(this.config.publicUrl), id);
    const manifest: ElectionManifest = ElectionManifest.parse({
      version: 1,
      electionId: id,
      origin,
      title: draft.title,
      description: draft.description,
      contests: draft.contests,
      eligibleDistricts: [...draft.eligibleDistricts].sort(),
      schedule: { opensAt: row.opensAt.toISOString(), closesAt: row.closesAt.toISOString() },
      ceremony: { threshold: request.threshold, trustees: request.trustees.length, ...(isBelowMinimum ? { minimumWaived: true as const } : {}) },
    });
    const fingerprint = electionFingerprint(manifest);
    await this.ledger.createElectionLog(id);
    await this.appendTransition(id, async (tx, move) => {
      const moved = await move('start-ceremony', {
        manifest: manifest as object,
        fingerprint: new Uint8Array(fingerprint),
        threshold: request.threshold,
        trusteeCount: request.trustees.length,
      });
      if (!moved) throw noLonger('draft');
      await this.repository.insertTrustees(tx, id, request.trustees.map((staffId, i) => ({ index: i + 1, staffId, displayName: names.get(staffId)! })));
      return [ledgerEntry('ElectionDefined', { manifest, fingerprint: toHexString(fingerprint) })];
    });
    return this.detail(id, { isStaff: true });
  }

  // ---- lifecycle

  /** ready → open (now, by an official, or by the scheduler once opensAt has come). */
  async open(id: string, trigger: 'official' | 'schedule'): Promise<void> {
    const election = await this.frozen(id);
    requirePhase(election.row, 'ready');
    const at = new Date();
    await this.appendTransition(id, async (_, move) => {
      if (!(await move('open', { openedAt: at }))) throw noLonger('ready');
      return [ledgerEntry('ElectionOpened', { fingerprint: toHexString(election.fingerprint), at: at.toISOString(), trigger })];
    });
  }

  /**
   * open → closed. No ballot can be sequenced after ElectionClosed (casting re-checks the phase inside
   * the append's transaction), so the counted set is everything below the close; a checkpoint covering
   * the close is signed at once.
   */
  async close(id: string, trigger: 'official' | 'schedule'): Promise<void> {
    const election = await this.frozen(id);
    requirePhase(election.row, 'open');
    const at = new Date();
    await this.appendTransition(id, async (tx, move, { nextIndex }) => {
      // The row lock first: an issuance in flight finishes before it (its queued entry is taken
      // below), and none starts after it (elections.md §5.1).
      await this.repository.lockElection(tx, id);
      // The last credential epoch, however small, is sequenced before the close.
      const queued = await this.repository.takeCredentialQueue(tx, id, nextIndex);
      const closeIndex = nextIndex + BigInt(queued.length);
      // The counted set ends with ElectionClosed itself (elections.md §7): closedAtSize = its index + 1.
      if (!(await move('close', { closedAt: at, closedAtSize: closeIndex + 1n }))) throw noLonger('open');
      return [
        ...queued.map((q) => ledgerEntry('CredentialIssued', q.body as EntryBodyInput<'CredentialIssued'>)),
        ledgerEntry('ElectionClosed', { fingerprint: toHexString(election.fingerprint), at: at.toISOString(), trigger }),
      ];
    });
    await this.ledger.checkpointNow(election.logName);
  }

  async frozen(id: string): Promise<FrozenElection> {
    const row = await this.repository.find(id);
    if (!row || row.status === 'draft' || !row.manifest || !row.fingerprint) throw notFound();
    return { row, manifest: row.manifest as ElectionManifest, fingerprint: new Uint8Array(row.fingerprint), logName: electionLogName(id) };
  }

  /** The caller's seat among the trustees the election's key ceremony names; `authorize` decides who has one. */
  async trusteeSeat(electionId: string, principal: Principal) {
    const seat = principal.kind === 'staff' ? await this.repository.trusteeByStaff(electionId, principal.staffId) : null;
    authorize(principal, { kind: 'ceremony-trustee', electionId, isNamed: seat !== null });
    return seat!;
  }

  // ---- views

  async list(options: { includeDrafts: boolean }): Promise<ElectionListResponse> {
    return { elections: (await this.repository.list(options)).map((r) => summary(r)) };
  }

  async mine(principal: Principal): Promise<ElectionListResponse> {
    if (principal.kind !== 'resident') throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
    const elector = await this.repository.elector(principal.electorId);
    if (!elector) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    const [rows, held] = await Promise.all([this.repository.eligibleFor(elector.district.code), this.repository.credentialElections(elector.id)]);
    return { elections: rows.map((r) => ({ ...summary(r), hasCredential: held.has(r.id) })) };
  }

  async detail(id: string, viewer: { isStaff: boolean }): Promise<ElectionDetail> {
    const row = await this.repository.find(id);
    if (!row || (row.status === 'draft' && !viewer.isStaff)) throw notFound();
    const definition = definitionOf(row);
    return {
      ...summary(row),
      description: definition.description ?? '',
      contests: definition.contests,
      manifest: (row.manifest as ElectionManifest | null) ?? null,
      fingerprint: row.fingerprint ? toHexString(row.fingerprint) : null,
      logName: row.status === 'draft' ? null : electionLogName(id),
      electionKey: row.electionKey ? toHexString(row.electionKey) : null,
      issuerPublicKey: row.issuerPublicKey ? toHexString(row.issuerPublicKey) : null,
      openedAt: row.openedAt?.toISOString() ?? null,
      closedAt: row.closedAt?.toISOString() ?? null,
    };
  }

  async dashboard(id: string): Promise<ElectionDashboard> {
    const row = await this.repository.find(id);
    if (!row) throw notFound();
    const eligible = definitionOf(row).eligibleDistricts;
    const [perDistrict, credentials, counts] = await Promise.all([
      this.repository.electorsPerDistrict(row.councilId),
      this.repository.credentialsByDistrict(id),
      this.repository.ballotCounts(id),
    ]);
    const issued = new Map(credentials.map((c) => [c.district, c._count._all]));
    let ledger: ElectionDashboard['ledger'] = { size: '0', latestPublishedCheckpoint: null };
    if (row.status !== 'draft') {
      const log = await this.ledger.getLog(electionLogName(id));
      const checkpoint = await this.ledger.latestCheckpoint(electionLogName(id), { published: true });
      ledger = { size: log.size.toString(), latestPublishedCheckpoint: checkpoint?.note ?? null };
    }
    return {
      election: summary(row),
      credentialsIssued: [...issued.values()].reduce((a, b) => a + b, 0),
      ballotsCast: counts.cast,
      distinctVoters: counts.voters,
      spoiledBallots: counts.spoiled,
      turnoutByDistrict: perDistrict.filter((d) => eligible.includes(d.district)).map((d) => ({ ...d, credentials: issued.get(d.district) ?? 0 })),
      ledger,
    };
  }
}

/** The definition as it stands: the frozen manifest once there is one, else the draft as last saved. */
function definitionOf(row: ElectionRow): Pick<ElectionManifest, 'description' | 'contests' | 'eligibleDistricts'> {
  return (row.manifest as ElectionManifest | null) ?? (row.draft as Draft);
}

export function summary(row: ElectionRow): ElectionSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status as ElectionStatus,
    opensAt: row.opensAt.toISOString(),
    closesAt: row.closesAt.toISOString(),
    eligibleDistricts: (row.draft as Draft).eligibleDistricts,
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}
