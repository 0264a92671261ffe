import { CHECKS, parseRecord, verifyRecord, type CheckId, type ElectionRecord } from '@townhall/verifier';
import { checkReceipt, findBallot, parseReceiptText } from './ballot-lookup.ts';
import { indexRecord, type RecordIndex } from './record-facts.ts';
import type { RecordSource, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

const ALL_CHECKS = Object.keys(CHECKS) as CheckId[];
// The library reports its two phases by name; the app shows which checks each phase covers.
const PHASES: { prefix: string; checks: CheckId[] }[] = [
  { prefix: 'ledger', checks: ALL_CHECKS.filter((id) => id.startsWith('ledger.') || id.startsWith('registry.')) },
  { prefix: 'election', checks: ALL_CHECKS.filter((id) => !id.startsWith('ledger.') && !id.startsWith('registry.') && id !== 'record.format') },
];

/**
 * The verifier worker's side of the protocol: reads the record (from a file or the server), runs the
 * library's checks, reports progress, and keeps the record to answer tracking-code and receipt
 * questions. The worker file only wires it to `self`; tests drive it in-process.
 */
export function createVerifierHandler(post: (message: WorkerResponse) => void): (request: WorkerRequest) => void {
  let loaded: { record: ElectionRecord; index: RecordIndex } | null = null;

  async function* chunksOf(source: RecordSource): AsyncGenerator<Uint8Array> {
    let body: ReadableStream<Uint8Array>;
    let totalBytes: number | null;
    if (source.kind === 'file') {
      body = source.file.stream() as ReadableStream<Uint8Array>;
      totalBytes = source.file.size;
    } else {
      const response = await fetch(source.url, { credentials: 'omit' });
      if (!response.ok || !response.body) throw new Error(response.status === 404 ? 'The server has no record for this election yet.' : `The server answered ${response.status} for the record.`);
      body = response.body;
      const length = Number(response.headers.get('content-length'));
      totalBytes = Number.isFinite(length) && length > 0 ? length : null;
    }
    const reader = body.getReader();
    let bytesRead = 0;
    let lastPosted = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytesRead += value.byteLength;
      if (bytesRead - lastPosted > 256 * 1024) {
        post({ type: 'reading', bytesRead, totalBytes });
        lastPosted = bytesRead;
      }
      yield value;
    }
    post({ type: 'reading', bytesRead, totalBytes });
  }

  async function verify(source: RecordSource): Promise<void> {
    const started = performance.now();
    let record: ElectionRecord;
    try {
      record = await parseRecord(chunksOf(source));
    } catch (error) {
      const message = error instanceof TypeError && /decode/i.test(error.message) ? 'The file is not UTF-8 text, so it is not an election record.' : (error as Error).message;
      post({ type: 'failed', message });
      return;
    }
    if (!record.header && record.entries.length === 0) {
      post({ type: 'failed', message: 'This file is not a Townhall election record: its first line is not the record line (townhall/election-record, version 1).' });
      return;
    }
    post({ type: 'read', entries: record.entries.length, checkpoints: record.checkpoints.length });
    const report = await verifyRecord(record, (step) => {
      const phase = PHASES.find((p) => step.startsWith(p.prefix));
      if (phase) post({ type: 'progress', checks: phase.checks, message: step });
    });
    const index = indexRecord(record);
    loaded = { record, index };
    post({ type: 'done', report, facts: index.facts, seconds: (performance.now() - started) / 1000 });
  }

  return (request: WorkerRequest) => {
    switch (request.type) {
      case 'verify':
        verify(request.source).catch((error: unknown) => post({ type: 'failed', message: (error as Error).message ?? 'the verifier stopped' }));
        break;
      case 'find-ballot':
        if (loaded) post({ type: 'ballot', id: request.id, lookup: findBallot(loaded.index, request.trackingCode) });
        break;
      case 'check-receipt': {
        const receipt = parseReceiptText(request.receiptText);
        if (!loaded || !receipt) post({ type: 'receipt-unreadable', id: request.id });
        else post({ type: 'ballot', id: request.id, lookup: checkReceipt(loaded.record, loaded.index, receipt) });
        break;
      }
    }
  };
}
