/** What an outside observer sees over HTTP: the log's head and published checkpoint, the record. */
import { decodeEntry, parseRecord, verifyRecord, type VerificationReport } from '@townhall/verifier';

export interface LogView {
  size: bigint;
  publishedSize: bigint;
}

export async function logView(baseUrl: string, electionId: string): Promise<LogView> {
  const response = await fetch(`${baseUrl}/api/ledger/election-${electionId}`);
  if (response.status !== 200) throw new Error(`GET /api/ledger/election-${electionId} answered ${response.status}`);
  const log = (await response.json()) as { size: string; published: { size: string } | null };
  return { size: BigInt(log.size), publishedSize: BigInt(log.published?.size ?? '0') };
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until a published (cosigned) checkpoint covers the whole log. */
export function waitForPublishedHead(baseUrl: string, electionId: string, timeoutMs = 60_000): Promise<LogView> {
  return waitUntil(async () => {
    const view = await logView(baseUrl, electionId);
    return view.publishedSize === view.size && view;
  }, 'a published checkpoint covering the whole election log', timeoutMs);
}

export interface VerifiedRecord {
  report: VerificationReport;
  /** Tracking code (hex) → ledger index, for every BallotCast entry of the record. */
  castAt: Map<string, bigint>;
  ballotCastEntries: number;
}

/** Downloads the election record and verifies it with the observer's verifier (packages/verifier). */
export async function downloadAndVerify(baseUrl: string, electionId: string): Promise<VerifiedRecord> {
  const response = await fetch(`${baseUrl}/api/elections/${electionId}/record`);
  if (response.status !== 200) throw new Error(`GET record answered ${response.status}`);
  const record = await parseRecord(await response.text());
  const castAt = new Map<string, bigint>();
  let ballotCastEntries = 0;
  for (const entry of record.entries) {
    const decoded = decodeEntry(entry.bytes);
    if (decoded.type !== 'BallotCast') continue;
    ballotCastEntries++;
    castAt.set(String(decoded.body.trackingCode), entry.index);
  }
  return { report: await verifyRecord(record), castAt, ballotCastEntries };
}
