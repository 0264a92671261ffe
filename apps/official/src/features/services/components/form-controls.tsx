import type { ReactNode } from 'react';

/** The ids a field's hint and error take, and the `aria-describedby` naming those shown. */
function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function HintAndError({ id, hint, error }: { id: string; hint?: ReactNode; error: string | undefined }) {
  return (
    <>
      {hint ? (
        <div className="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="govuk-error-message" id={`${id}-error`}>
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
    </>
  );
}

interface TextareaProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error: string | undefined;
  value: string;
  /** Absent for a read-only box (a value to copy). */
  onChange?: (value: string) => void;
  rows?: number;
  /** URIs and JSON: monospaced, not spell-checked. */
  isCode?: boolean;
}

/** GOV.UK textarea with its label, hint and error message. */
export function Textarea({ id, label, hint, error, value, onChange, rows = 3, isCode = false }: TextareaProps) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {label}
      </label>
      <HintAndError id={id} hint={hint} error={error} />
      <textarea
        className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}${isCode ? ' th-code' : ''}`}
        id={id}
        name={id}
        rows={rows}
        spellCheck={isCode ? false : undefined}
        autoCapitalize={isCode ? 'none' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        value={value}
        readOnly={onChange === undefined}
        onChange={onChange ? (event) => onChange(event.target.value) : undefined}
      />
    </div>
  );
}
