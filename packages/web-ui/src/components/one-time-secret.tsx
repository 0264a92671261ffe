import { useState } from 'react';
import { WarningText } from './form-fields.tsx';

const NOT_COPIED = 'Your browser did not allow copying: select the text in the box and copy it.';

interface OneTimeSecretProps {
  id: string;
  /** The box's label, e.g. "Invitation link". */
  label: string;
  hint?: string;
  value: string;
  /** The copy button's text, e.g. "Copy the link". */
  copyLabel: string;
  /** What the warning says will not happen again, e.g. "The link will not be shown again". */
  warning: string;
}

/**
 * A one-time link or code, shown once: a warning, a read-only box to select it from, and a copy
 * button whose result is announced. The value lives only in the caller's state.
 */
export function OneTimeSecret({ id, label, hint, value, copyLabel, warning }: OneTimeSecretProps) {
  const [copied, setCopied] = useState<boolean | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Without clipboard access the value stays selectable in its box.
      setCopied(false);
    }
  }
  return (
    <>
      <WarningText>{warning}</WarningText>
      <div className="govuk-form-group govuk-!-margin-bottom-3">
        <label className="govuk-label govuk-label--s" htmlFor={id}>
          {label}
        </label>
        {hint ? (
          <div className="govuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        <textarea
          className="govuk-textarea th-code govuk-!-margin-bottom-0"
          id={id}
          name={id}
          rows={3}
          readOnly
          spellCheck={false}
          aria-describedby={hint ? `${id}-hint` : undefined}
          value={value}
          onFocus={(event) => event.target.select()}
        />
      </div>
      <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" onClick={() => void copy()}>
        {copyLabel}
      </button>
      <p className="govuk-body-s" role="status">
        {copied === true ? 'Copied.' : copied === false ? NOT_COPIED : ''}
      </p>
    </>
  );
}
