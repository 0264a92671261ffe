import { ActivationCode, UkPostcode } from '@townhall/protocol';
import { type DateParts, type FieldError } from '@townhall/web-ui';

export const ACTIVATION_CODE_FIELD = 'activation-code';
export const ATTRIBUTE_CHOICE_FIELD = 'attribute';
export const POSTCODE_FIELD = 'postcode';
export const DATE_OF_BIRTH_FIELD = 'date-of-birth';

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; erroneousParts?: (keyof DateParts)[] };

/** The activation code as the API expects it (the protocol's forgiving reading of a typed code). */
export function validateActivationCode(raw: string): Result<string> {
  const trimmed = raw.trim();
  if (trimmed === '') return fail(ACTIVATION_CODE_FIELD, 'Enter the activation code from your poll card');
  const parsed = ActivationCode.safeParse(trimmed);
  if (parsed.success) return { ok: true, value: parsed.data };
  const symbols = trimmed.replace(/[\s-]/g, '');
  if (/[^0-9A-Za-z]/.test(symbols)) return fail(ACTIVATION_CODE_FIELD, 'The activation code must only include letters and numbers, like ABCD-EFGH-JKMN-PQRS');
  if (symbols.length !== 16) return fail(ACTIVATION_CODE_FIELD, `The activation code must be 16 letters and numbers; you entered ${symbols.length}`);
  return fail(ACTIVATION_CODE_FIELD, 'The activation code does not use the letter U; check the code on your poll card');
}

export function validatePostcode(raw: string): Result<string> {
  if (raw.trim() === '') return fail(POSTCODE_FIELD, 'Enter your postcode');
  const parsed = UkPostcode.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : fail(POSTCODE_FIELD, 'Enter a real postcode, like DB1 1AA');
}

const PART_NAMES: Record<keyof DateParts, string> = { day: 'day', month: 'month', year: 'year' };

/** GOV.UK date input rules: say which part is missing, then whether the date is real and in the past. */
export function validateDateOfBirth(parts: DateParts, today: Date = new Date()): Result<string> {
  const trimmed = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  const missing = (Object.keys(trimmed) as (keyof DateParts)[]).filter((key) => trimmed[key] === '');
  if (missing.length === 3) return fail(DATE_OF_BIRTH_FIELD, 'Enter your date of birth');
  if (missing.length > 0) {
    const names = missing.map((key) => PART_NAMES[key]).join(' and ');
    return fail(DATE_OF_BIRTH_FIELD, `Date of birth must include a ${names}`, missing);
  }
  const notNumbers = (Object.keys(trimmed) as (keyof DateParts)[]).filter((key) => !/^\d+$/.test(trimmed[key]));
  if (notNumbers.length > 0) return fail(DATE_OF_BIRTH_FIELD, 'Date of birth must be a real date', notNumbers);
  if (trimmed.year.length !== 4) return fail(DATE_OF_BIRTH_FIELD, 'Year must include 4 numbers', ['year']);
  const [day, month, year] = [Number(trimmed.day), Number(trimmed.month), Number(trimmed.year)];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) {
    return fail(DATE_OF_BIRTH_FIELD, 'Date of birth must be a real date');
  }
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  if (date.getTime() >= todayUtc) return fail(DATE_OF_BIRTH_FIELD, 'Date of birth must be in the past');
  if (year < 1900) return fail(DATE_OF_BIRTH_FIELD, 'Date of birth must be after 1900', ['year']);
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

export type AttributeChoice = 'postcode' | 'dateOfBirth';
export type Attribute = { postcode: string } | { dateOfBirth: string };

export function validateAttribute(choice: AttributeChoice | null, postcode: string, dateOfBirth: DateParts): Result<Attribute> {
  if (choice === null) return fail(`${ATTRIBUTE_CHOICE_FIELD}-postcode`, 'Select whether to check your postcode or your date of birth');
  if (choice === 'postcode') {
    const result = validatePostcode(postcode);
    return result.ok ? { ok: true, value: { postcode: result.value } } : result;
  }
  const result = validateDateOfBirth(dateOfBirth);
  return result.ok ? { ok: true, value: { dateOfBirth: result.value } } : result;
}

function fail(fieldId: string, message: string, erroneousParts?: (keyof DateParts)[]): Result<never> {
  // The summary links to the first box of a date input that is wrong.
  const linkTo = fieldId === DATE_OF_BIRTH_FIELD ? `${fieldId}-${erroneousParts?.[0] ?? 'day'}` : fieldId;
  return { ok: false, errors: [{ fieldId: linkTo, message }], ...(erroneousParts ? { erroneousParts } : {}) };
}
