import { describe, expect, it } from 'vitest';
import {
  CalendarRangeError,
  addWorkingDays,
  bankHolidayCalendar,
  dateOfDay,
  dayOfDate,
  endOfLondonDay,
  isWorkingDay,
  isoInstant,
  londonDay,
  subtractMonths,
} from './calendar.ts';

const calendar = bankHolidayCalendar('england-and-wales');
const london = (instant: string) => dateOfDay(londonDay(Date.parse(instant)));
const workingDaysAfter = (date: string, count: number) => dateOfDay(addWorkingDays(calendar, dayOfDate(date), count));
const endOf = (date: string) => new Date(endOfLondonDay(dayOfDate(date))).toISOString();

describe('London dates of instants (GMT in winter, BST in summer)', () => {
  it('puts an instant on the London date, across both clock changes of 2025', () => {
    expect(london('2025-03-30T00:30:00Z')).toBe('2025-03-30'); // 00:30 GMT
    expect(london('2025-03-30T23:30:00Z')).toBe('2025-03-31'); // 00:30 BST
    expect(london('2025-10-25T23:30:00Z')).toBe('2025-10-26'); // 00:30 BST, the night the clocks go back
    expect(london('2025-10-26T23:30:00Z')).toBe('2025-10-26'); // 23:30 GMT
  });

  it('ends a London day at 23:59:59.999 local time, whichever offset applies', () => {
    expect(endOf('2025-07-01')).toBe('2025-07-01T22:59:59.999Z');
    expect(endOf('2025-12-01')).toBe('2025-12-01T23:59:59.999Z');
    expect(endOf('2025-03-30')).toBe('2025-03-30T22:59:59.999Z'); // a 23-hour day ends in BST
    expect(endOf('2025-10-26')).toBe('2025-10-26T23:59:59.999Z'); // a 25-hour day ends in GMT
  });
});

describe('working days (England and Wales)', () => {
  it('skips weekends and does not count the starting day', () => {
    expect(workingDaysAfter('2025-06-04', 1)).toBe('2025-06-05'); // Wednesday → Thursday
    expect(workingDaysAfter('2025-06-06', 1)).toBe('2025-06-09'); // Friday → Monday
    expect(workingDaysAfter('2025-06-07', 10)).toBe('2025-06-20'); // a Saturday report: ten weekdays from Monday
  });

  it('skips Good Friday and Easter Monday', () => {
    expect(workingDaysAfter('2025-04-17', 1)).toBe('2025-04-22');
    expect(workingDaysAfter('2025-04-17', 3)).toBe('2025-04-24');
  });

  it('skips Christmas, a substitute Boxing Day and New Year', () => {
    expect(isWorkingDay(calendar, dayOfDate('2026-12-28'))).toBe(false); // Boxing Day 2026 is a Saturday
    expect(workingDaysAfter('2026-12-24', 1)).toBe('2026-12-29');
    expect(workingDaysAfter('2027-12-24', 1)).toBe('2027-12-29'); // 25/26 at the weekend, 27/28 substitutes
    expect(workingDaysAfter('2027-12-31', 1)).toBe('2028-01-04'); // 1 January 2028 a Saturday, 3 January the substitute
  });

  it('refuses to count into a year the calendar does not cover', () => {
    expect(() => workingDaysAfter('2030-12-31', 1)).toThrow(CalendarRangeError);
    expect(() => workingDaysAfter('2030-12-31', 1)).toThrow(/england-and-wales has no bank-holiday dates for 2031/);
  });
});

describe('calendar months back (rolling windows)', () => {
  it('clamps to the end of a shorter month', () => {
    expect(dateOfDay(subtractMonths(dayOfDate('2025-05-31'), 3))).toBe('2025-02-28');
    expect(dateOfDay(subtractMonths(dayOfDate('2024-05-31'), 3))).toBe('2024-02-29');
    expect(dateOfDay(subtractMonths(dayOfDate('2026-01-15'), 12))).toBe('2025-01-15');
  });
});

describe('ISO instants', () => {
  it('prints exactly what Date.prototype.toISOString prints', () => {
    for (const ms of [
      0,
      1,
      999,
      86_399_999,
      Date.parse('2025-03-30T00:59:59.999Z'),
      Date.parse('2028-02-29T23:00:00.010Z'),
      4_102_444_799_999,
    ]) {
      expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
