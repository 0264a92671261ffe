export * from './evaluate.ts';
export * from './money.ts';
export {
  CONTRACT_TIME_ZONE,
  CalendarRangeError,
  addWorkingDays,
  bankHolidayCalendar,
  dateOfDay,
  dayOfDate,
  endOfLondonDay,
  isWorkingDay,
  londonDay,
  startOfLondonDay,
  type BankHolidayCalendar,
} from './calendar.ts';
export { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './calendars/england-and-wales.ts';
export { exampleEvents, exampleTerms } from './examples.ts';
