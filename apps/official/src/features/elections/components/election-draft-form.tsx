import type { ElectionDraft } from '@townhall/protocol';
import { ApiError, errorFor, ErrorSummary, type FieldError, TextInput, useCouncil } from '@townhall/web-ui';
import { useState, type FormEvent, type ReactNode } from 'react';
import { emptyContest, errorsFromIssues, fieldIds, validateDraft, type ContestAnswers, type DraftAnswers } from '../lib/draft-form.ts';

interface ElectionDraftFormProps {
  initial: DraftAnswers;
  submitLabel: string;
  isSaving: boolean;
  /** Rejects with the server's ApiError; ELECTION_INVALID issues are shown on their fields. */
  onSave: (draft: ElectionDraft) => Promise<unknown>;
}

function ErrorMessage({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p className="govuk-error-message" id={`${id}-error`}>
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  ) : null;
}

function Textarea({ id, label, hint, error, value, onChange, rows = 5 }: { id: string; label: ReactNode; hint?: string; error?: string | undefined; value: string; onChange: (value: string) => void; rows?: number }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <ErrorMessage id={id} error={error} />
      <textarea className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`} id={id} name={id} rows={rows} aria-describedby={describedBy} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

export function ElectionDraftForm({ initial, submitLabel, isSaving, onSave }: ElectionDraftFormProps) {
  const [answers, setAnswers] = useState<DraftAnswers>(initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const council = useCouncil();

  const setContest = (i: number, patch: Partial<ContestAnswers>) =>
    setAnswers((a) => ({ ...a, contests: a.contests.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateDraft(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    try {
      await onSave(result.draft);
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) setErrors(errorsFromIssues(error.issues));
      else setErrors([{ fieldId: null, message: error instanceof Error ? error.message : 'The election could not be saved' }]);
    }
  }

  const districtsError = errorFor(errors, fieldIds.districts);
  return (
    <>
      {errors.length > 0 ? <title>{`Error: ${submitLabel}`}</title> : null}
      <ErrorSummary errors={errors.map((e) => (e.fieldId === fieldIds.districts ? { ...e, fieldId: `${fieldIds.districts}-0` } : e))} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <TextInput id={fieldIds.title} label="Title" error={errorFor(errors, fieldIds.title)} value={answers.title} onChange={(e) => setAnswers({ ...answers, title: e.target.value })} />
        <Textarea id={fieldIds.description} label="Description (optional)" hint="Shown to voters above the ballot." rows={3} value={answers.description} error={errorFor(errors, fieldIds.description)} onChange={(description) => setAnswers({ ...answers, description })} />

        {answers.contests.map((contest, i) => (
          <fieldset className="govuk-fieldset govuk-!-margin-bottom-6" key={i}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
              <h2 className="govuk-fieldset__heading">Question {i + 1}</h2>
            </legend>
            <TextInput id={fieldIds.contestTitle(i)} label="Question title" error={errorFor(errors, fieldIds.contestTitle(i))} value={contest.title} onChange={(e) => setContest(i, { title: e.target.value })} />
            <Textarea id={fieldIds.contestOptions(i)} label="Options" hint="One option per line, in the order voters will see them." error={errorFor(errors, fieldIds.contestOptions(i))} value={contest.options} onChange={(options) => setContest(i, { options })} />
            <TextInput id={fieldIds.contestMin(i)} label="Fewest options a voter must choose" width="2" inputMode="numeric" error={errorFor(errors, fieldIds.contestMin(i))} value={contest.minSelections} onChange={(e) => setContest(i, { minSelections: e.target.value })} />
            <TextInput id={fieldIds.contestMax(i)} label="Most options a voter may choose" width="2" inputMode="numeric" error={errorFor(errors, fieldIds.contestMax(i))} value={contest.maxSelections} onChange={(e) => setContest(i, { maxSelections: e.target.value })} />
            {answers.contests.length > 1 ? (
              <button type="button" className="govuk-button govuk-button--warning" onClick={() => setAnswers({ ...answers, contests: answers.contests.filter((_, j) => j !== i) })}>
                Remove question {i + 1}
              </button>
            ) : null}
          </fieldset>
        ))}
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => setAnswers({ ...answers, contests: [...answers.contests, emptyContest()] })}>
          Add another question
        </button>

        <div className={`govuk-form-group${districtsError ? ' govuk-form-group--error' : ''}`}>
          <fieldset className="govuk-fieldset" aria-describedby={districtsError ? `${fieldIds.districts}-error` : undefined}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
              <h2 className="govuk-fieldset__heading">Who may vote</h2>
            </legend>
            <ErrorMessage id={fieldIds.districts} error={districtsError} />
            <div className="govuk-checkboxes govuk-checkboxes--small">
              {(council.data?.districts ?? []).map((district, i) => (
                <div className="govuk-checkboxes__item" key={district.code}>
                  <input
                    className="govuk-checkboxes__input"
                    id={`${fieldIds.districts}-${i}`}
                    name={fieldIds.districts}
                    type="checkbox"
                    value={district.code}
                    checked={answers.eligibleDistricts.includes(district.code)}
                    onChange={(e) =>
                      setAnswers({
                        ...answers,
                        eligibleDistricts: e.target.checked ? [...answers.eligibleDistricts, district.code] : answers.eligibleDistricts.filter((d) => d !== district.code),
                      })
                    }
                  />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor={`${fieldIds.districts}-${i}`}>
                    {district.name} ({district.code}, {district.electorCount} electors)
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>

        <h2 className="govuk-heading-m">When voting happens</h2>
        <TextInput id={fieldIds.opensAt} label="Opens" hint="Date and time in your time zone. The election opens by itself at this time once the key ceremony is done." type="datetime-local" step={1} width="20" error={errorFor(errors, fieldIds.opensAt)} value={answers.opensAt} onChange={(e) => setAnswers({ ...answers, opensAt: e.target.value })} />
        <TextInput id={fieldIds.closesAt} label="Closes" hint="The election closes by itself at this time." type="datetime-local" step={1} width="20" error={errorFor(errors, fieldIds.closesAt)} value={answers.closesAt} onChange={(e) => setAnswers({ ...answers, closesAt: e.target.value })} />

        <button type="submit" className="govuk-button" disabled={isSaving} aria-disabled={isSaving}>
          {submitLabel}
        </button>
      </form>
    </>
  );
}
