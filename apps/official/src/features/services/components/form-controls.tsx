import { Fragment, type ReactNode } from 'react';

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

export interface Choice<Value extends string> {
  value: Value;
  /** The input's id (the error summary links to the first). */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Shown under the choice while it is selected (GOV.UK conditional reveal). */
  conditional?: ReactNode;
}

interface ChoicesProps<Value extends string> {
  kind: 'radio' | 'checkbox';
  /** The group's id: its hint and error message take `${id}-hint` and `${id}-error`. */
  id: string;
  legend: ReactNode;
  /** `m` for a question of the page, `s` for one inside another question's reveal. */
  legendSize?: 'm' | 's';
  hint?: ReactNode;
  error: string | undefined;
  choices: readonly Choice<Value>[];
  isChecked: (value: Value) => boolean;
  onToggle: (value: Value, checked: boolean) => void;
}

/** GOV.UK radios or checkboxes in a fieldset, with a hint per choice and conditional reveals. */
export function Choices<Value extends string>(props: ChoicesProps<Value>) {
  const { kind, id, legend, legendSize = 'm', hint, error, choices, isChecked, onToggle } = props;
  const block = kind === 'radio' ? 'govuk-radios' : 'govuk-checkboxes';
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>
          {legendSize === 'm' ? <h2 className="govuk-fieldset__heading">{legend}</h2> : legend}
        </legend>
        <HintAndError id={id} hint={hint} error={error} />
        <div className={block}>
          {choices.map((choice) => {
            const checked = isChecked(choice.value);
            return (
              <Fragment key={choice.value}>
                <div className={`${block}__item`}>
                  <input
                    className={`${block}__input`}
                    id={choice.id}
                    name={id}
                    type={kind}
                    value={choice.value}
                    checked={checked}
                    onChange={(event) => onToggle(choice.value, event.target.checked)}
                    aria-describedby={choice.hint ? `${choice.id}-hint` : undefined}
                    aria-controls={choice.conditional ? `${choice.id}-conditional` : undefined}
                  />
                  <label className={`govuk-label ${block}__label`} htmlFor={choice.id}>
                    {choice.label}
                  </label>
                  {choice.hint ? (
                    <div className={`govuk-hint ${block}__hint`} id={`${choice.id}-hint`}>
                      {choice.hint}
                    </div>
                  ) : null}
                </div>
                {choice.conditional ? (
                  <div
                    className={`${block}__conditional${checked ? '' : ` ${block}__conditional--hidden`}`}
                    id={`${choice.id}-conditional`}
                  >
                    {checked ? choice.conditional : null}
                  </div>
                ) : null}
              </Fragment>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
