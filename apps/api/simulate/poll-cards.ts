/**
 * Reads activation codes back from the poll-card letters the API prints (POST /api/roll/poll-cards,
 * a PDF with one letter per page), as a resident reads their letter: the page's text names the
 * elector ("… elector SIM-000042") and shows the code (XXXX-XXXX-XXXX-XXXX). The PDF is read as it
 * streams in, one page content stream at a time, so a district of 50,000 letters is never held whole.
 */
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { inflateSync } from 'node:zlib';
import { type ApiClient } from '@townhall/client-flows';

export interface PrintedCard {
  electorNumber: string;
  activationCode: string;
}

const STREAM_START = Buffer.from('stream\n');
const STREAM_END = Buffer.from('\nendstream');
const ELECTOR = /elector ([A-Z0-9][A-Z0-9/-]{0,31})/;
const CODE = /\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/;

/** The text a page content stream shows: each TJ array's hex strings (standard fonts, WinAnsi), in order. */
function pageText(content: string): string {
  const pieces: string[] = [];
  for (const array of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    let line = '';
    for (const hex of array[1]!.matchAll(/<([0-9a-fA-F]*)>/g)) line += Buffer.from(hex[1]!, 'hex').toString('latin1');
    pieces.push(line);
  }
  return pieces.join('\n');
}

/** Yields the elector number and activation code of every letter in a poll-card PDF stream. */
export async function* readPollCards(pdf: AsyncIterable<Uint8Array>): AsyncGenerator<PrintedCard> {
  let buffer = Buffer.alloc(0);
  for await (const chunk of pdf) {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
    let consumed = 0;
    for (;;) {
      const start = buffer.indexOf(STREAM_START, consumed);
      if (start < 0) break;
      const end = buffer.indexOf(STREAM_END, start + STREAM_START.length);
      if (end < 0) break;
      consumed = end + STREAM_END.length;
      let content: string;
      try {
        content = inflateSync(buffer.subarray(start + STREAM_START.length, end)).toString('latin1');
      } catch {
        continue; // not a compressed content stream (e.g. an image or the document's metadata)
      }
      const text = pageText(content);
      const elector = ELECTOR.exec(text);
      const code = CODE.exec(text);
      if (elector && code) yield { electorNumber: elector[1]!, activationCode: code[1]!.replaceAll('-', '') };
    }
    // Keep only what may still hold an unfinished stream (or the first bytes of its marker).
    const pending = buffer.indexOf(STREAM_START, consumed);
    buffer = buffer.subarray(pending >= 0 ? pending : Math.max(consumed, buffer.length - STREAM_START.length + 1));
  }
}

/** An officer prints a district's poll cards (POST /api/roll/poll-cards) and reads each letter as it streams in. */
export async function* printPollCards(officer: ApiClient, district: string): AsyncGenerator<PrintedCard> {
  const response = await officer.post('/api/roll/poll-cards', { district });
  if (response.status !== 200 || !response.body) throw new Error(`POST /api/roll/poll-cards answered ${response.status}: ${await response.text()}`);
  yield* readPollCards(Readable.fromWeb(response.body as ReadableStream<Uint8Array>));
}
