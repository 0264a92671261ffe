import { z } from 'zod';
import { fromBase64 } from './bytes.ts';

/**
 * The election record (docs/protocol/record.md): JSON Lines, one object per line. Parsing is
 * line by line from any source of text chunks (a file stream, a fetch body, a string), so a reader
 * never needs the whole text at once; entries are kept (as bytes) for the checks.
 */
export const RECORD_FORMAT = 'townhall/election-record';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const RecordLine = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('record'), format: z.literal(RECORD_FORMAT), version: z.literal(1), electionId: z.string(), createdAt: z.string() }),
  z.object({
    kind: z.literal('keys'),
    electionLog: z.object({ origin: z.string(), verifierKey: z.string() }),
    registryLog: z.object({ origin: z.string(), verifierKey: z.string() }),
    witnessPolicy: z.object({ quorum: z.number().int().min(0), witnesses: z.array(z.string()) }),
  }),
  z.object({ kind: z.literal('entry'), index: z.string().regex(/^(0|[1-9][0-9]*)$/), bytes: Base64 }),
  z.object({ kind: z.literal('checkpoint'), note: z.string() }),
  z.object({ kind: z.literal('registry-checkpoint'), note: z.string() }),
  z.object({ kind: z.literal('registry-entry'), index: z.string().regex(/^(0|[1-9][0-9]*)$/), bytes: Base64, proof: z.array(Base64) }),
  z.object({ kind: z.literal('end'), entries: z.string(), checkpoints: z.number().int(), registryEntries: z.number().int() }),
]);
type RecordLine = z.infer<typeof RecordLine>;

export interface ElectionRecord {
  header?: Extract<RecordLine, { kind: 'record' }>;
  keys?: Extract<RecordLine, { kind: 'keys' }>;
  entries: { index: bigint; bytes: Uint8Array }[];
  checkpoints: string[];
  registryCheckpoint?: string;
  registryEntries: { index: bigint; bytes: Uint8Array; proof: Uint8Array[] }[];
  end?: Extract<RecordLine, { kind: 'end' }>;
  /** Lines that could not be read, with their line number (1-based). */
  problems: { line: number; message: string }[];
}

export async function parseRecord(source: string | Iterable<string> | AsyncIterable<string | Uint8Array>): Promise<ElectionRecord> {
  const record: ElectionRecord = { entries: [], checkpoints: [], registryEntries: [], problems: [] };
  let lineNumber = 0;
  const take = (text: string) => {
    lineNumber++;
    if (text.length === 0) return;
    let line: RecordLine;
    try {
      line = RecordLine.parse(JSON.parse(text));
    } catch (error) {
      record.problems.push({ line: lineNumber, message: error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'not JSON' });
      return;
    }
    try {
      switch (line.kind) {
        case 'record':
          if (record.header || lineNumber !== 1) throw new Error('the record line must come first, once');
          record.header = line;
          break;
        case 'keys':
          if (record.keys) throw new Error('a second keys line');
          record.keys = line;
          break;
        case 'entry':
          record.entries.push({ index: BigInt(line.index), bytes: fromBase64(line.bytes) });
          break;
        case 'checkpoint':
          record.checkpoints.push(line.note);
          break;
        case 'registry-checkpoint':
          record.registryCheckpoint = line.note;
          break;
        case 'registry-entry':
          record.registryEntries.push({ index: BigInt(line.index), bytes: fromBase64(line.bytes), proof: line.proof.map(fromBase64) });
          break;
        case 'end':
          record.end = line;
          break;
      }
      if (record.end && line.kind !== 'end') throw new Error('a line after the end line');
    } catch (error) {
      record.problems.push({ line: lineNumber, message: (error as Error).message });
    }
  };
  if (typeof source === 'string') {
    source.split('\n').forEach(take);
    return record;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      take(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  }
  take(pending);
  return record;
}
