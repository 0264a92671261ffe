import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/**
 * Streams a record (docs/protocol/record.md §2) as a JSON Lines download, not cached. The first chunk
 * is pulled before the headers are sent, so a missing log is still a clean 404.
 */
export async function sendRecord(response: Response, chunks: AsyncGenerator<string>, fileName: string): Promise<void> {
  const first = await chunks.next();
  response
    .status(200)
    .setHeader('Cache-Control', 'no-cache')
    .setHeader('Content-Disposition', `attachment; filename="${fileName}"`)
    .type('application/x-ndjson; charset=utf-8');
  async function* all(): AsyncGenerator<string> {
    if (!first.done) yield first.value;
    yield* chunks;
  }
  // pipeline waits for the client to drain (a slow reader never makes the server buffer the record)
  // and stops reading the ledger if the client goes away.
  try {
    await pipeline(Readable.from(all(), { objectMode: false }), response);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}
