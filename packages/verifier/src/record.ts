import { z } from 'zod';
import { fromBase64 } from './bytes.ts';
import { readLines, type RecordSource, type SourceLine } from './lines.ts';

/**
 * The election record (docs/protocol/record.md): JSON Lines, one object per line. Parsing is
 * line by line from any source of text chunks (a file stream, a fetch body, a string), so a reader
 * never needs the whole text at once; entries are kept (as bytes) for the checks.
 */
export const RECORD_FORMAT = 'townhall/election-record';

// Checked when decoded, strictly (fromBase64 below), rather than by a regular expression over every line.
const Base64 = z.string();
const RecordLine = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('record'), format: z.literal(RECORD_FORMAT), version: z.literal(1), electionId: z.string(), createdAt: z.string(), entries: z.string().regex(/^(0|[1-9][0-9]*)$/).optional() }),
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
export type RecordLine = z.infer<typeof RecordLine>;

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

/**
 * One line of the record, decoded, with the order rules of record.md §2 applied as lines arrive. A
 * line that reads but stands where the format does not put it (out of order, or a repeat) carries
 * `misplaced`: it fails `record.format`, and is still checked like any other line.
 */
export type RecordItem = (
  | { kind: 'record'; line: number; value: Extract<RecordLine, { kind: 'record' }> }
  | { kind: 'keys'; line: number; value: Extract<RecordLine, { kind: 'keys' }> }
  | { kind: 'entry'; line: number; index: bigint; bytes: Uint8Array }
  | { kind: 'checkpoint'; line: number; note: string }
  | { kind: 'registry-checkpoint'; line: number; note: string }
  | { kind: 'registry-entry'; line: number; index: bigint; bytes: Uint8Array; proof: Uint8Array[] }
  | { kind: 'end'; line: number; value: Extract<RecordLine, { kind: 'end' }> }
  | { kind: 'problem'; line: number; message: string }
) & { misplaced?: string };

// record.md §2: the kinds of lines, in the order they come.
const ORDER: Record<RecordLine['kind'], number> = { record: 0, keys: 1, entry: 2, checkpoint: 3, 'registry-checkpoint': 4, 'registry-entry': 5, end: 6 };

/** A checkpoint note's size (its second line), or undefined if it has none (reported by the signature checks). */
function checkpointSize(note: string): bigint | undefined {
  const size = note.split('\n', 2)[1];
  return size !== undefined && /^(0|[1-9][0-9]{0,19})$/.test(size) ? BigInt(size) : undefined;
}

/**
 * Reads the lines of a record one by one; remembers only what the order rules need. The rules make
 * the file canonical — one file per record: the kinds in their order, entries by index (checked
 * with the chain, LedgerStream), checkpoints by strictly increasing size, registry entries by
 * strictly increasing index, every one-off line once, no blank line — so no line can be repeated
 * or moved without `record.format` failing.
 */
export class RecordLineReader {
  #sawHeader = false;
  #sawKeys = false;
  #sawEnd = false;
  #sawRegistryCheckpoint = false;
  #stage = 0;
  #checkpointSize = -1n;
  #registryIndex = -1n;

  read(source: SourceLine): RecordItem | undefined {
    const lineNumber = source.line;
    if (source.text.length === 0) {
      // The newline that ends the last line makes no line; any other empty line is a blank line.
      return { kind: 'problem', line: lineNumber, message: 'a blank line (record.md §2: one JSON object per line, no blank lines)' };
    }
    let line: RecordLine;
    try {
      line = RecordLine.parse(JSON.parse(source.text));
    } catch (error) {
      if (!source.terminated) return { kind: 'problem', line: lineNumber, message: 'the last line is cut short (no newline, not a complete JSON object): the record is truncated' };
      return { kind: 'problem', line: lineNumber, message: error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'not JSON' };
    }
    try {
      const afterEnd = this.#sawEnd;
      let item: RecordItem;
      switch (line.kind) {
        case 'record':
          if (this.#sawHeader || lineNumber !== 1) throw new Error('the record line must come first, once');
          this.#sawHeader = true;
          item = { kind: 'record', line: lineNumber, value: line };
          break;
        case 'keys':
          if (this.#sawKeys) throw new Error('a second keys line');
          this.#sawKeys = true;
          item = { kind: 'keys', line: lineNumber, value: line };
          break;
        case 'entry':
          item = { kind: 'entry', line: lineNumber, index: BigInt(line.index), bytes: fromBase64(line.bytes) };
          break;
        case 'checkpoint': {
          item = { kind: line.kind, line: lineNumber, note: line.note };
          const size = checkpointSize(line.note);
          if (size !== undefined) {
            if (size <= this.#checkpointSize) item.misplaced = `a checkpoint of size ${size} after one of size ${this.#checkpointSize}: checkpoints come once each, by increasing size`;
            else this.#checkpointSize = size;
          }
          break;
        }
        case 'registry-checkpoint':
          if (this.#sawRegistryCheckpoint) throw new Error('a second registry-checkpoint line');
          this.#sawRegistryCheckpoint = true;
          item = { kind: line.kind, line: lineNumber, note: line.note };
          break;
        case 'registry-entry': {
          const index = BigInt(line.index);
          item = { kind: 'registry-entry', line: lineNumber, index, bytes: fromBase64(line.bytes), proof: line.proof.map(fromBase64) };
          if (index <= this.#registryIndex) item.misplaced = `registry entry ${index} after registry entry ${this.#registryIndex}: registry entries come once each, by increasing index`;
          else this.#registryIndex = index;
          break;
        }
        case 'end':
          this.#sawEnd = true;
          item = { kind: 'end', line: lineNumber, value: line };
          break;
      }
      if (afterEnd) throw new Error('a line after the end line');
      const stage = ORDER[line.kind];
      if (stage < this.#stage) item.misplaced ??= `a ${line.kind} line after the lines that follow it (record.md §2)`;
      this.#stage = Math.max(this.#stage, stage);
      return item;
    } catch (error) {
      return { kind: 'problem', line: lineNumber, message: (error as Error).message };
    }
  }
}

/**
 * Reads the whole record into memory (fine for small records and for tools that edit them); large
 * records are better verified straight from their source with `verifyRecordSource`.
 */
export async function parseRecord(source: RecordSource): Promise<ElectionRecord> {
  const record: ElectionRecord = { entries: [], checkpoints: [], registryEntries: [], problems: [] };
  const reader = new RecordLineReader();
  for await (const sourceLine of readLines(source)) {
    const item = reader.read(sourceLine);
    if (!item) continue;
    if (item.misplaced !== undefined) record.problems.push({ line: item.line, message: item.misplaced });
    switch (item.kind) {
      case 'record':
        record.header = item.value;
        break;
      case 'keys':
        record.keys = item.value;
        break;
      case 'entry':
        record.entries.push({ index: item.index, bytes: item.bytes });
        break;
      case 'checkpoint':
        record.checkpoints.push(item.note);
        break;
      case 'registry-checkpoint':
        record.registryCheckpoint = item.note;
        break;
      case 'registry-entry':
        record.registryEntries.push({ index: item.index, bytes: item.bytes, proof: item.proof });
        break;
      case 'end':
        record.end = item.value;
        break;
      case 'problem':
        record.problems.push({ line: item.line, message: item.message });
        break;
    }
  }
  return record;
}
