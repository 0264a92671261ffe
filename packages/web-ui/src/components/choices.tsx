import { Fragment, type ReactNode } from 'react';

export interface Choice<Value extends string> {
  value: Value;
  /** The input's id (an error summary links to the first). */
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
  /** `m`: the legend is a question heading of the page; `s`: a field's label among others. */
  legendSize?: 'm' | 's';
  hint?: ReactNode;
  error: string | undefined;
  choices: readonly Choice<Value>[];
  isChecked: (value: Value) => boolean;
  onToggle: (value: Value, checked: boolean) => void;
  /** GOV.UK small radios or checkboxes, for a choice inside a list or a card. */
  isSmall?: boolean;
}

/** GOV.UK radios or checkboxes in a fieldset, with a hint per choice and conditional reveals. */
export function Choices<Value extends string>(props: ChoicesProps<Value>) {
  const { kind, id, legend, legendSize = 'm', hint, error, choices, isChecked, onToggle, isSmall = false } = props;
  const block = kind === 'radio' ? 'govuk-radios' : 'govuk-checkboxes';
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>
          {legendSize === 'm' ? <h2 className="govuk-fieldset__heading">{legend}</h2> : legend}
        </legend>
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
        <div className={`${block}${isSmall ? ` ${block}--small` : ''}`}>
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
                  <div className={`${block}__conditional${checked ? '' : ` ${block}__conditional--hidden`}`} id={`${choice.id}-conditional`}>
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

/** The id of one input of a group: `kind-housing-association`, `purposes-report-repairs`. */
export const choiceId = (group: string, value: string | number) => `${group}-${String(value).replace(/[^a-z0-9]+/gi, '-')}`;
