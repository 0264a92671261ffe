import type { AppointmentSummary } from '@townhall/protocol';
import { ApiError, AppointmentScopeFields, errorFor, ErrorSummary, type FieldError, Panel, TextInput } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useAppoint } from '../api/appointments.ts';
import {
  emptyAnswers,
  errorsFromIssues,
  fieldIds,
  summaryTarget,
  validateAppointment,
  type AppointAnswers,
} from '../lib/appoint-form.ts';
import { formatDay } from '../lib/appointment-words.ts';

const PAGE_TITLE = 'Appoint someone to act for you';

/** Where a refusal belongs: a bad or own code on the code field; anything else on the page. */
function errorForRefusal(error: ApiError): FieldError {
  const isAboutTheCode = error.code === 'APPOINTMENT_CODE_INVALID' || error.code === 'SELF_APPOINTMENT';
  if (isAboutTheCode) return { fieldId: fieldIds.code, message: error.message };
  return { fieldId: null, message: error.message };
}

/** `/account/appoint`: the representative's code, what they may do, until when; then their name, to check. */
export function AppointSomeone() {
  const appoint = useAppoint();
  const [answers, setAnswers] = useState<AppointAnswers>(emptyAnswers);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [appointed, setAppointed] = useState<AppointmentSummary | null>(null);
  const update = (patch: Partial<AppointAnswers>) => setAnswers((current) => ({ ...current, ...patch }));
  const error = (fieldId: string) => errorFor(errors, fieldId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateAppointment(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    try {
      setAppointed(await appoint.mutateAsync(result.request));
    } catch (failure) {
      if (failure instanceof ApiError && failure.issues.length > 0) setErrors(errorsFromIssues(failure.issues));
      else if (failure instanceof ApiError) setErrors([errorForRefusal(failure)]);
      else setErrors([{ fieldId: null, message: 'The appointment could not be made' }]);
    }
  }

  if (appointed) {
    return (
      <>
        <title>{`You appointed ${appointed.otherParty} – ${appConfig.serviceName}`}</title>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <Panel title={`You appointed ${appointed.otherParty}`}>Until {formatDay(appointed.endsOn)}</Panel>
            <p className="govuk-body">
              Check this is the person you meant. If it is not, end the appointment now in your account.
            </p>
            <h2 className="govuk-heading-m">What happens next</h2>
            <p className="govuk-body">
              It takes effect when {appointed.otherParty} accepts it in their account. From then, each time they act for you, you
              can see it
              in your account. Either of you can end it at any time.
            </p>
            <p className="govuk-body">
              <Link to="/account" className="govuk-link">
                Go to your account
              </Link>
            </p>
          </div>
        </div>
      </>
    );
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${PAGE_TITLE} – ${appConfig.serviceName}`}</title>
      <Link to="/account" className="govuk-back-link">
        Back to your account
      </Link>
      <ErrorSummary errors={errors.map((e) => (e.fieldId ? { ...e, fieldId: summaryTarget(e.fieldId) } : e))} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{PAGE_TITLE}</h1>
          <p className="govuk-body">
            The person you appoint must have a Townhall account. Ask them to make an appointment code in their account (under “People you
            act for”) and give it to you. Only appoint someone you trust.
          </p>
          <form noValidate onSubmit={(event) => void submit(event)}>
            <TextInput
              id={fieldIds.code}
              label={<strong>Their appointment code</strong>}
              hint="12 letters and digits, for example ABCD-EFGH-JKMN"
              error={error(fieldIds.code)}
              value={answers.code}
              onChange={(event) => update({ code: event.target.value })}
              width="20"
              isCode
              spellCheck={false}
              autoComplete="off"
              autoCapitalize="characters"
            />
            <AppointmentScopeFields
              value={answers}
              onChange={update}
              errorFor={error}
              purposesLegend="What may they do for you?"
              purposesHint="Select all that apply."
              endsOnHint="The last day they may act for you, at most 10 years from today. For example, 31 3 2027"
            />
            <button type="submit" className="govuk-button" disabled={appoint.isPending} aria-disabled={appoint.isPending}>
              {appoint.isPending ? 'Appointing…' : 'Appoint them'}
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
