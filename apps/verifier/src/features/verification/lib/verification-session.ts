import { CHECKS_OF_FORMAT, CONTRACT_RECORD_FORMAT, RECORD_FORMAT, type CheckId, type CheckStatus, type VerificationReport } from '@townhall/verifier';
import type { BallotLookup } from './ballot-lookup.ts';
import type { RecordFacts } from './record-facts.ts';
import type { CheckProgress, RecordKind, RecordSource, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

/** Each kind of record's checks, in the library's order. */
export const CHECK_IDS: Record<RecordKind, readonly CheckId[]> = {
  election: CHECKS_OF_FORMAT[RECORD_FORMAT],
  contract: CHECKS_OF_FORMAT[CONTRACT_RECORD_FORMAT],
};

export interface CheckState {
  /** `running` once the library reports progress on it; the verdict arrives with the report. */
  status: 'waiting' | 'running' | CheckStatus;
  done: number;
  total?: number;
  message?: string;
}

export interface SessionState {
  sourceName: string;
  sourceKind: RecordSource['kind'];
  /** What the record's first line says it is; an election until the worker has read it (most records are). */
  recordKind: RecordKind;
  phase: 'running' | 'done' | 'failed' | 'cancelled';
  bytesRead: number;
  totalBytes: number | null;
  /** The record kind's checks, in order. */
  checks: Partial<Record<CheckId, CheckState>>;
  report: VerificationReport | null;
  facts: RecordFacts | null;
  seconds: number | null;
  error: string | null;
}

/** What the session needs of a worker (a real Worker, or a fake in tests). */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

function waitingChecks(kind: RecordKind): SessionState['checks'] {
  const checks: SessionState['checks'] = Object.fromEntries(CHECK_IDS[kind].map((id) => [id, { status: 'waiting', done: 0 } satisfies CheckState]));
  checks['record.format'] = { status: 'running', done: 0, message: 'Reading the record' };
  return checks;
}

function initialState(source: RecordSource): SessionState {
  return { sourceName: source.name, sourceKind: source.kind, recordKind: 'election', phase: 'running', bytesRead: 0, totalBytes: null, checks: waitingChecks('election'), report: null, facts: null, seconds: null, error: null };
}

/**
 * Share of the work done, 0…1, or null when it cannot be known. The record is checked as it streams,
 * so the share read measures the work; the last 5 % are the checks that run at the end (aggregate,
 * decryptions, result). A server record is streamed without a length: then the entries read, out of
 * the number its first line announces, stand for it; they are most of the record, the registry
 * section after them the rest (the last 10 %).
 */
export function overallProgress(state: SessionState): number | null {
  if (state.phase === 'done') return 1;
  if (state.totalBytes) return Math.min(1, state.bytesRead / state.totalBytes) * 0.95;
  const entries = state.checks['ledger.entries'];
  if (entries?.total) return Math.min(1, entries.done / entries.total) * 0.9;
  return null;
}

/**
 * One verification of one record in one dedicated worker: turns the worker's messages into a
 * state the pages render, and answers tracking-code and receipt questions from the record the
 * worker keeps. `cancel` terminates the worker.
 */
export class VerificationSession {
  #state: SessionState;
  readonly #worker: WorkerLike;
  readonly #listeners = new Set<() => void>();
  readonly #pending = new Map<number, { resolve: (lookup: BallotLookup | null) => void }>();
  #nextId = 1;

  constructor(source: RecordSource, worker: WorkerLike) {
    this.#state = initialState(source);
    this.#worker = worker;
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => this.#receive(event.data));
    worker.addEventListener('error', (event: ErrorEvent) => {
      this.#update({ phase: 'failed', error: event.message || 'The verifier stopped unexpectedly.' });
      worker.terminate();
    });
    worker.postMessage({ type: 'verify', source });
  }

  get state(): SessionState {
    return this.#state;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getState = (): SessionState => this.#state;

  cancel(): void {
    if (this.#state.phase !== 'running') return;
    this.#worker.terminate();
    this.#update({ phase: 'cancelled' });
  }

  dispose(): void {
    this.#worker.terminate();
    for (const { resolve } of this.#pending.values()) resolve(null);
    this.#pending.clear();
  }

  /** The ballot with this tracking code in the record; null when the record is not loaded. */
  findBallot(trackingCode: string): Promise<BallotLookup | null> {
    return this.#ask((id) => ({ type: 'find-ballot', id, trackingCode }));
  }

  /** Checks a receipt file's text against the record; null when it is not a receipt. */
  checkReceipt(receiptText: string): Promise<BallotLookup | null> {
    return this.#ask((id) => ({ type: 'check-receipt', id, receiptText }));
  }

  #ask(request: (id: number) => WorkerRequest): Promise<BallotLookup | null> {
    if (this.#state.phase !== 'done') return Promise.resolve(null);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, { resolve });
      this.#worker.postMessage(request(id));
    });
  }

  #receive(message: WorkerResponse): void {
    const state = this.#state;
    switch (message.type) {
      case 'reading':
        this.#update({ bytesRead: message.bytesRead, totalBytes: message.totalBytes });
        break;
      case 'record-kind':
        if (message.kind !== state.recordKind) this.#update({ recordKind: message.kind, checks: waitingChecks(message.kind) });
        break;
      case 'check-progress':
        this.#update({ checks: { ...state.checks, [message.progress.check]: progressState(message.progress) } });
        break;
      case 'done': {
        const checks: SessionState['checks'] = Object.fromEntries(message.report.checks.map((c) => [c.id, { status: c.status, done: c.checked, message: c.note }]));
        this.#update({ phase: 'done', checks: { ...state.checks, ...checks }, report: message.report, facts: message.facts, seconds: message.seconds });
        break;
      }
      case 'warm':
        break;
      case 'failed':
        this.#update({ phase: 'failed', error: message.message });
        this.#worker.terminate();
        break;
      case 'ballot':
        this.#settle(message.id, message.lookup);
        break;
      case 'receipt-unreadable':
        this.#settle(message.id, null);
        break;
    }
  }

  #settle(id: number, lookup: BallotLookup | null): void {
    this.#pending.get(id)?.resolve(lookup);
    this.#pending.delete(id);
  }

  #update(change: Partial<SessionState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener();
  }
}

function progressState(progress: CheckProgress): CheckState {
  return { status: 'running', done: progress.done, ...(progress.total === undefined ? {} : { total: progress.total }), message: progress.message };
}
