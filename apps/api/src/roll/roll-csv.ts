import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { ROLL_CSV_COLUMNS, UkPostcode, type RollCsvColumn } from '@townhall/protocol';

/** A row as csv-parse gives it (`info: true`). */
type ParsedRow = { record: string[]; info: { lines: number; empty_lines: number } };

/** One validated row of a roll file. */
export interface RollRow {
  line: number;
  electorNumber: string;
  givenName: string;
  familyName: string;
  addressLine: string;
  postcode: string;
  dateOfBirth: string;
  districtCode: string;
}

export interface RollProblem {
  /** Line of the file (1 is the header). */
  line: number;
  column: RollCsvColumn | '(row)' | '(file)';
  message: string;
}

export interface RollParseResult {
  rowCount: number;
  problemCount: number;
  /** The first `maxProblems` problems, in file order. */
  problems: RollProblem[];
}

const ELECTOR_NUMBER = /^[A-Z0-9][A-Z0-9/-]{0,31}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Control characters (C0 and C1) have no place in a name or an address (and would break the printed letter).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Attainers can be on the roll from 14 (docs/decisions/0004-identity.md leaves eligibility to elections); nobody is 125. */
const MIN_AGE_YEARS = 14;
const MAX_AGE_YEARS = 125;

function checkText(value: string, max: number, what: string): string | undefined {
  if (value.length === 0) return `${what} is empty`;
  if (value.length > max) return `${what} is longer than ${max} characters`;
  if (CONTROL.test(value)) return `${what} contains a control character`;
  // U+FFFD stands for a character an earlier conversion could not read: the name is no longer what it was.
  if (value.includes('\uFFFD')) return `${what} contains "\uFFFD", a character lost when the file was converted between encodings`;
  return undefined;
}

function checkDateOfBirth(value: string, today: Date): string | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return `"${value}" is not a date in the form YYYY-MM-DD`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return `"${value}" is not a real date`;
  const youngest = new Date(Date.UTC(today.getUTCFullYear() - MIN_AGE_YEARS, today.getUTCMonth(), today.getUTCDate()));
  const oldest = new Date(Date.UTC(today.getUTCFullYear() - MAX_AGE_YEARS, today.getUTCMonth(), today.getUTCDate()));
  if (date > youngest) return `${value} would make the elector younger than ${MIN_AGE_YEARS}`;
  if (date < oldest) return `${value} would make the elector older than ${MAX_AGE_YEARS}`;
  return undefined;
}

/**
 * How the bytes of a roll file are read. `auto` (no `charset` on the upload, as browsers send a
 * file): UTF-8 when the file is valid UTF-8, otherwise Windows-1252 — what Excel's plain "CSV" saves
 * on a Windows machine in the UK — provided nothing before the first byte that is not UTF-8 was
 * anything but ASCII. A file whose earlier lines hold UTF-8 characters and a later line something
 * else mixes encodings and is refused at that line, rather than imported with mangled names; so is a
 * file that starts with a UTF-8 byte-order mark or was sent as `charset=utf-8` and is not UTF-8.
 */
export type RollCharset = 'auto' | 'utf-8' | 'windows-1252';

/** The charset an upload's Content-Type declares, or `undefined` for one we do not read. */
export function rollCharsetOf(contentType: string): RollCharset | undefined {
  const declared = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (declared === undefined) return 'auto';
  if (declared === 'utf-8' || declared === 'utf8') return 'utf-8';
  // The labels WHATWG Encoding maps to windows-1252 (browsers read ISO-8859-1 as it).
  if (['windows-1252', 'cp1252', 'x-cp1252', 'iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'us-ascii', 'ascii'].includes(declared)) return 'windows-1252';
  return undefined;
}

/** A problem with the file's bytes (encoding, size), raised by the streams in front of the CSV parser. */
export class RollFileError extends Error {
  constructor(
    readonly code: 'ROLL_ENCODING' | 'ROLL_TOO_LARGE',
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'RollFileError';
  }
}

/** Refuses a body past `max` bytes (413); the request is then drained by the caller. */
export function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) return callback(new RollFileError('ROLL_TOO_LARGE', 0, `the file is larger than ${max} bytes`));
      callback(null, chunk);
    },
  });
}

/**
 * Turns the uploaded bytes into UTF-8 for the CSV parser, per RollCharset. Works on blocks cut at a
 * character boundary; Node's isUtf8/isAscii check each block, and only a block with a byte that is
 * not UTF-8 is looked at line by line, to name the line. (iconv-lite reads Windows-1252: Node 20's
 * TextDecoder('windows-1252') reads 0x80–0x9F as C1 controls, so O’Brien would lose its ’.)
 */
export class RollDecoder extends Transform {
  #mode: RollCharset;
  #why: string;
  #carry: Buffer = Buffer.alloc(0);
  #started = false;
  /** Line breaks seen so far (a CR LF pair is one), and whether the last byte seen was a CR. */
  #lines = 0;
  #afterCr = false;

  constructor(charset: RollCharset) {
    super();
    this.#mode = charset;
    this.#why = charset === 'utf-8' ? 'the upload says charset=utf-8' : '';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let data = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
      this.#carry = Buffer.alloc(0);
      if (!this.#started) {
        if (data.length < 3) {
          this.#carry = Buffer.from(data);
          return callback();
        }
        data = this.#start(data);
      }
      const cut = this.#mode === 'windows-1252' ? data.length : completeUtf8Length(data);
      this.#carry = Buffer.from(data.subarray(cut));
      this.#block(data.subarray(0, cut));
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      const data = this.#started ? this.#carry : this.#start(this.#carry);
      this.#carry = Buffer.alloc(0);
      if (data.length > 0) this.#block(data);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** The first bytes: a byte-order mark decides the encoding, whatever the upload declared. */
  #start(data: Buffer): Buffer {
    this.#started = true;
    if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
      this.#mode = 'utf-8';
      this.#why = 'it starts with a UTF-8 byte-order mark';
      return data.subarray(3);
    }
    if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
      throw new RollFileError('ROLL_ENCODING', 1, 'the file is UTF-16 text ("Unicode text"), not CSV: save it as "CSV UTF-8 (comma delimited)" and upload it again');
    }
    return data;
  }

  #block(block: Buffer): void {
    if (this.#mode === 'windows-1252') {
      this.#count(block);
      this.push(Buffer.from(iconv.decode(block, 'windows-1252'), 'utf8'));
      return;
    }
    if (isUtf8(block)) {
      if (this.#mode === 'auto' && !isAscii(block)) this.#utf8From(block);
      this.#count(block);
      this.push(block);
      return;
    }
    // Some line of this block is not UTF-8: find it (a CR or LF is never inside a UTF-8 character).
    let start = 0;
    while (start < block.length) {
      const end = nextLineStart(block, start);
      const line = block.subarray(start, end);
      if (!isUtf8(line)) {
        const lineNumber = this.#lines + 1;
        if (this.#mode === 'auto') {
          // Everything before was ASCII, which Windows-1252 reads the same way: read the rest as Windows-1252.
          this.#mode = 'windows-1252';
          this.#block(block.subarray(start));
          return;
        }
        throw new RollFileError(
          'ROLL_ENCODING',
          lineNumber,
          `line ${lineNumber} is not UTF-8 text, but ${this.#why}: save the whole file as "CSV UTF-8 (comma delimited)" and upload it again`,
        );
      }
      if (this.#mode === 'auto' && !isAscii(line)) this.#utf8From(line);
      this.#count(line);
      this.push(line);
      start = end;
    }
  }

  /** `block` (valid UTF-8, not all ASCII) settles an `auto` file as UTF-8; remembers the first such line for messages. */
  #utf8From(block: Buffer): void {
    let offset = 0;
    while (isAscii(block.subarray(offset, nextLineStart(block, offset)))) offset = nextLineStart(block, offset);
    this.#mode = 'utf-8';
    this.#why = `line ${this.#lines + 1 + lineBreaks(block.subarray(0, offset), this.#afterCr).lines} was read as UTF-8`;
  }

  #count(bytes: Buffer): void {
    ({ lines: this.#lines, afterCr: this.#afterCr } = lineBreaks(bytes, this.#afterCr, this.#lines));
  }
}

/** Line breaks in `bytes` (CR, LF or CR LF; an LF right after a CR that ended the previous bytes is not one more). */
function lineBreaks(bytes: Buffer, afterCr: boolean, lines = 0): { lines: number; afterCr: boolean } {
  let lf = bytes.indexOf(0x0a);
  let cr = bytes.indexOf(0x0d);
  while (lf >= 0 || cr >= 0) {
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      lines++;
      cr = bytes.indexOf(0x0d, cr + 1);
    } else {
      if (!(lf === 0 ? afterCr : bytes[lf - 1] === 0x0d)) lines++;
      lf = bytes.indexOf(0x0a, lf + 1);
    }
  }
  return { lines, afterCr: bytes.length === 0 ? afterCr : bytes[bytes.length - 1] === 0x0d };
}

/** The offset just after the next line break (CR, LF or CR LF) from `start`, or the end. */
function nextLineStart(bytes: Buffer, start: number): number {
  const lf = bytes.indexOf(0x0a, start);
  const end = lf < 0 ? bytes.length : lf;
  const cr = bytes.subarray(start, end).indexOf(0x0d);
  if (cr >= 0) return start + cr + (bytes[start + cr + 1] === 0x0a ? 2 : 1);
  return lf < 0 ? bytes.length : lf + 1;
}

/** The length of `bytes` without a UTF-8 character cut short at its end (kept for the next chunk). */
function completeUtf8Length(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const byte = bytes[i]!;
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) {
      const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return i + size > bytes.length ? i : bytes.length;
    }
  }
  return bytes.length;
}

/** What a CSV syntax error means for the person who saved the file (never the field's value: it may be logged by a proxy). */
function csvErrorMessage(error: CsvError): string {
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return 'a double quote (") inside a field that does not start with one: put the whole field in double quotes and write each double quote inside it twice, as in "say ""hello"""';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after the closing double quote of a quoted field: a double quote inside a quoted field must be written twice, as in "say ""hello"""';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field that starts here is never closed: the rest of the file was read as one field. Check this line for a stray double quote';
    case 'CSV_MAX_RECORD_SIZE':
      return 'the row is longer than 64 KiB (a quoted field that is never closed?)';
    default:
      return 'the row is not valid CSV (RFC 4180)';
  }
}

/**
 * Streams a roll CSV (RFC 4180; UTF-8 with an optional BOM, or Windows-1252: see RollCharset) and
 * validates every row: the header must name
 * exactly ROLL_CSV_COLUMNS (any order); each row needs a well-formed, unique elector number, names,
 * an address, a UK postcode, a plausible ISO date of birth and an existing district code. Valid rows
 * go to `onRows` in batches (so a 100,000-row file is never held whole in memory) only while the
 * file has no problem so far; the caller discards them if problems are found later.
 */
export async function parseRollCsv(
  input: Readable,
  options: {
    districtCodes: ReadonlySet<string>;
    onRows: (rows: RollRow[]) => Promise<void>;
    batchSize?: number;
    maxProblems?: number;
    today?: Date;
    charset?: RollCharset;
    /** Past this many bytes the parse fails with RollFileError('ROLL_TOO_LARGE'). */
    maxBytes?: number;
  },
): Promise<RollParseResult> {
  const batchSize = options.batchSize ?? 5_000;
  const maxProblems = options.maxProblems ?? 500;
  const today = options.today ?? new Date();
  const problems: RollProblem[] = [];
  let problemCount = 0;
  const report = (problem: RollProblem) => {
    problemCount++;
    if (problems.length < maxProblems) problems.push(problem);
  };

  // What a syntax error needs to be placed (the header's names, the last whole row's line), noted as
  // csv-parse reads: rows it read before the error may never reach the loop below.
  let headerNames: string[] | undefined;
  let lastLine = 0;
  let lastEmptyLines = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    max_record_size: 64 * 1024,
    // Typed for records without `info`; with `info: true` each is a ParsedRow.
    on_record: (parsed: string[]) => {
      const { record, info } = parsed as unknown as ParsedRow;
      headerNames ??= record.map((name) => name.toLowerCase());
      lastLine = info.lines;
      lastEmptyLines = info.empty_lines;
      return parsed;
    },
  });
  // `input` (the request) is only piped from, never destroyed: the caller drains what is left of it.
  const front = options.maxBytes === undefined ? new Transform({ transform: (chunk, _e, callback) => callback(null, chunk) }) : limitBytes(options.maxBytes);
  input.pipe(front);
  input.once('error', (error) => front.destroy(error));
  // Errors of any stage end the parser with that error (the loop below throws it); a stop of the loop ends the others.
  pipeline(front, new RollDecoder(options.charset ?? 'auto'), parser, () => undefined);
  let header: Map<RollCsvColumn, number> | undefined;
  let unreadable = false;
  let headerBroken = false;
  const firstLineOf = new Map<string, number>();
  let batch: RollRow[] = [];
  let rowCount = 0;

  try {
    for await (const record of parser as AsyncIterable<ParsedRow>) {
      const line = record.info.lines;
      const fields = record.record;
      if (!header) {
        header = new Map();
        const names = fields.map((f) => f.toLowerCase());
        for (const [i, name] of names.entries()) {
          if (!(ROLL_CSV_COLUMNS as readonly string[]).includes(name)) {
            report({ line, column: '(file)', message: `unknown column "${fields[i]}" (expected ${ROLL_CSV_COLUMNS.join(', ')})` });
            headerBroken = true;
          } else if (header.has(name as RollCsvColumn)) {
            report({ line, column: name as RollCsvColumn, message: `column "${name}" appears twice` });
            headerBroken = true;
          } else header.set(name as RollCsvColumn, i);
        }
        for (const column of ROLL_CSV_COLUMNS) {
          if (!header.has(column)) {
            report({ line, column, message: `missing column "${column}"` });
            headerBroken = true;
          }
        }
        // Rows cannot be read against a wrong header: report the header alone.
        if (headerBroken) break;
        continue;
      }
      rowCount++;
      if (fields.length !== header.size) {
        report({ line, column: '(row)', message: `has ${fields.length} fields, the header has ${header.size}` });
        continue;
      }
      const get = (column: RollCsvColumn) => fields[header!.get(column)!]!;
      const electorNumber = get('elector_number').toUpperCase();
      if (!ELECTOR_NUMBER.test(electorNumber)) {
        report({ line, column: 'elector_number', message: `"${get('elector_number')}" is not an elector number (letters, digits, - and /, at most 32)` });
      } else {
        const first = firstLineOf.get(electorNumber);
        if (first !== undefined) report({ line, column: 'elector_number', message: `${electorNumber} appears already on line ${first}` });
        else firstLineOf.set(electorNumber, line);
      }
      for (const [column, max, what] of [
        ['given_name', 100, 'the given name'],
        ['family_name', 100, 'the family name'],
        ['address', 200, 'the address'],
      ] as const) {
        const problem = checkText(get(column), max, what);
        if (problem) report({ line, column, message: problem });
      }
      const postcode = UkPostcode.safeParse(get('postcode'));
      if (!postcode.success) report({ line, column: 'postcode', message: `"${get('postcode')}" is not a UK postcode` });
      const dateProblem = checkDateOfBirth(get('date_of_birth'), today);
      if (dateProblem) report({ line, column: 'date_of_birth', message: dateProblem });
      const districtCode = get('district').toUpperCase();
      if (!options.districtCodes.has(districtCode)) {
        report({ line, column: 'district', message: `unknown district "${get('district')}" (known: ${[...options.districtCodes].sort().join(', ')})` });
      }
      // Once the file has a problem, nothing more is staged: it will be rejected whole.
      if (problemCount > 0) continue;
      batch.push({
        line,
        electorNumber,
        givenName: get('given_name'),
        familyName: get('family_name'),
        addressLine: get('address'),
        postcode: postcode.data!,
        dateOfBirth: get('date_of_birth'),
        districtCode,
      });
      if (batch.length >= batchSize) {
        await options.onRows(batch);
        batch = [];
      }
    }
  } catch (error) {
    unreadable = true;
    if (error instanceof RollFileError && error.code === 'ROLL_ENCODING') {
      report({ line: error.line, column: '(file)', message: error.message });
    } else if (error instanceof CsvError) {
      // Where: the line the broken row starts on (after the last whole row and any blank lines; a
      // quote left open makes csv-parse notice only lines later, and it counts a CR LF inside quotes
      // as two) and the field's column once the header is known; never the field's value.
      const line = lastLine + 1 + Math.max(0, Number(error.empty_lines ?? 0) - lastEmptyLines);
      const index = typeof error.column === 'number' ? error.column : undefined;
      const named = index === undefined || line <= 1 ? undefined : headerNames?.[index];
      const column = named !== undefined && (ROLL_CSV_COLUMNS as readonly string[]).includes(named) ? (named as RollCsvColumn) : undefined;
      const where = index === undefined ? '' : ` (field ${index + 1}${column ? `, ${column}` : ''})`;
      report({ line, column: column ?? '(row)', message: `the file is not valid CSV${where}: ${csvErrorMessage(error)}` });
    } else throw error;
  } finally {
    // Not done by the pipe itself once the parser stops early: the caller drains the rest of the request.
    input.unpipe(front);
  }
  if (unreadable) {
    // Reported above.
  } else if (!header) report({ line: 1, column: '(file)', message: `the file is empty (expected a header line: ${ROLL_CSV_COLUMNS.join(',')})` });
  else if (!headerBroken && rowCount === 0) report({ line: 2, column: '(file)', message: 'the file has a header but no electors' });
  if (problemCount === 0 && batch.length > 0) await options.onRows(batch);
  return { rowCount, problemCount, problems };
}
