import { describe, expect, it } from 'vitest';
import { validateActivationCode, validateAttribute, validateDateOfBirth, validatePostcode } from './validate-claim.ts';

const today = new Date(2026, 4, 20);
const dob = (day: string, month: string, year: string) => validateDateOfBirth({ day, month, year }, today);

describe('activation code', () => {
  it('reads a code as people type it: any case, spaces, hyphens, I/L for 1 and O for 0', () => {
    expect(validateActivationCode(' abcd efgh-jkmn pqrs ')).toEqual({ ok: true, value: 'ABCDEFGHJKMNPQRS' });
    expect(validateActivationCode('OIL0-0000-0000-0000')).toEqual({ ok: true, value: '0110000000000000' });
  });

  it('asks for the code when it is empty, and counts what was typed when it is too short', () => {
    expect(validateActivationCode('  ')).toMatchObject({ ok: false, errors: [{ fieldId: 'activation-code', message: 'Enter the activation code from your poll card' }] });
    expect(validateActivationCode('ABCD-EFGH')).toMatchObject({ errors: [{ message: 'The activation code must be 16 letters and numbers; you entered 8' }] });
  });

  it('names the characters that cannot be in a code', () => {
    expect(validateActivationCode('ABCD-EFGH-JKMN-PQR!')).toMatchObject({ errors: [{ message: expect.stringContaining('only include letters and numbers') }] });
    expect(validateActivationCode('ABCD-EFGH-JKMN-PQRU')).toMatchObject({ errors: [{ message: expect.stringContaining('does not use the letter U') }] });
  });
});

describe('postcode', () => {
  it('normalises a real postcode and refuses anything else', () => {
    expect(validatePostcode('db11aa')).toEqual({ ok: true, value: 'DB1 1AA' });
    expect(validatePostcode('')).toMatchObject({ errors: [{ fieldId: 'postcode', message: 'Enter your postcode' }] });
    expect(validatePostcode('12345')).toMatchObject({ errors: [{ message: 'Enter a real postcode, like DB1 1AA' }] });
  });
});

describe('date of birth (GOV.UK date input rules)', () => {
  it('accepts a real past date as an ISO date', () => {
    expect(dob('2', '11', '1979')).toEqual({ ok: true, value: '1979-11-02' });
  });

  it('asks for the date when nothing is entered, linking to the day box', () => {
    expect(dob('', '', '')).toEqual({ ok: false, errors: [{ fieldId: 'date-of-birth-day', message: 'Enter your date of birth' }] });
  });

  it('names the missing parts and marks only those boxes', () => {
    expect(dob('12', '', '1984')).toEqual({
      ok: false,
      errors: [{ fieldId: 'date-of-birth-month', message: 'Date of birth must include a month' }],
      erroneousParts: ['month'],
    });
    expect(dob('', '', '1984')).toMatchObject({ errors: [{ message: 'Date of birth must include a day and month' }], erroneousParts: ['day', 'month'] });
  });

  it('refuses impossible dates, short years and dates not in the past', () => {
    expect(dob('31', '2', '1990')).toMatchObject({ errors: [{ message: 'Date of birth must be a real date' }] });
    expect(dob('1', '13', '1990')).toMatchObject({ errors: [{ message: 'Date of birth must be a real date' }] });
    expect(dob('1', 'May', '1990')).toMatchObject({ errors: [{ message: 'Date of birth must be a real date' }], erroneousParts: ['month'] });
    expect(dob('1', '5', '90')).toMatchObject({ errors: [{ message: 'Year must include 4 numbers' }], erroneousParts: ['year'] });
    expect(dob('20', '5', '2026')).toMatchObject({ errors: [{ message: 'Date of birth must be in the past' }] });
    expect(dob('29', '2', '2024')).toEqual({ ok: true, value: '2024-02-29' });
  });
});

describe('roll attribute', () => {
  it('needs a choice first', () => {
    expect(validateAttribute(null, '', { day: '', month: '', year: '' })).toMatchObject({
      errors: [{ fieldId: 'attribute-postcode', message: 'Select whether to check your postcode or your date of birth' }],
    });
  });

  it('checks only the chosen attribute', () => {
    expect(validateAttribute('postcode', 'DB1 1AA', { day: 'x', month: '', year: '' })).toEqual({ ok: true, value: { postcode: 'DB1 1AA' } });
    expect(validateAttribute('dateOfBirth', 'nonsense', { day: '12', month: '3', year: '1984' })).toEqual({ ok: true, value: { dateOfBirth: '1984-03-12' } });
  });
});
