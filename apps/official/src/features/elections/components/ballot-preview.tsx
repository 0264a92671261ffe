import type { Contest } from '@townhall/protocol';

function hintFor(contest: Contest): string {
  const { minSelections: min, maxSelections: max } = contest;
  if (min === max) return max === 1 ? 'Select one option.' : `Select ${max} options.`;
  if (min === 0) return `Select up to ${max} options, or none.`;
  return `Select between ${min} and ${max} options.`;
}

/**
 * The ballot as the voter app shows it (GOV.UK radios for one choice, checkboxes otherwise),
 * disabled: a preview cannot be filled in.
 */
export function BallotPreview({ title, contests }: { title: string; contests: readonly Contest[] }) {
  return (
    <div data-testid="ballot-preview">
      <p className="govuk-caption-m">{title}</p>
      {contests.map((contest) => {
        const isSingle = contest.maxSelections === 1;
        const kind = isSingle ? 'radios' : 'checkboxes';
        const hintId = `preview-${contest.id}-hint`;
        return (
          <div className="govuk-form-group" key={contest.id}>
            <fieldset className="govuk-fieldset" aria-describedby={hintId}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                <h3 className="govuk-fieldset__heading">{contest.title}</h3>
              </legend>
              <div className="govuk-hint" id={hintId}>
                {hintFor(contest)}
              </div>
              <div className={`govuk-${kind} govuk-${kind}--small`}>
                {contest.options.map((option) => (
                  <div className={`govuk-${kind}__item`} key={option.id}>
                    <input className={`govuk-${kind}__input`} id={`preview-${contest.id}-${option.id}`} type={isSingle ? 'radio' : 'checkbox'} name={`preview-${contest.id}`} disabled />
                    <label className={`govuk-label govuk-${kind}__label`} htmlFor={`preview-${contest.id}-${option.id}`}>
                      {option.label}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        );
      })}
    </div>
  );
}
