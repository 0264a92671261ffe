/**
 * Bank holidays in England and Wales, 2024–2030, as published by the UK Government (the
 * Banking and Financial Dealings Act 1971 and the yearly royal proclamations), substitute days
 * included: when a holiday falls on a weekend the next weekday that is not already a holiday is
 * the holiday instead (2026-12-28, 2027-12-27/28, 2028-01-03).
 *
 * This is data, not a rule: a proclamation can add or move a day (as for 2022 and 2023), and a
 * contract's working days must follow what was proclaimed. `england-and-wales-bank-holidays.test.ts`
 * checks every date against an independent computation of the standing rules (Easter by the
 * Gregorian computus); a one-off change would be listed there as a known exception.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: Readonly<Record<number, readonly string[]>> = {
  2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
  2028: ['2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26'],
  2029: ['2029-01-01', '2029-03-30', '2029-04-02', '2029-05-07', '2029-05-28', '2029-08-27', '2029-12-25', '2029-12-26'],
  2030: ['2030-01-01', '2030-04-19', '2030-04-22', '2030-05-06', '2030-05-27', '2030-08-26', '2030-12-25', '2030-12-26'],
};
