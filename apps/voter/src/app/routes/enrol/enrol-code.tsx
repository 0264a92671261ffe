import { errorFor, ErrorSummary, type FieldError, TextInput } from '@townhall/web-ui';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useEnrolment } from '../../../features/enrolment/components/enrolment-context.tsx';
import { ACTIVATION_CODE_FIELD, validateActivationCode } from '../../../features/enrolment/lib/validate-claim.ts';
import { appConfig } from '../../../config/app-config.ts';

/** Step 1: the activation code, prefilled when the resident scanned the poll card's QR code. */
export function EnrolCodeRoute() {
  const [answers, setAnswers] = useEnrolment();
  const [searchParams, setSearchParams] = useSearchParams();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const navigate = useNavigate();

  const codeFromCard = searchParams.get('code');
  useEffect(() => {
    if (codeFromCard === null) return;
    setAnswers((previous) => ({ ...previous, codeInput: codeFromCard }));
    // The code is a secret: keep it out of the address bar and the history once it is in the form.
    setSearchParams({}, { replace: true });
  }, [codeFromCard, setAnswers, setSearchParams]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateActivationCode(answers.codeInput);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setAnswers((previous) => ({ ...previous, activationCode: result.value, options: null }));
    void navigate('/enrol/check');
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Enter your activation code – ${appConfig.serviceName}`}</title>
      <Link to="/" className="govuk-back-link">
        Back
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <form noValidate onSubmit={submit}>
            <span className="govuk-caption-l">Set up your account</span>
            <TextInput
              id={ACTIVATION_CODE_FIELD}
              isPageHeading
              label="Enter your activation code"
              hint="It is the 16 letters and numbers on your poll card, like ABCD-EFGH-JKMN-PQRS."
              error={errorFor(errors, ACTIVATION_CODE_FIELD)}
              value={answers.codeInput}
              onChange={(event) => setAnswers((previous) => ({ ...previous, codeInput: event.target.value }))}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              width="20"
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Continue
            </button>
          </form>
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">I do not have a poll card</span>
            </summary>
            <div className="govuk-details__text">
              The council sends a poll card to everyone on the electoral roll. If yours is lost or did not
              arrive, contact the council’s elections office and ask for a new one. A new card replaces the
              old one.
            </div>
          </details>
        </div>
      </div>
    </>
  );
}
