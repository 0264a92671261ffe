import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ROLL_CSV_COLUMNS, UkPostcode, type RollCsvColumn } from '@townhall/protocol';

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
// Control characters have no place in a name or an address (and would break the printed letter).
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Attainers can be on the roll from 14 (DESIGN §5 leaves eligibility to elections); nobody is 125. */
const MIN_AGE_YEARS = 14;
const MAX_AGE_YEARS = 125;

function checkText(value: string, max: number, what: string): string | undefined {
  if (value.length === 0) return `${what} is empty`;
  if (value.length > max) return `${what} is longer than ${max} characters`;
  if (CONTROL.test(value)) return `${what} contains a control character`;
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
 * Streams a roll CSV (RFC 4180, UTF-8, optional BOM) and validates every row: the header must name
 * exactly ROLL_CSV_COLUMNS (any order); each row needs a well-formed, unique elector number, names,
 * an address, a UK postcode, a plausible ISO date of birth and an existing district code. Valid rows
 * go to `onRows` in batches (so a 100,000-row file is never held whole in memory) only while the
 * file has no problem so far; the caller discards them if problems are found later.
 */
export async function parseRollCsv(
  input: Readable,
  options: { districtCodes: ReadonlySet<string>; onRows: (rows: RollRow[]) => Promise<void>; batchSize?: number; maxProblems?: number; today?: Date },
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

  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, max_record_size: 64 * 1024 }));
  let header: Map<RollCsvColumn, number> | undefined;
  let headerBroken = false;
  const firstLineOf = new Map<string, number>();
  let batch: RollRow[] = [];
  let rowCount = 0;

  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
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
    const csvError = error as { code?: string; message: string; lines?: number };
    if (typeof csvError.code !== 'string' || !csvError.code.startsWith('CSV_')) throw error;
    report({ line: csvError.lines ?? rowCount + 1, column: '(file)', message: `the file is not valid CSV: ${csvError.message}` });
  }
  if (!header) report({ line: 1, column: '(file)', message: `the file is empty (expected a header line: ${ROLL_CSV_COLUMNS.join(',')})` });
  else if (!headerBroken && rowCount === 0) report({ line: 2, column: '(file)', message: 'the file has a header but no electors' });
  if (problemCount === 0 && batch.length > 0) await options.onRows(batch);
  return { rowCount, problemCount, problems };
}
