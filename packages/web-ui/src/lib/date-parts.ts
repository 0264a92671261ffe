import type { DateParts } from '../components/form-fields.tsx';

export type DateCheck =
  | { ok: true; date: string }
  | { ok: false; message: string; parts: (keyof DateParts)[] };

const pad = (value: number, length: number) => String(value).padStart(length, '0');

/** Today's date in UTC as YYYY-MM-DD (the API's calendar for end dates). */
export const todayIso = (now = new Date()) => now.toISOString().slice(0, 10);

/**
 * A GOV.UK date input's answer as an ISO date, or the message GOV.UK's date pattern gives: what
 * is missing, or that it is not a real date. `what` names the date, e.g. "The end date".
 */
export function dateFromParts(parts: DateParts, what: string): DateCheck {
  const trimmed = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  const missing = (['day', 'month', 'year'] as const).filter((key) => trimmed[key] === '');
  if (missing.length === 3) return { ok: false, message: `Enter ${what.toLowerCase()}`, parts: ['day', 'month', 'year'] };
  if (missing.length > 0) return { ok: false, message: `${what} must include a ${missing.join(' and ')}`, parts: missing };
  const [day, month, year] = [Number(trimmed.day), Number(trimmed.month), Number(trimmed.year)];
  const isNumbers = [trimmed.day, trimmed.month, trimmed.year].every((text) => /^\d+$/.test(text));
  const date = new Date(Date.UTC(year, month - 1, day));
  const isReal = isNumbers && trimmed.year.length === 4 && date.getUTCDate() === day && date.getUTCMonth() === month - 1;
  if (!isReal) return { ok: false, message: `${what} must be a real date`, parts: ['day', 'month', 'year'] };
  return { ok: true, date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}
