import type { AppointmentSummary } from '@townhall/protocol';
import {
  ApiError,
  AppointmentScopeFields,
  errorFor,
  ErrorSummary,
  type FieldError,
  Panel,
  TextInput,
} from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { appConfig } from '../../../config/app-config.ts';
import { useRecordPowerOfAttorney } from '../api/power-of-attorney.ts';
import {
  emptyAnswers,
  errorsFromIssues,
  fieldIds,
  summaryTarget,
  validatePowerOfAttorney,
  type PowerOfAttorneyAnswers,
} from '../lib/power-of-attorney-form.ts';

const PAGE_TITLE = 'Record a lasting power of attorney';

/** Where a refusal that is not about one field's format belongs. */
function errorForRefusal(error: ApiError): FieldError {
  if (error.code === 'NOT_FOUND') return { fieldId: fieldIds.donorElectorNumber, message: error.message };
  if (error.code === 'SELF_APPOINTMENT') return { fieldId: fieldIds.attorneyElectorNumber, message: error.message };
  return { fieldId: null, message: error.message };
}

/**
 * "Record a lasting power of attorney": staff enter the donor and the attorney by elector number and
 * the registered document's reference (not the document); the attorney accepts it in their account.
 */
export function RecordPowerOfAttorney() {
  const record = useRecordPowerOfAttorney();
  const [answers, setAnswers] = useState<PowerOfAttorneyAnswers>(emptyAnswers);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [recorded, setRecorded] = useState<AppointmentSummary | null>(null);
  const update = (patch: Partial<PowerOfAttorneyAnswers>) => setAnswers((current) => ({ ...current, ...patch }));
  const error = (fieldId: string) => errorFor(errors, fieldId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validatePowerOfAttorney(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    try {
      setRecorded(await record.mutateAsync(result.record));
    } catch (failure) {
      if (failure instanceof ApiError && failure.issues.length > 0) setErrors(errorsFromIssues(failure.issues));
      else if (failure instanceof ApiError) setErrors([errorForRefusal(failure)]);
      else setErrors([{ fieldId: null, message: 'The power of attorney could not be recorded' }]);
    }
  }

  if (recorded) {
    return (
      <>
        <title>{`Power of attorney recorded – ${appConfig.serviceName}`}</title>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <Panel title="Power of attorney recorded">
              Registry entry {recorded.ledger.made}
            </Panel>
            <h2 className="govuk-heading-m">What happens next</h2>
            <p className="govuk-body">
              It takes effect when the attorney, {recorded.otherParty}, accepts it in their Townhall account: tell them to sign in and
              look under “People you act for”. It lasts until {recorded.endsOn}.
            </p>
            <p className="govuk-body">
              The public registry log records that an appointment was made under a power of attorney, for which purposes and until when.
              It does not name the donor or the attorney, nor record the document’s reference.
            </p>
            <button
              type="button"
              className="govuk-button govuk-button--secondary"
              onClick={() => {
                record.reset();
                setAnswers(emptyAnswers());
                setRecorded(null);
              }}
            >
              Record another
            </button>
          </div>
        </div>
      </>
    );
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${PAGE_TITLE} – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors.map((e) => (e.fieldId ? { ...e, fieldId: summaryTarget(e.fieldId) } : e))} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{PAGE_TITLE}</h1>
          <p className="govuk-body">
            Let an attorney act for a resident in the council’s services, from a lasting power of attorney registered with the Office of
            the Public Guardian. You need to have seen the registered document. Record its reference only: do not upload it.
          </p>
          <form noValidate onSubmit={(event) => void submit(event)}>
            <TextInput
              id={fieldIds.donorElectorNumber}
              label={<strong>Donor’s elector number</strong>}
              hint="The resident who made the power of attorney, as on the electoral roll"
              error={error(fieldIds.donorElectorNumber)}
              value={answers.donorElectorNumber}
              onChange={(event) => update({ donorElectorNumber: event.target.value })}
              width="10"
              spellCheck={false}
              autoComplete="off"
            />
            <TextInput
              id={fieldIds.attorneyElectorNumber}
              label={<strong>Attorney’s elector number</strong>}
              hint="The attorney must be a resident with a Townhall account, to accept it"
              error={error(fieldIds.attorneyElectorNumber)}
              value={answers.attorneyElectorNumber}
              onChange={(event) => update({ attorneyElectorNumber: event.target.value })}
              width="10"
              spellCheck={false}
              autoComplete="off"
            />
            <TextInput
              id={fieldIds.documentReference}
              label={<strong>Reference of the registered document</strong>}
              hint="As printed on the registered lasting power of attorney, for example LPA-7000-1234-5678"
              error={error(fieldIds.documentReference)}
              value={answers.documentReference}
              onChange={(event) => update({ documentReference: event.target.value })}
              width="20"
              isCode
              spellCheck={false}
              autoComplete="off"
            />
            <AppointmentScopeFields
              value={answers}
              onChange={update}
              errorFor={error}
              purposesLegend="What may the attorney do for the donor?"
              purposesHint="Select all that the power of attorney covers."
              endsOnHint="The last day the attorney may act, at most 10 years from today. For example, 31 3 2030"
            />
            <button type="submit" className="govuk-button" disabled={record.isPending} aria-disabled={record.isPending}>
              {record.isPending ? 'Recording…' : 'Record the power of attorney'}
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
