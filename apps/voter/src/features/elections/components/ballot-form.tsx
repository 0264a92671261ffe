import { type FieldError } from '@townhall/web-ui';
import type { FormEvent } from 'react';
import type { Contest } from '@townhall/protocol';
import { contestFieldId, optionFieldId, toggleSelection, type Selections } from '../lib/ballot-form.ts';

function selectionHint(contest: Contest): string {
  const { minSelections: min, maxSelections: max } = contest;
  if (max === 1) return min === 1 ? 'Select one answer.' : 'Select one answer, or none.';
  if (min === max) return `Select ${max} answers.`;
  if (min === 0) return `Select up to ${max} answers, or none.`;
  return `Select between ${min} and ${max} answers.`;
}

interface BallotFormProps {
  contests: Contest[];
  selections: Selections;
  errors: FieldError[];
  onChange(selections: Selections): void;
  onSubmit(): void;
}

/** The ballot: GOV.UK radios for a single choice (max 1), checkboxes otherwise. */
export function BallotForm({ contests, selections, errors, onChange, onSubmit }: BallotFormProps) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <form noValidate onSubmit={submit}>
      {contests.map((contest) => {
        const error = errors.find((e) => e.fieldId === optionFieldId(contest, contest.options[0]!.id));
        const hintId = `${contestFieldId(contest)}-hint`;
        const errorId = `${contestFieldId(contest)}-error`;
        const isRadio = contest.maxSelections === 1;
        const selected = selections[contest.id] ?? [];
        return (
          <div key={contest.id} className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
            <fieldset className="govuk-fieldset" aria-describedby={error ? `${hintId} ${errorId}` : hintId}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                <h2 className="govuk-fieldset__heading">{contest.title}</h2>
              </legend>
              <div id={hintId} className="govuk-hint">
                {selectionHint(contest)}
              </div>
              {error ? (
                <p id={errorId} className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {error.message}
                </p>
              ) : null}
              <div className={isRadio ? 'govuk-radios' : 'govuk-checkboxes'} data-module={isRadio ? 'govuk-radios' : 'govuk-checkboxes'}>
                {contest.options.map((option) => {
                  const id = optionFieldId(contest, option.id);
                  return (
                    <div key={option.id} className={isRadio ? 'govuk-radios__item' : 'govuk-checkboxes__item'}>
                      <input
                        className={isRadio ? 'govuk-radios__input' : 'govuk-checkboxes__input'}
                        id={id}
                        name={contestFieldId(contest)}
                        type={isRadio ? 'radio' : 'checkbox'}
                        value={option.id}
                        checked={selected.includes(option.id)}
                        onChange={(event) => onChange(toggleSelection(contest, selections, option.id, event.target.checked))}
                      />
                      <label className={`govuk-label ${isRadio ? 'govuk-radios__label' : 'govuk-checkboxes__label'}`} htmlFor={id}>
                        {option.label}
                      </label>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          </div>
        );
      })}
      <button type="submit" className="govuk-button" data-module="govuk-button">
        Continue
      </button>
    </form>
  );
}
