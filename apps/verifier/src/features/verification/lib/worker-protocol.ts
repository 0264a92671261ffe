import type { CheckId, VerificationReport } from '@townhall/verifier';
import type { BallotLookup } from './ballot-lookup.ts';
import type { RecordFacts } from './record-facts.ts';

/** Where the record comes from: a file the observer chose, or the server's record URL (absolute: workers may run from a blob: URL). */
export type RecordSource = { kind: 'file'; file: Blob; name: string } | { kind: 'url'; url: string; name: string };

export type WorkerRequest =
  /** Start the proof pool now, while the network is there to load its workers. */
  | { type: 'warm-up' }
  | { type: 'verify'; source: RecordSource }
  | { type: 'find-ballot'; id: number; trackingCode: string }
  | { type: 'check-receipt'; id: number; receiptText: string };

/** What the record's first line says it is (record.md §2, contracts.md §12.1). */
export type RecordKind = 'election' | 'contract';

/** Progress of one check (or of reading the file, under `record.format`). */
export interface CheckProgress {
  check: CheckId;
  done: number;
  total?: number;
  message: string;
}

export type WorkerResponse =
  | { type: 'reading'; bytesRead: number; totalBytes: number | null }
  | { type: 'warm' }
  /** Sent once the first line is read: the page then lists that kind's checks. */
  | { type: 'record-kind'; kind: RecordKind }
  | { type: 'check-progress'; progress: CheckProgress }
  /** `facts` are an election's (names, turnout, ballots); null for a contract record, whose report carries its statement. */
  | { type: 'done'; report: VerificationReport; facts: RecordFacts | null; seconds: number }
  | { type: 'failed'; message: string }
  | { type: 'ballot'; id: number; lookup: BallotLookup }
  | { type: 'receipt-unreadable'; id: number };
