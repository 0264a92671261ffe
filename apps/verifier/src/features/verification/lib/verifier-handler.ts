import { inProcessPool, verifyRecordSource, type ProofPool } from '@townhall/verifier';
import { checkReceipt, findBallot, parseReceiptText } from './ballot-lookup.ts';
import { RecordIndexer, type RecordIndex } from './record-facts.ts';
import type { RecordSource, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

/**
 * The verifier worker's side of the protocol: streams the record (from a file or the server)
 * through the library's `verifyRecordSource`, whose ballot proofs run in a pool of further workers,
 * forwards its per-check progress, and indexes the same lines on the way past, so tracking codes and
 * receipts can be checked afterwards without the server. The worker file wires it to `self`; tests
 * drive it in-process with the in-process pool.
 */
export function createVerifierHandler(post: (message: WorkerResponse) => void, createPool: () => ProofPool = inProcessPool): (request: WorkerRequest) => void {
  let pool: ProofPool | null = null;
  let index: RecordIndex | null = null;
  const poolOf = () => (pool ??= createPool());

  async function open(source: RecordSource): Promise<{ body: ReadableStream<Uint8Array>; totalBytes: number | null }> {
    if (source.kind === 'file') return { body: source.file.stream() as ReadableStream<Uint8Array>, totalBytes: source.file.size };
    const response = await fetch(source.url, { credentials: 'omit' });
    if (!response.ok || !response.body) throw new Error(response.status === 404 ? 'The server has no record for this election yet.' : `The server answered ${response.status} for the record.`);
    const length = Number(response.headers.get('content-length'));
    return { body: response.body, totalBytes: Number.isFinite(length) && length > 0 ? length : null };
  }

  /** Passes the chunks on unchanged, reporting bytes read and feeding each complete line to the indexer. */
  async function* tap(body: ReadableStream<Uint8Array>, totalBytes: number | null, indexer: RecordIndexer): AsyncGenerator<Uint8Array> {
    const decoder = new TextDecoder();
    const reader = body.getReader();
    let pending = '';
    let bytesRead = 0;
    let lastPosted = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytesRead += value.byteLength;
        pending += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          indexer.addLine(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
        }
        if (bytesRead - lastPosted >= 256 * 1024) {
          post({ type: 'reading', bytesRead, totalBytes });
          lastPosted = bytesRead;
        }
        yield value;
      }
      indexer.addLine(pending + decoder.decode());
      post({ type: 'reading', bytesRead, totalBytes });
    } finally {
      reader.releaseLock();
    }
  }

  async function verify(source: RecordSource): Promise<void> {
    const started = performance.now();
    const { body, totalBytes } = await open(source);
    const indexer = new RecordIndexer();
    const { report } = await verifyRecordSource(tap(body, totalBytes, indexer), {
      pool: poolOf(),
      onProgress: (event) => {
        // Bytes are reported by the tap (finer grained); the rest is per check.
        if (event.check !== 'read') post({ type: 'check-progress', progress: { check: event.check, done: event.done, ...(event.total === undefined ? {} : { total: event.total }), message: event.message } });
      },
    });
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
          post({ type: 'failed', message: error instanceof TypeError && /decod|encod/i.test(error.message) ? 'The file is not UTF-8 text, so it is not an election record.' : ((error as Error).message ?? 'the verifier stopped') }),
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
