import { Inject, Injectable } from '@nestjs/common';
import { ledgerEntry } from '../../ledger/ledger-entry.ts';
import {
  IDENTITY,
  combinePartialDecryptions,
  createDiscreteLogTable,
  decodeChaumPedersenProof,
  pointFromHex,
  verifyPartialDecryption,
  type Ciphertext,
  type PartialDecryption,
} from '@townhall/crypto';
import { decodeEntry, type EntryBody } from '@townhall/ledger';
import { ELECTION_TRANSITIONS, fromHexString, toHexString, type ElectionStatus, type PartialDecryptionRequest, type TallyState } from '@townhall/protocol';
import { AppError } from '../../common/app-error.ts';
import type { Principal } from '../../common/access.ts';
import { logger } from '../../common/logger.ts';
import { LedgerService } from '../../ledger/ledger.module.ts';
import { ElectionsRepository } from '../elections.repository.ts';
import { CiphertextSums } from './ciphertext-sums.ts';
import { ElectionsService, type FrozenElection } from '../definition/elections.service.ts';
import { noLonger, recheckPhase, requirePhase } from '../election-phase.ts';

interface AggregateEntry {
  contestId: string;
  optionId: string;
  alpha: string;
  beta: string;
}
interface StoredTally {
  closedAtSize: string;
  countedBallots: number;
  aggregate: AggregateEntry[];
}
type Result = { contestId: string; counts: { optionId: string; count: number }[] }[];

export interface TallyJob {
  /** Counted ballots read and handed to the summing threads so far, of `total`. */
  summed: number;
  total: number;
  /** Why it stopped, in words for the officer; null while running. */
  failure: string | null;
  /** Settles when the aggregation has finished or failed (never rejects). */
  done: Promise<void>;
  /** What it failed with, if it did. */
  error?: unknown;
}

/** Counted ballots read per query while summing. */
const TALLY_PAGE = 2000;
/** Worker threads that decode and sum the pages (the machines here have 2 cores). */
const TALLY_THREADS = 2;

export const tallyContext = (contestId: string, optionId: string) => `tally/contest:${contestId}/option:${optionId}`;

/**
 * Homomorphic tally, threshold decryption and the result (docs/protocol/elections.md §7). Trustees'
 * partial decryptions are verified on arrival against their verification shares; with k of them
 * the counts are combined and solved, and ResultPublished is appended.
 */
@Injectable()
export class TallyService {
  constructor(
    @Inject(ElectionsRepository) private readonly repository: ElectionsRepository,
    @Inject(ElectionsService) private readonly elections: ElectionsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  /** Aggregations running in this process, by election (and the last failure, until retried). */
  readonly #jobs = new Map<string, TallyJob>();

  /**
   * Starts the aggregation in the background (closed → tallied), or returns the one already running:
   * a large election takes a while to add up, and the officer's page shows its progress meanwhile.
   * If the process stops midway nothing was recorded and the election is still closed: start again.
   */
  async startTally(electionId: string): Promise<TallyJob> {
    const running = this.#jobs.get(electionId);
    if (running && running.failure === null) return running;
    const election = await this.elections.frozen(electionId);
    requirePhase(election.row, 'closed');
    const job: TallyJob = { summed: 0, total: await this.repository.countCounted(electionId, closedAtSizeOf(election)), failure: null, done: Promise.resolve() };
    this.#jobs.set(electionId, job);
    job.done = this.computeTally(electionId, (summed) => (job.summed = summed)).then(
      () => void this.#jobs.delete(electionId),
      (error: unknown) => {
        job.error = error;
        if (error instanceof AppError) {
          // Another request finished the tally first (or the election moved on): nothing to show.
          this.#jobs.delete(electionId);
          job.failure = error.message;
          return;
        }
        logger.error({ err: error, electionId }, 'the tally failed');
        job.failure = 'The tally stopped because of an unexpected error; nothing was recorded. Start it again.';
      },
    );
    return job;
  }

  /** closed → tallied: sums the counted set's ciphertexts option by option. */
  async computeTally(electionId: string, onProgress: (summed: number) => void = () => {}): Promise<void> {
    const election = await this.elections.frozen(electionId);
    requirePhase(election.row, 'closed');
    const closedAtSize = closedAtSizeOf(election);
    // Streamed page by page (only the ciphertexts), so a large election never sits in memory at once;
    // the pages are summed on worker threads while the next one is read.
    const options = election.manifest.contests.flatMap((contest, ci) => contest.options.map((_, oi) => ({ ci, oi })));
    const summing = new CiphertextSums(options.length, TALLY_THREADS);
    let countedBallots = 0;
    let columns: Ciphertext[];
    try {
      for (let afterKey: Uint8Array | null = null; ; ) {
        const page = await this.repository.countedCiphertexts(electionId, closedAtSize, afterKey, TALLY_PAGE);
        summing.add(page.map((row) => row.ciphertexts));
        countedBallots += page.length;
        onProgress(countedBallots);
        if (page.length < TALLY_PAGE) break;
        afterKey = page.at(-1)!.ballotPublicKey;
        // Read ahead at most a few pages of the workers.
        while (summing.backlog > 2 * TALLY_THREADS) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      columns = await summing.total();
    } finally {
      await summing.close();
    }
    const sums = election.manifest.contests.map((c) => c.options.map(() => ({ alpha: IDENTITY, beta: IDENTITY })));
    options.forEach(({ ci, oi }, k) => (sums[ci]![oi] = columns[k]!));
    const aggregate: AggregateEntry[] = election.manifest.contests.flatMap((contest, ci) =>
      contest.options.map((option, oi) => ({
        contestId: contest.id,
        optionId: option.id,
        alpha: toHexString(sums[ci]![oi]!.alpha.toBytes()),
        beta: toHexString(sums[ci]![oi]!.beta.toBytes()),
      })),
    );
    const tally: StoredTally = { closedAtSize: closedAtSize.toString(), countedBallots, aggregate };
    await this.elections.appendTransition(electionId, async (_, move) => {
      if (!(await move('tally', { tally: tally as object }))) throw noLonger('closed');
      return [ledgerEntry('TallyComputed', { fingerprint: toHexString(election.fingerprint), ...tally })];
    });
  }

  async state(electionId: string): Promise<TallyState> {
    // The running aggregation is looked up before the election row: it is forgotten only after its
    // TallyComputed has committed, so a row still 'closed' read after it cannot miss a job that ran,
    // and a row already 'tallied' shows no aggregation even if the job has not been forgotten yet.
    const job = this.#jobs.get(electionId);
    const election = await this.elections.frozen(electionId);
    const trustees = await this.repository.trustees(electionId);
    const tally = election.row.tally as unknown as StoredTally | null;
    return {
      status: election.row.status as ElectionStatus,
      closedAtSize: election.row.closedAtSize?.toString() ?? null,
      countedBallots: tally?.countedBallots ?? null,
      aggregate: tally?.aggregate ?? null,
      partialDecryptions: trustees.filter((t) => t.partialDecryptionIndex !== null).map((t) => ({ trusteeIndex: t.index, ledgerIndex: t.partialDecryptionIndex!.toString() })),
      threshold: election.manifest.ceremony.threshold,
      result: (election.row.result as Result | null) ?? null,
      aggregation: job && election.row.status === 'closed' ? { summed: job.summed, total: job.total, failure: job.failure } : null,
    };
  }

  async postPartialDecryption(electionId: string, principal: Principal, request: PartialDecryptionRequest): Promise<TallyState> {
    const trustee = await this.elections.trusteeSeat(electionId, principal);
    const election = await this.elections.frozen(electionId);
    requirePhase(election.row, 'tallied');
    if (trustee.partialDecryptionIndex !== null) throw new AppError('CONFLICT', 'You have posted your partial decryption already.');
    const verificationShare = pointFromHex((election.row.verificationShares as { trusteeIndex: number; share: string }[])[trustee.index - 1]!.share, 'verificationShare');
    const needed = decryptable(election);
    if (request.shares.length !== needed.length) {
      throw decryptionRejected(
        needed.length === 0
          ? 'No ballot was counted, so there is nothing to decrypt: send an empty list of shares.'
          : `Send one partial decryption for each of the ${needed.length} non-empty aggregates.`,
      );
    }
    needed.forEach((aggregate, i) => {
      const posted = request.shares[i]!;
      if (posted.contestId !== aggregate.contestId || posted.optionId !== aggregate.optionId) {
        throw decryptionRejected(`Share ${i} should be for ${aggregate.contestId}/${aggregate.optionId}.`);
      }
      let isValid = false;
      try {
        isValid = verifyPartialDecryption(election.fingerprint, verificationShare, ciphertextOf(aggregate), toPartial(trustee.index, posted), tallyContext(aggregate.contestId, aggregate.optionId));
      } catch {
        isValid = false;
      }
      if (!isValid) throw decryptionRejected(`The proof of your partial decryption of ${aggregate.contestId}/${aggregate.optionId} does not verify; nothing was recorded.`);
    });
    await this.ledger.append(election.logName, async (tx, { nextIndex }) => {
      recheckPhase(await this.repository.find(electionId, tx), 'tallied');
      if (!(await this.repository.setPartialDecryption(tx, electionId, trustee.index, nextIndex))) throw new AppError('CONFLICT', 'You have posted your partial decryption already.');
      return { entries: [ledgerEntry('PartialDecryption', { fingerprint: toHexString(election.fingerprint), trusteeIndex: trustee.index, shares: request.shares })], result: undefined };
    });
    await this.#publish(electionId).catch((error: unknown) => logger.error({ err: error, electionId }, 'publishing the result failed'));
    return this.state(electionId);
  }

  /**
   * tallied → published once k partial decryptions are in (any k of the n trustees). With no counted
   * ballot every aggregate is the identity and every count 0, but the result still waits for k
   * trustees (their posts carry no shares): ResultPublished names the k trustees who released it,
   * and a verifier checks there are k of them (record.md §4, `tally.result`).
   */
  async #publish(electionId: string): Promise<void> {
    const election = await this.elections.frozen(electionId);
    if (election.row.status !== ELECTION_TRANSITIONS.publish.from) return;
    const tally = election.row.tally as unknown as StoredTally;
    const threshold = election.manifest.ceremony.threshold;
    const posted = (await this.repository.trustees(electionId)).filter((t) => t.partialDecryptionIndex !== null).slice(0, threshold);
    if (posted.length < threshold) return;
    const partials = new Map<string, PartialDecryption[]>();
    for (const trustee of posted) {
      const [entry] = await this.ledger.entries(election.logName, trustee.partialDecryptionIndex!, trustee.partialDecryptionIndex! + 1n);
      const body = decodeEntry(entry!.bytes).body as { shares: PartialDecryptionRequest['shares'] };
      for (const share of body.shares) {
        const key = `${share.contestId}/${share.optionId}`;
        partials.set(key, [...(partials.get(key) ?? []), toPartial(trustee.index, share)]);
      }
    }
    const table = createDiscreteLogTable({ maxValue: Math.max(1, tally.countedBallots) });
    const counts = new Map<string, number>();
    for (const aggregate of decryptable(election)) {
      const point = combinePartialDecryptions(ciphertextOf(aggregate), partials.get(`${aggregate.contestId}/${aggregate.optionId}`) ?? [], threshold);
      counts.set(`${aggregate.contestId}/${aggregate.optionId}`, table.solve(point));
    }
    const result: Result = election.manifest.contests.map((c) => ({ contestId: c.id, counts: c.options.map((o) => ({ optionId: o.id, count: counts.get(`${c.id}/${o.id}`) ?? 0 })) }));
    const trustees = posted.map((t) => t.index);
    await this.elections.appendTransition(electionId, async (_, move) => {
      if (!(await move('publish', { result }))) throw noLonger('tallied');
      return [ledgerEntry('ResultPublished', { fingerprint: toHexString(election.fingerprint), trustees, result })];
    });
    await this.ledger.checkpointNow(election.logName);
  }
}

const decryptionRejected = (message: string) => new AppError('DECRYPTION_REJECTED', message);

/** Set with the close, in the same transaction (elections.md §7): a closed election without it is a bug. */
function closedAtSizeOf(election: FrozenElection): bigint {
  if (election.row.closedAtSize === null) throw new Error(`election ${election.row.id} is ${election.row.status} but has no closedAtSize`);
  return election.row.closedAtSize;
}

/** Aggregates of no ballot (α = identity) have count 0 and are not decrypted (key-ceremony-and-credentials.md §4). */
function decryptable(election: FrozenElection): AggregateEntry[] {
  const identity = '00'.repeat(32);
  return ((election.row.tally as unknown as StoredTally | null)?.aggregate ?? []).filter((a) => a.alpha !== identity);
}

function ciphertextOf(aggregate: AggregateEntry): Ciphertext {
  return { alpha: pointFromHex(aggregate.alpha, 'alpha'), beta: pointFromHex(aggregate.beta, 'beta', { allowIdentity: true }) };
}

function toPartial(trusteeIndex: number, posted: { share: string; proof: string }): PartialDecryption {
  return { trusteeIndex, share: pointFromHex(posted.share, 'share', { allowIdentity: true }), proof: decodeChaumPedersenProof(fromHexString(posted.proof)) };
}
