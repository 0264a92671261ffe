import { TZDate, tzOffset } from '@date-fns/tz';
import { addMonths } from 'date-fns';
import type { CalendarName } from '@townhall/protocol';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './calendars/england-and-wales.ts';

/**
 * Time in a contract (docs/protocol/contracts.md §5). Instants are milliseconds since the epoch.
 * Dates are "days": whole days since 1970-01-01 of the civil calendar, read in Europe/London.
 * The time-zone rules (GMT/BST and their changes) come from @date-fns/tz, i.e. the runtime's IANA
 * database; nothing here knows when the clocks change. Results are memoised because a consortium
 * year asks the same few hundred questions millions of times.
 */
export const CONTRACT_TIME_ZONE = 'Europe/London';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A calendar has no dates for the day asked about: the contract's dates need a newer calendar. */
export class CalendarRangeError extends Error {
  constructor(
    readonly calendar: CalendarName,
    readonly date: string,
  ) {
    super(`calendar ${calendar} has no bank-holiday dates for ${date.slice(0, 4)} (asked about ${date})`);
  }
}

export interface BankHolidayCalendar {
  readonly name: CalendarName;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly holidays: ReadonlySet<number>;
}

function buildCalendar(name: CalendarName, byYear: Readonly<Record<number, readonly string[]>>): BankHolidayCalendar {
  const years = Object.keys(byYear).map(Number);
  return {
    name,
    firstYear: Math.min(...years),
    lastYear: Math.max(...years),
    holidays: new Set(Object.values(byYear).flat().map(dayOfDate)),
  };
}

const calendars = new Map<CalendarName, BankHolidayCalendar>();
export function bankHolidayCalendar(name: CalendarName): BankHolidayCalendar {
  let calendar = calendars.get(name);
  if (!calendar) {
    calendar = buildCalendar(name, ENGLAND_AND_WALES_BANK_HOLIDAYS);
    calendars.set(name, calendar);
  }
  return calendar;
}

/** `YYYY-MM-DD` → day number. The civil calendar has no time zone, so UTC arithmetic is exact here. */
export function dayOfDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

const dateByDay = new Map<number, string>();
/** Day number → `YYYY-MM-DD`. */
export function dateOfDay(day: number): string {
  let date = dateByDay.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateByDay.set(day, date);
  }
  return date;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/**
 * An instant as ISO 8601 UTC with milliseconds, as `Date.prototype.toISOString` prints it, but
 * from the memoised date: toISOString costs microseconds, and a consortium year prints millions.
 */
export function isoInstant(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${dateOfDay(day)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(rest - seconds * 1000, 3)}Z`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01, day 0, was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const offsetByHour = new Map<number, number>();
/** The London date on which an instant falls. */
export function londonDay(instantMs: number): number {
  // The UK changes its offset only on the hour (01:00 UTC), so the offset is constant within a UTC hour.
  const hour = Math.floor(instantMs / HOUR_MS);
  let offsetMinutes = offsetByHour.get(hour);
  if (offsetMinutes === undefined) {
    offsetMinutes = tzOffset(CONTRACT_TIME_ZONE, new Date(hour * HOUR_MS));
    offsetByHour.set(hour, offsetMinutes);
  }
  return Math.floor((instantMs + offsetMinutes * 60_000) / DAY_MS);
}

const startByDay = new Map<number, number>();
/** The instant London's day `day` begins (00:00 GMT or BST). */
export function startOfLondonDay(day: number): number {
  let start = startByDay.get(day);
  if (start === undefined) {
    const date = new Date(day * DAY_MS);
    start = new TZDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), CONTRACT_TIME_ZONE).getTime();
    startByDay.set(day, start);
  }
  return start;
}

/** The last millisecond of London's day `day`: a deadline "by the end of" that day. */
export function endOfLondonDay(day: number): number {
  return startOfLondonDay(day + 1) - 1;
}

const monthsBackByKey = new Map<string, number>();
/**
 * The same date `months` calendar months earlier (date-fns `addMonths`: a day that the earlier
 * month lacks becomes that month's last day, so 31 May − 3 months = 28 or 29 February).
 */
export function subtractMonths(day: number, months: number): number {
  const key = `${day}:${months}`;
  let result = monthsBackByKey.get(key);
  if (result === undefined) {
    const date = new Date(day * DAY_MS);
    const earlier = addMonths(new TZDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 'UTC'), -months);
    result = Date.UTC(earlier.getFullYear(), earlier.getMonth(), earlier.getDate()) / DAY_MS;
    monthsBackByKey.set(key, result);
  }
  return result;
}

export function isWorkingDay(calendar: BankHolidayCalendar, day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  if (year < calendar.firstYear || year > calendar.lastYear) throw new CalendarRangeError(calendar.name, dateOfDay(day));
  const weekday = weekdayOfDay(day);
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(day);
}

const workingDaysByKey = new Map<string, number>();
/**
 * The `count`-th working day after `day`: `day` itself never counts, whatever the hour (so
 * "within 10 working days" of a report on a Saturday ends on the second Friday after it).
 */
export function addWorkingDays(calendar: BankHolidayCalendar, day: number, count: number): number {
  const key = `${calendar.name}:${day}:${count}`;
  let result = workingDaysByKey.get(key);
  if (result === undefined) {
    result = day;
    for (let counted = 0; counted < count;) {
      result += 1;
      if (isWorkingDay(calendar, result)) counted += 1;
    }
    workingDaysByKey.set(key, result);
  }
  return result;
}
