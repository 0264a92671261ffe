import type { RolesAnswers } from '../lib/roles-form.ts';

interface RolesFieldsProps {
  /** The group's id: the first checkbox is `${id}-administrator` (the error summary links to it). */
  id: string;
  legend: string;
  error: string | undefined;
  value: RolesAnswers;
  onChange: (value: RolesAnswers) => void;
}

/** Administrator and member as checkboxes, and other roles typed in, in one GOV.UK fieldset. */
export function RolesFields({ id, legend, error, value, onChange }: RolesFieldsProps) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {error ? (
          <p className="govuk-error-message" id={`${id}-error`}>
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <div className="govuk-checkboxes govuk-checkboxes--small">
          <div className="govuk-checkboxes__item">
            <input
              className="govuk-checkboxes__input"
              id={`${id}-administrator`}
              type="checkbox"
              checked={value.isAdministrator}
              onChange={(event) => onChange({ ...value, isAdministrator: event.target.checked })}
              aria-describedby={`${id}-administrator-hint`}
            />
            <label className="govuk-label govuk-checkboxes__label" htmlFor={`${id}-administrator`}>
              Administrator
            </label>
            <div className="govuk-hint govuk-checkboxes__hint" id={`${id}-administrator-hint`}>
              Invites and removes members, and gives them roles
            </div>
          </div>
          <div className="govuk-checkboxes__item">
            <input
              className="govuk-checkboxes__input"
              id={`${id}-member`}
              type="checkbox"
              checked={value.isMember}
              onChange={(event) => onChange({ ...value, isMember: event.target.checked })}
            />
            <label className="govuk-label govuk-checkboxes__label" htmlFor={`${id}-member`}>
              Member
            </label>
          </div>
        </div>
        <div className="govuk-form-group govuk-!-margin-top-4 govuk-!-margin-bottom-0">
          <label className="govuk-label" htmlFor={`${id}-others`}>
            Other roles (optional)
          </label>
          <div className="govuk-hint" id={`${id}-others-hint`}>
            Roles council services ask for, separated by commas, for example gas-safe
          </div>
          <input
            className={`govuk-input govuk-input--width-20${error ? ' govuk-input--error' : ''}`}
            id={`${id}-others`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-others-hint`}
            value={value.others}
            onChange={(event) => onChange({ ...value, others: event.target.value })}
          />
        </div>
      </fieldset>
    </div>
  );
}
