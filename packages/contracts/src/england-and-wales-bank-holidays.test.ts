import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './calendars/england-and-wales.ts';

/**
 * An independent computation of the standing rules for England and Wales (Banking and Financial
 * Dealings Act 1971, Schedule 1, and the yearly proclamations that keep the May and August days):
 * New Year's Day, Good Friday, Easter Monday, the first and last Mondays of May, the last Monday
 * of August, Christmas Day and Boxing Day, with a weekend holiday moved to the next free weekday.
 * Plain JS dates in UTC only; nothing from the package under test.
 */

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
const plusDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
const text = (date: Date) => date.toISOString().slice(0, 10);
const isWeekend = (date: Date) => date.getUTCDay() === 0 || date.getUTCDay() === 6;

function firstMonday(year: number, month: number): Date {
  let date = utc(year, month, 1);
  while (date.getUTCDay() !== 1) date = plusDays(date, 1);
  return date;
}

function lastMonday(year: number, month: number): Date {
  let date = plusDays(utc(year, month + 1, 1), -1);
  while (date.getUTCDay() !== 1) date = plusDays(date, -1);
  return date;
}

function ruleBasedHolidays(year: number): string[] {
  const easter = easterSunday(year);
  const fixed = [
    utc(year, 1, 1),
    plusDays(easter, -2),
    plusDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
  ];
  // Christmas and Boxing Day: each weekend one moves to the next weekday not already taken.
  const taken = new Set<string>();
  const christmas: Date[] = [];
  for (const date of [utc(year, 12, 25), utc(year, 12, 26)]) {
    let day = date;
    while (isWeekend(day) || taken.has(text(day))) day = plusDays(day, 1);
    taken.add(text(day));
    christmas.push(day);
  }
  let newYear = fixed[0]!;
  while (isWeekend(newYear)) newYear = plusDays(newYear, 1);
  return [newYear, ...fixed.slice(1), ...christmas].map(text).sort();
}

/** Proclaimed one-off changes within the shipped years, none so far. */
const KNOWN_EXCEPTIONS: Record<number, { added: string[]; removed: string[] }> = {};

describe('England and Wales bank holidays 2024–2030', () => {
  it('covers every year from 2024 to 2030', () => {
    expect(Object.keys(ENGLAND_AND_WALES_BANK_HOLIDAYS).map(Number)).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030]);
  });

  for (const [year, dates] of Object.entries(ENGLAND_AND_WALES_BANK_HOLIDAYS)) {
    it(`${year} matches the standing rules`, () => {
      const exception = KNOWN_EXCEPTIONS[Number(year)] ?? { added: [], removed: [] };
      const expected = [
        ...ruleBasedHolidays(Number(year)).filter((d) => !exception.removed.includes(d)),
        ...exception.added,
      ].sort();
      expect([...dates].sort()).toEqual(expected);
      for (const date of dates) expect(isWeekend(new Date(`${date}T00:00:00Z`)), `${date} is a weekday`).toBe(false);
    });
  }

  it('has the substitute days where Christmas, Boxing Day or New Year fall at a weekend', () => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS[2026]).toContain('2026-12-28'); // Boxing Day on a Saturday
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS[2027]).toEqual(expect.arrayContaining(['2027-12-27', '2027-12-28'])); // Saturday and Sunday
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS[2028]).toContain('2028-01-03'); // New Year's Day on a Saturday
  });

  it('computes Easter Sunday correctly for known years', () => {
    expect(['2024', '2025', '2026', '2030'].map((y) => text(easterSunday(Number(y))))).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2030-04-21',
    ]);
  });
});
