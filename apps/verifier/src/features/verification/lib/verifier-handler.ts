import { CONTRACT_RECORD_FORMAT, inProcessPool, peekRecordFormat, verifyContractRecordSource, verifyRecordSource, type ProgressEvent, type ProofPool } from '@townhall/verifier';
import { checkReceipt, findBallot, parseReceiptText } from './ballot-lookup.ts';
import { RecordIndexer, type RecordIndex } from './record-facts.ts';
import type { RecordSource, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

/**
 * The verifier worker's side of the protocol: reads the record's first line to tell an election
 * record from a contract record (as `townhall-verify` does), then streams it (from a file or the
 * server) through the library: an election record through `verifyRecordSource`, whose ballot proofs
 * run in a pool of further workers, indexing the same lines on the way past so tracking codes and
 * receipts can be checked afterwards without the server; a contract record through
 * `verifyContractRecordSource`, which needs no pool. It forwards the per-check progress. The worker
 * file wires it to `self`; tests drive it in-process with the in-process pool.
 */
export function createVerifierHandler(post: (message: WorkerResponse) => void, createPool: () => ProofPool = inProcessPool): (request: WorkerRequest) => void {
  let pool: ProofPool | null = null;
  let index: RecordIndex | null = null;
  const poolOf = () => (pool ??= createPool());

  async function open(source: RecordSource): Promise<{ body: ReadableStream<Uint8Array>; totalBytes: number | null }> {
    if (source.kind === 'file') return { body: source.file.stream() as ReadableStream<Uint8Array>, totalBytes: source.file.size };
    const response = await fetch(source.url, { credentials: 'omit' });
    if (!response.ok || !response.body) throw new Error(response.status === 404 ? 'The server has no such record: check the election or the contract’s reference.' : `The server answered ${response.status} for the record.`);
    const length = Number(response.headers.get('content-length'));
    return { body: response.body, totalBytes: Number.isFinite(length) && length > 0 ? length : null };
  }

  /** Passes the chunks on unchanged, reporting bytes read and feeding each complete line to the indexer (an election record's). */
  async function* tap(chunks: AsyncIterable<Uint8Array>, totalBytes: number | null, indexer: RecordIndexer | null): AsyncGenerator<Uint8Array> {
    const decoder = new TextDecoder();
    let pending = '';
    let bytesRead = 0;
    let lastPosted = 0;
    for await (const value of chunks) {
      bytesRead += value.byteLength;
      if (indexer) {
        pending += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          indexer.addLine(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
        }
      }
      if (bytesRead - lastPosted >= 256 * 1024) {
        post({ type: 'reading', bytesRead, totalBytes });
        lastPosted = bytesRead;
      }
      yield value;
    }
    indexer?.addLine(pending + decoder.decode());
    post({ type: 'reading', bytesRead, totalBytes });
  }

  // Bytes are reported by the tap (finer grained); the rest is per check.
  const onProgress = (event: ProgressEvent) => {
    if (event.check !== 'read') post({ type: 'check-progress', progress: { check: event.check, done: event.done, ...(event.total === undefined ? {} : { total: event.total }), message: event.message } });
  };

  async function verify(source: RecordSource): Promise<void> {
    const started = performance.now();
    const { body, totalBytes } = await open(source);
    const { format, source: chunks } = await peekRecordFormat(body);
    if (format === CONTRACT_RECORD_FORMAT) {
      post({ type: 'record-kind', kind: 'contract' });
      const report = await verifyContractRecordSource(tap(chunks as AsyncIterable<Uint8Array>, totalBytes, null), { onProgress });
      post({ type: 'done', report, facts: null, seconds: (performance.now() - started) / 1000 });
      return;
    }
    post({ type: 'record-kind', kind: 'election' });
    const indexer = new RecordIndexer();
    const { report } = await verifyRecordSource(tap(chunks as AsyncIterable<Uint8Array>, totalBytes, indexer), { pool: poolOf(), onProgress });
    index = indexer.finish();
    post({ type: 'done', report, facts: index.facts, seconds: (performance.now() - started) / 1000 });
  }

  return (request: WorkerRequest) => {
    switch (request.type) {
      case 'warm-up':
        poolOf();
        post({ type: 'warm' });
        break;
      case 'verify':
        verify(request.source).catch((error: unknown) =>
          post({ type: 'failed', message: error instanceof TypeError && /decod|encod/i.test(error.message) ? 'The file is not UTF-8 text, so it is not a record.' : ((error as Error).message ?? 'the verifier stopped') }),
        );
        break;
      case 'find-ballot':
        if (index) post({ type: 'ballot', id: request.id, lookup: findBallot(index, request.trackingCode) });
        break;
      case 'check-receipt': {
        const receipt = parseReceiptText(request.receiptText);
        if (!index || !receipt) post({ type: 'receipt-unreadable', id: request.id });
        else post({ type: 'ballot', id: request.id, lookup: checkReceipt(index, receipt) });
        break;
      }
    }
  };
}
