/**
 * JSON Lines reading (docs/protocol/record.md §2) from any source of text or bytes: a string, an
 * iterable of strings, an async iterable of chunks (a Node stream) or a WHATWG ReadableStream (a
 * fetch body, a File's stream()). Only one line is held at a time, never the whole text.
 */
export type RecordSource = string | Iterable<string> | AsyncIterable<string | Uint8Array> | ReadableStream<Uint8Array>;

export interface SourceLine {
  /** 1-based line number. */
  readonly line: number;
  readonly text: string;
  /** False for a last line that ends without a newline (a cut-off download, or a hand-made file). */
  readonly terminated: boolean;
}

async function* chunksOf(source: RecordSource, signal?: AbortSignal): AsyncIterable<string | Uint8Array> {
  if (typeof source === 'string') {
    yield source;
    return;
  }
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    signal?.throwIfAborted();
    yield chunk;
  }
}

/** Yields the lines of the source with their numbers; `onBytes` reports how much was read. */
export async function* readLines(source: RecordSource, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {}): AsyncIterable<SourceLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let line = 0;
  let bytes = 0;
  for await (const chunk of chunksOf(source, options.signal)) {
    if (typeof chunk === 'string') {
      pending += chunk;
      bytes += chunk.length;
    } else {
      pending += decoder.decode(chunk, { stream: true });
      bytes += chunk.byteLength;
    }
    options.onBytes?.(bytes);
    let start = 0;
    let newline: number;
    while ((newline = pending.indexOf('\n', start)) >= 0) {
      yield { line: ++line, text: pending.slice(start, newline), terminated: true };
      start = newline + 1;
    }
    pending = start > 0 ? pending.slice(start) : pending;
  }
  pending += decoder.decode();
  if (pending.length > 0) yield { line: ++line, text: pending, terminated: false };
}

/**
 * The `format` of a record's first line (record.md §2: `townhall/election-record`,
 * `townhall/contract-record`), read without losing anything: `source` yields every chunk again,
 * the ones read to find the line first. `format` is undefined when the first line has none.
 */
export async function peekRecordFormat(source: RecordSource): Promise<{ format: string | undefined; source: AsyncIterable<string | Uint8Array> }> {
  const iterator = chunksOf(source)[Symbol.asyncIterator]();
  const read: (string | Uint8Array)[] = [];
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let done = false;
  // The first line is a few hundred bytes; a longer one is not a record line, whatever it holds.
  while (!text.includes('\n') && text.length < 1 << 16) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    read.push(next.value);
    text += typeof next.value === 'string' ? next.value : decoder.decode(next.value, { stream: true });
  }
  let format: string | undefined;
  try {
    const first = JSON.parse(text.split('\n', 1)[0]!) as { format?: unknown };
    if (typeof first?.format === 'string') format = first.format;
  } catch {
    format = undefined;
  }
  async function* all(): AsyncIterable<string | Uint8Array> {
    yield* read;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { format, source: all() };
}
