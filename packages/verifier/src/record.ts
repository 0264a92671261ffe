import { z } from 'zod';
import { fromBase64 } from './bytes.ts';
import { readLines, type RecordSource, type SourceLine } from './lines.ts';
import type { ReportBuilder } from './report.ts';

/**
 * The election record (docs/protocol/record.md): JSON Lines, one object per line. Parsing is
 * line by line from any source of text chunks (a file stream, a fetch body, a string), so a reader
 * never needs the whole text at once; entries are kept (as bytes) for the checks.
 */
export const RECORD_FORMAT = 'townhall/election-record';
/** The contract record (docs/protocol/contracts.md §12): the same lines, for one contract's log. */
export const CONTRACT_RECORD_FORMAT = 'townhall/contract-record';

// Checked when decoded, strictly (fromBase64 below), rather than by a regular expression over every line.
const Base64 = z.string();
const Count = z.string().regex(/^(0|[1-9][0-9]*)$/);
const LogKey = z.object({ origin: z.string(), verifierKey: z.string() });
const WitnessPolicy = z.object({ quorum: z.number().int().min(0), witnesses: z.array(z.string()) });

// The lines whose fields depend on the record's format: what it is of, and the key of that log.
const ElectionHeader = z.object({ kind: z.literal('record'), format: z.literal(RECORD_FORMAT), version: z.literal(1), electionId: z.string(), createdAt: z.string(), entries: Count.optional() });
const ElectionKeys = z.object({ kind: z.literal('keys'), electionLog: LogKey, registryLog: LogKey, witnessPolicy: WitnessPolicy });
const ContractHeader = z.object({ kind: z.literal('record'), format: z.literal(CONTRACT_RECORD_FORMAT), version: z.literal(1), contractId: z.string(), createdAt: z.string(), entries: Count.optional() });
const ContractKeys = z.object({ kind: z.literal('keys'), contractLog: LogKey, registryLog: LogKey, witnessPolicy: WitnessPolicy });
export type ContractHeaderLine = z.infer<typeof ContractHeader>;
export type ContractKeysLine = z.infer<typeof ContractKeys>;

// The lines every format shares (record.md §2).
const SharedLine = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('entry'), index: Count, bytes: Base64 }),
  z.object({ kind: z.literal('checkpoint'), note: z.string() }),
  z.object({ kind: z.literal('registry-checkpoint'), note: z.string() }),
  z.object({ kind: z.literal('registry-entry'), index: Count, bytes: Base64, proof: z.array(Base64) }),
  z.object({ kind: z.literal('end'), entries: z.string(), checkpoints: z.number().int(), registryEntries: z.number().int() }),
]);
/** A line of an election record. */
export type RecordLine = z.infer<typeof ElectionHeader> | z.infer<typeof ElectionKeys> | z.infer<typeof SharedLine>;

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

/** A format's own `record` and `keys` lines (the election record's by default). */
interface FormatLines<H, K> {
  readonly header: z.ZodType<H>;
  readonly keys: z.ZodType<K>;
}
const ELECTION_LINES: FormatLines<Extract<RecordLine, { kind: 'record' }>, Extract<RecordLine, { kind: 'keys' }>> = { header: ElectionHeader, keys: ElectionKeys };
export const CONTRACT_LINES: FormatLines<ContractHeaderLine, ContractKeysLine> = { header: ContractHeader, keys: ContractKeys };

/**
 * One line of the record, decoded, with the order rules of record.md §2 applied as lines arrive. A
 * line that reads but stands where the format does not put it (out of order, or a repeat) carries
 * `misplaced`: it fails `record.format`, and is still checked like any other line.
 */
export type RecordItem<H = Extract<RecordLine, { kind: 'record' }>, K = Extract<RecordLine, { kind: 'keys' }>> = (
  | { kind: 'record'; line: number; value: H }
  | { kind: 'keys'; line: number; value: K }
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
export class RecordLineReader<H = Extract<RecordLine, { kind: 'record' }>, K = Extract<RecordLine, { kind: 'keys' }>> {
  #sawHeader = false;
  #sawKeys = false;
  #sawEnd = false;
  #sawRegistryCheckpoint = false;
  #stage = 0;
  #checkpointSize = -1n;
  #registryIndex = -1n;
  readonly #lines: FormatLines<H, K>;

  constructor(lines?: FormatLines<H, K>) {
    this.#lines = lines ?? (ELECTION_LINES as unknown as FormatLines<H, K>);
  }

  read(source: SourceLine): RecordItem<H, K> | undefined {
    const lineNumber = source.line;
    if (source.text.length === 0) {
      // The newline that ends the last line makes no line; any other empty line is a blank line.
      return { kind: 'problem', line: lineNumber, message: 'a blank line (record.md §2: one JSON object per line, no blank lines)' };
    }
    let line: z.infer<typeof SharedLine> | { kind: 'record'; value: H } | { kind: 'keys'; value: K };
    try {
      const json = JSON.parse(source.text) as { kind?: unknown };
      // The format's own lines are read with its schemas; the others are the same in every format.
      if (json?.kind === 'record') line = { kind: 'record', value: this.#lines.header.parse(json) };
      else if (json?.kind === 'keys') line = { kind: 'keys', value: this.#lines.keys.parse(json) };
      else line = SharedLine.parse(json);
    } catch (error) {
      if (!source.terminated) return { kind: 'problem', line: lineNumber, message: 'the last line is cut short (no newline, not a complete JSON object): the record is truncated' };
      return { kind: 'problem', line: lineNumber, message: error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'not JSON' };
    }
    try {
      const afterEnd = this.#sawEnd;
      let item: RecordItem<H, K>;
      switch (line.kind) {
        case 'record':
          if (this.#sawHeader || lineNumber !== 1) throw new Error('the record line must come first, once');
          this.#sawHeader = true;
          item = { kind: 'record', line: lineNumber, value: line.value };
          break;
        case 'keys':
          if (this.#sawKeys) throw new Error('a second keys line');
          this.#sawKeys = true;
          item = { kind: 'keys', line: lineNumber, value: line.value };
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

/**
 * record.md §2: the record line is there, and the counts the `record` and `end` lines announce are the
 * record's (a missing or different `end` line means a truncated or altered file).
 */
export function checkRecordCounts(
  report: ReportBuilder,
  subject: 'election' | 'contract',
  lines: { header?: { entries?: string }; end?: Extract<RecordLine, { kind: 'end' }>; found: { entries: number; checkpoints: number; registryEntries: number } },
): void {
  const { header, end, found } = lines;
  if (!header) report.fail('record.format', `the record line (format, version, ${subject}) is missing`);
  if (!end) report.fail('record.format', 'the end line is missing: the record is truncated');
  else if (end.entries !== String(found.entries) || end.checkpoints !== found.checkpoints || end.registryEntries !== found.registryEntries) {
    report.fail('record.format', 'the record has a different number of lines than its end line announces', {
      announced: { entries: end.entries, checkpoints: end.checkpoints, registryEntries: end.registryEntries },
      found,
    });
  }
  if (header?.entries !== undefined && header.entries !== String(found.entries)) {
    report.fail('record.format', `the record line announces ${header.entries} entries, the record has ${found.entries}`, { announced: header.entries, found: found.entries });
  }
}
