import type { ValidationIssue } from '@townhall/protocol';

export interface RollProblem {
  /** Line of the file (the header is line 1), or null when the API did not name one. */
  line: number | null;
  /** A column of the roll, or "(file)" / "(row)" for a problem with the file or the whole row. */
  column: string;
  message: string;
}

const COLUMN_LABELS: Record<string, string> = {
  '(file)': 'Whole file',
  '(row)': 'Whole row',
};

/** ROLL_INVALID names each problem by path "<line>.<column>" (protocol identity.ts). */
export function readRollProblems(issues: readonly ValidationIssue[]): RollProblem[] {
  return issues.map((issue) => {
    const match = /^(\d+)\.(.+)$/.exec(issue.path);
    if (!match) return { line: null, column: issue.path || '(file)', message: issue.message };
    return { line: Number(match[1]), column: match[2] as string, message: issue.message };
  });
}

export function columnLabel(column: string): string {
  return COLUMN_LABELS[column] ?? column;
}

/** A person reading the report opens the file in a spreadsheet: a message starts with a capital. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
