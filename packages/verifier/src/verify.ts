import type { Entry } from './entry.ts';
import { readLines, type RecordSource } from './lines.ts';
import { inProcessPool, type ProofPool } from './pool.ts';
import { RecordLineReader, checkRecordCounts, type ElectionRecord, type RecordItem, type RecordLine } from './record.ts';
import { ReportBuilder, type ProgressEvent, type ReportState, type VerificationReport } from './report.ts';
import { ElectionStream, RegistryFacts, type ElectionState } from './verify-election.ts';
import { LedgerStream, type LedgerState } from './verify-ledger.ts';

export type Progress = (step: string) => void;

/**
 * What a run has checked, to be saved (it is plain JSON) and passed back as `resume`: the next run
 * over a longer record of the same election checks only the new entries and checkpoints, after
 * checking that the entries checked before still hash to the same root (record.md §4, "resume").
 */
export interface VerifierState {
  readonly format: 'townhall/verifier-state';
  readonly version: 1;
  readonly electionId: string | null;
  /** The record's keys line (log keys and witness policy): a resumed run must see the same. */
  readonly keys: string;
  readonly ledger: LedgerState;
  /** Null when the record could not be read as far as its entries (nothing to resume). */
  readonly election: ElectionState | null;
  readonly report: ReportState;
}

export interface VerifyOptions {
  /** Structured progress, per check (and `read` for the bytes read). */
  onProgress?: (event: ProgressEvent) => void;
  /** Where the ballot batches run (default: this thread). The caller owns it and closes it. */
  pool?: ProofPool;
  /** A state saved from an earlier run over a prefix of this record. */
  resume?: VerifierState;
  signal?: AbortSignal;
  /** The source's size in bytes, if known, for the `read` progress total. */
  totalBytes?: number;
}

/** Runs every check of a record as its lines arrive; one instance per run. */
class RecordVerifier {
  readonly #report: ReportBuilder;
  readonly #local = new ReportBuilder();
  readonly #registry = new RegistryFacts();
  readonly #options: VerifyOptions;
  readonly #pool: ProofPool;
  #header: Extract<RecordLine, { kind: 'record' }> | undefined;
  #keys: Extract<RecordLine, { kind: 'keys' }> | undefined;
  #end: Extract<RecordLine, { kind: 'end' }> | undefined;
  #ledger: LedgerStream | undefined;
  #election: ElectionStream | undefined;
  #keysMissing = false;
  #counts = { entries: 0, checkpoints: 0, registryEntries: 0 };

  constructor(options: VerifyOptions) {
    // A state saved from a record that could not be read as far as its entries resumes nothing.
    this.#options = options.resume?.election === null ? { ...options, resume: undefined } : options;
    options = this.#options;
    this.#pool = options.pool ?? inProcessPool();
    this.#report = new ReportBuilder(options.resume?.report);
    this.#local.count('record.format');
  }

  #progress = (event: ProgressEvent) => this.#options.onProgress?.(event);

  #start(): boolean {
    if (this.#ledger) return true;
    if (this.#keysMissing) return false;
    const keys = this.#keys;
    if (!keys) {
      this.#keysMissing = true;
      return false;
    }
    const resume = this.#options.resume;
    const electionId = this.#header?.electionId ?? null;
    if (resume) {
      if (resume.format !== 'townhall/verifier-state' || resume.version !== 1) throw new TypeError('resume: not a townhall/verifier-state version 1');
      if (resume.electionId !== electionId || resume.keys !== JSON.stringify(keys)) {
        throw new TypeError(`resume: the saved state is for election ${resume.electionId} with other log keys or witnesses; verify this record from the start`);
      }
    }
    this.#ledger = new LedgerStream({ log: keys.electionLog, registryLog: keys.registryLog, witnessPolicy: keys.witnessPolicy }, this.#report, this.#local, resume?.ledger);
    this.#election = new ElectionStream({ origin: keys.electionLog.origin, electionId, report: this.#report, pool: this.#pool, progress: this.#progress, resume: resume?.election ?? undefined });
    return true;
  }

  async item(item: RecordItem): Promise<void> {
    if (item.kind === 'problem') {
      this.#local.fail('record.format', `line ${item.line}: ${item.message}`, { line: item.line });
      return;
    }
    // The reader found the line out of its place (order, or a repeat): record.md §2 makes a record's file canonical.
    if (item.misplaced !== undefined) this.#local.fail('record.format', `line ${item.line}: ${item.misplaced}`, { line: item.line });
    switch (item.kind) {
      case 'record':
        this.#header = item.value;
        return;
      case 'keys':
        this.#keys = item.value;
        return;
      case 'end':
        this.#end = item.value;
        return;
      case 'entry':
        this.#counts.entries++;
        break;
      case 'checkpoint':
        this.#counts.checkpoints++;
        break;
      case 'registry-entry':
        this.#counts.registryEntries++;
        break;
    }
    if (!this.#start()) return;
    const ledger = this.#ledger!;
    switch (item.kind) {
      case 'entry': {
        const entry: Entry | undefined = ledger.entry(item.index, item.bytes);
        const position = ledger.leaves.count - 1;
        if (entry) await this.#election!.entry(position, entry);
        if (ledger.leaves.count % 1000 === 0) {
          const announced = this.#header?.entries === undefined ? undefined : Number(this.#header.entries);
          this.#progress({ check: 'ledger.entries', done: ledger.leaves.count, ...(announced === undefined ? {} : { total: announced }), message: `${ledger.leaves.count} entries read` });
        }
        return;
      }
      case 'checkpoint':
        ledger.checkpoint(item.note);
        if (this.#counts.checkpoints % 100 === 0) {
          await ledger.settle();
          this.#progress({ check: 'ledger.checkpoint-signatures', done: this.#counts.checkpoints, message: `${this.#counts.checkpoints} checkpoints checked` });
        }
        return;
      case 'registry-checkpoint':
        ledger.registryCheckpoint(item.note);
        return;
      case 'registry-entry': {
        const entry = ledger.registryEntry(item.index, item.bytes, item.proof);
        if (entry) this.#registry.add(entry);
        if (this.#counts.registryEntries % 1000 === 0) this.#progress({ check: 'registry.inclusion', done: this.#counts.registryEntries, message: `${this.#counts.registryEntries} registry entries checked` });
        return;
      }
    }
  }

  async finish(): Promise<{ report: VerificationReport; state: () => VerifierState | undefined }> {
    const local = this.#local;
    const found = this.#counts;
    checkRecordCounts(local, 'election', { header: this.#header, end: this.#end, found });
    const fields = { electionId: this.#header?.electionId ?? null, entries: found.entries };
    if (!this.#start()) {
      local.fail('record.format', 'the keys line is missing: nothing can be checked against the log and witness keys');
      return { report: local.build({ ...fields, result: null }), state: () => undefined };
    }
    const election = this.#election!;
    await election.drain();
    const ledgerState = await this.#ledger!.finish();
    // The saved state is taken before the whole-record checks, which every run redoes.
    const intact = this.#ledger!.prefixIntact;
    const keys = JSON.stringify(this.#keys);
    const saved = this.#report.snapshot();
    // The state is made when asked for (it holds every voter's digests: no copy unless someone keeps it).
    const state = (): VerifierState | undefined =>
      intact || !this.#options.resume
        ? { format: 'townhall/verifier-state', version: 1, electionId: fields.electionId, keys, ledger: ledgerState!, election: election.snapshot(), report: saved }
        : this.#options.resume;
    const result = await election.finish(local, this.#registry);
    const report = new ReportBuilder(saved);
    report.merge(local);
    return { report: report.build({ ...fields, result }), state };
  }
}

/**
 * Verifies an election record straight from its source (a file stream, a fetch body, a File's
 * stream()), keeping only what the checks need: memory grows with the number of voters by a few
 * hundred bytes each, never with the size of their entries. Never throws for a bad record; throws
 * only when aborted, when `resume` belongs to another election, or when a worker dies.
 */
export async function verifyRecordSource(
  source: RecordSource,
  options: VerifyOptions = {},
): Promise<{ report: VerificationReport; state: VerifierState }> {
  const verifier = new RecordVerifier(options);
  const reader = new RecordLineReader();
  let reported = 0;
  const onBytes = (bytes: number) => {
    if (bytes - reported < 1 << 20) return;
    reported = bytes;
    options.onProgress?.({ check: 'read', done: bytes, ...(options.totalBytes !== undefined ? { total: options.totalBytes } : {}), message: `${(bytes / 2 ** 20).toFixed(0)} MiB read` });
  };
  for await (const line of readLines(source, { signal: options.signal, onBytes })) {
    const item = reader.read(line);
    if (item) await verifier.item(item);
  }
  options.signal?.throwIfAborted();
  const { report, state } = await verifier.finish();
  let made: VerifierState | undefined;
  return {
    report,
    // Made on first access (the saved state of a large election is large), then kept.
    get state(): VerifierState {
      return (made ??= state() ?? emptyState(report));
    },
  };
}

/** A state that resumes nothing (the record could not be read far enough to check anything). */
function emptyState(report: VerificationReport): VerifierState {
  return { format: 'townhall/verifier-state', version: 1, electionId: report.electionId, keys: '', ledger: { entries: 0, root: '', checkpoints: 0, checkpointsDigest: '', lastCheckpointSize: '-1' }, election: null, report: { checks: [] } };
}

/** Runs every check of a record read by `parseRecord` and returns the report; never throws for a bad record. */
export async function verifyRecord(record: ElectionRecord, onProgress: Progress = () => {}): Promise<VerificationReport> {
  const verifier = new RecordVerifier({});
  for (const problem of record.problems) await verifier.item({ kind: 'problem', line: problem.line, message: problem.message });
  if (record.header) await verifier.item({ kind: 'record', line: 1, value: record.header });
  if (record.keys) await verifier.item({ kind: 'keys', line: 2, value: record.keys });
  onProgress('ledger: entries, chain, checkpoints, cosignatures');
  for (const entry of record.entries) await verifier.item({ kind: 'entry', line: 0, index: entry.index, bytes: entry.bytes });
  for (const note of record.checkpoints) await verifier.item({ kind: 'checkpoint', line: 0, note });
  if (record.registryCheckpoint !== undefined) await verifier.item({ kind: 'registry-checkpoint', line: 0, note: record.registryCheckpoint });
  for (const entry of record.registryEntries) await verifier.item({ kind: 'registry-entry', line: 0, index: entry.index, bytes: entry.bytes, proof: entry.proof });
  if (record.end) await verifier.item({ kind: 'end', line: 0, value: record.end });
  onProgress('election: definition, ceremony, credentials, ballots, tally');
  const { report } = await verifier.finish();
  onProgress('done');
  return report;
}
