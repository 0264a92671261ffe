import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** The page's one question: the label is the page heading. */
  isPageHeading?: boolean;
  children: (describedBy: string | undefined) => ReactNode;
}

/** The ids a field's hint and error message take, and the `aria-describedby` that names those shown. */
function describedIds(id: string, hint: ReactNode, error: string | undefined) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return { hintId, errorId, describedBy };
}

/** The GOV.UK hint and error message of one field (each only when there is one). */
function HintAndError({ hint, hintId, error, errorId }: { hint: ReactNode; hintId: string; error: string | undefined; errorId: string }) {
  return (
    <>
      {hint ? (
        <div className="govuk-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="govuk-error-message" id={errorId}>
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
    </>
  );
}

function FieldShell({ id, label, hint, error, isPageHeading = false, children }: FieldShellProps) {
  const { hintId, errorId, describedBy } = describedIds(id, hint, error);
  const labelElement = (
    <label className={`govuk-label${isPageHeading ? ' govuk-label--l' : ''}`} htmlFor={id}>
      {label}
    </label>
  );
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      {isPageHeading ? <h1 className="govuk-label-wrapper">{labelElement}</h1> : labelElement}
      <HintAndError hint={hint} hintId={hintId} error={error} errorId={errorId} />
      {children(describedBy)}
    </div>
  );
}

interface TextInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  isPageHeading?: boolean;
  /** GOV.UK width class suffix, e.g. "10" → govuk-input--width-10. */
  width?: '2' | '3' | '4' | '5' | '10' | '20' | '30';
  /** A code rather than words: monospaced, wrapping anywhere. */
  isCode?: boolean;
}

export function TextInput({ id, label, hint, error, isPageHeading, width, isCode = false, ...input }: TextInputProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} isPageHeading={isPageHeading}>
      {(describedBy) => (
        <input
          className={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${isCode ? ' th-code' : ''}${error ? ' govuk-input--error' : ''}`}
          id={id}
          name={input.name ?? id}
          type={input.type ?? 'text'}
          aria-describedby={describedBy}
          {...input}
        />
      )}
    </FieldShell>
  );
}

interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  isPageHeading?: boolean;
}

/** GOV.UK textarea: a longer answer in the person's own words. */
export function TextArea({ id, label, hint, error, isPageHeading, rows = 5, ...textarea }: TextAreaProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} isPageHeading={isPageHeading}>
      {(describedBy) => (
        <textarea
          className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
          id={id}
          name={textarea.name ?? id}
          rows={rows}
          aria-describedby={describedBy}
          {...textarea}
        />
      )}
    </FieldShell>
  );
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

interface DateInputProps {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Which parts the error is about (all when the whole date is wrong). */
  erroneousParts?: readonly (keyof DateParts)[];
  value: DateParts;
  onChange: (value: DateParts) => void;
  autoCompletePrefix?: 'bday';
}

/** GOV.UK date input: three boxes in a fieldset; the error summary links to the first box (`${id}-day`). */
export function DateInput({ id, legend, hint, error, erroneousParts, value, onChange, autoCompletePrefix }: DateInputProps) {
  const { hintId, errorId, describedBy } = describedIds(id, hint, error);
  const parts: { key: keyof DateParts; label: string; width: '2' | '4'; autoComplete: string }[] = [
    { key: 'day', label: 'Day', width: '2', autoComplete: 'bday-day' },
    { key: 'month', label: 'Month', width: '2', autoComplete: 'bday-month' },
    { key: 'year', label: 'Year', width: '4', autoComplete: 'bday-year' },
  ];
  const wrongParts = error ? (erroneousParts ?? ['day', 'month', 'year']) : [];
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <HintAndError hint={hint} hintId={hintId} error={error} errorId={errorId} />
        <div className="govuk-date-input" id={id}>
          {parts.map((part) => (
            <div className="govuk-date-input__item" key={part.key}>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={`${id}-${part.key}`}>
                  {part.label}
                </label>
                <input
                  className={`govuk-input govuk-date-input__input govuk-input--width-${part.width}${wrongParts.includes(part.key) ? ' govuk-input--error' : ''}`}
                  id={`${id}-${part.key}`}
                  name={`${id}-${part.key}`}
                  type="text"
                  inputMode="numeric"
                  autoComplete={autoCompletePrefix ? part.autoComplete : undefined}
                  value={value[part.key]}
                  onChange={(event) => onChange({ ...value, [part.key]: event.target.value })}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Panel({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="govuk-panel govuk-panel--confirmation">
      <h1 className="govuk-panel__title">{title}</h1>
      {children ? <div className="govuk-panel__body">{children}</div> : null}
    </div>
  );
}

export function WarningText({ children }: { children: ReactNode }) {
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}

/** What a person typed as a ballot's tracking code, without spaces and dashes, in lower case. */
export function normaliseTrackingCode(text: string): string {
  return text.replace(/[\s-]/g, '').toLowerCase();
}

/** How many characters of a tracking code a voter is shown (`BDD4-8321-D517`), and the fewest a lookup takes. */
export const SHORT_TRACKING_CODE_LENGTH = 12;

/** The tracking-code field's hint wherever a code is asked for. */
export const TRACKING_CODE_HINT = 'The code you were shown when you cast your ballot, like BDD4-8321-D517, or the full 64-character code from your receipt';

/**
 * The error message for a normalised tracking code, or null: the 12-character code a voter is
 * shown, the full 64-character code, or any length between (a start of the code to look up).
 */
export function trackingCodeError(trackingCode: string): string | null {
  if (trackingCode.length === 0) return 'Enter your tracking code';
  if (!/^[0-9a-f]*$/.test(trackingCode)) return 'A tracking code has only the numbers 0 to 9 and the letters A to F';
  if (trackingCode.length < SHORT_TRACKING_CODE_LENGTH) {
    return `Enter all ${SHORT_TRACKING_CODE_LENGTH} characters of the tracking code you were shown, like BDD4-8321-D517; you entered ${characters(trackingCode.length)}`;
  }
  if (trackingCode.length > 64) return `A tracking code has at most 64 characters; you entered ${characters(trackingCode.length)}`;
  return null;
}

const characters = (n: number) => `${n} character${n === 1 ? '' : 's'}`;

/** A valid code (see trackingCodeError) that is the whole code rather than its start. */
export const isFullTrackingCode = (trackingCode: string) => trackingCode.length === 64;

/** The start of a code, grouped by 4 in capitals as a voter is shown it. */
export const groupedCode = (trackingCode: string) => trackingCode.toUpperCase().match(/.{1,4}/g)?.join('-') ?? '';

/** The message when the start of a code matches more than one ballot. */
export function ambiguousTrackingCodeError(trackingCode: string): string {
  return `More than one ballot has a tracking code starting ${groupedCode(trackingCode)}. Enter more of your tracking code: the full code is in your receipt and on the page shown when you cast your ballot`;
}

/** The tracking-code question of the "check my ballot" pages (voter app and verifier). */
export function TrackingCodeInput({ id, hint, error, value, onChange }: { id: string; hint: ReactNode; error: string | undefined; value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      id={id}
      name="trackingCode"
      label="Tracking code"
      hint={hint}
      error={error}
      isCode
      spellCheck={false}
      autoComplete="off"
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
