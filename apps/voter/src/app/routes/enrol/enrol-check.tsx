import { ApiError, DateInput, type DateParts, describePasskeyProblem, errorFor, ErrorSummary, type FieldError, TextInput } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { startEnrolment } from '../../../features/enrolment/api/enrolment.ts';
import { useEnrolment } from '../../../features/enrolment/components/enrolment-context.tsx';
import {
  ATTRIBUTE_CHOICE_FIELD,
  DATE_OF_BIRTH_FIELD,
  POSTCODE_FIELD,
  validateAttribute,
  type AttributeChoice,
} from '../../../features/enrolment/lib/validate-claim.ts';
import { appConfig } from '../../../config/app-config.ts';

/** Step 2: one roll attribute (postcode or date of birth) to show the poll card is the resident's own. */
export function EnrolCheckRoute() {
  const [answers, setAnswers] = useEnrolment();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [erroneousParts, setErroneousParts] = useState<(keyof DateParts)[] | undefined>();
  const [isChecking, setIsChecking] = useState(false);
  const navigate = useNavigate();

  if (answers.activationCode === null) return <Navigate to="/enrol" replace />;
  const activationCode = answers.activationCode;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateAttribute(answers.choice, answers.postcode, answers.dateOfBirth);
    if (!result.ok) {
      setErrors(result.errors);
      setErroneousParts(result.erroneousParts);
      return;
    }
    setErrors([]);
    setIsChecking(true);
    try {
      const options = await startEnrolment({ activationCode, ...result.value });
      setAnswers((previous) => ({ ...previous, attribute: result.value, options }));
      void navigate('/enrol/passkey');
    } catch (error) {
      setErrors([problemOf(error, answers.choice)]);
    } finally {
      setIsChecking(false);
    }
  }

  function choose(choice: AttributeChoice) {
    setAnswers((previous) => ({ ...previous, choice }));
  }

  const choiceError = errorFor(errors, `${ATTRIBUTE_CHOICE_FIELD}-postcode`);
  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Check it is your poll card – ${appConfig.serviceName}`}</title>
      <Link to="/enrol" className="govuk-back-link">
        Back
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <form noValidate onSubmit={submit}>
            <div className={`govuk-form-group${choiceError ? ' govuk-form-group--error' : ''}`}>
              <fieldset className="govuk-fieldset" aria-describedby={`${ATTRIBUTE_CHOICE_FIELD}-hint${choiceError ? ` ${ATTRIBUTE_CHOICE_FIELD}-error` : ''}`}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--l">
                  <span className="govuk-caption-l">Set up your account</span>
                  <h1 className="govuk-fieldset__heading">How do you want to show the poll card is yours?</h1>
                </legend>
                <div className="govuk-hint" id={`${ATTRIBUTE_CHOICE_FIELD}-hint`}>
                  We check it against the electoral roll. Choose one.
                </div>
                {choiceError ? (
                  <p className="govuk-error-message" id={`${ATTRIBUTE_CHOICE_FIELD}-error`}>
                    <span className="govuk-visually-hidden">Error:</span> {choiceError}
                  </p>
                ) : null}
                <div className="govuk-radios">
                  <div className="govuk-radios__item">
                    <input
                      className="govuk-radios__input"
                      id={`${ATTRIBUTE_CHOICE_FIELD}-postcode`}
                      name={ATTRIBUTE_CHOICE_FIELD}
                      type="radio"
                      value="postcode"
                      checked={answers.choice === 'postcode'}
                      onChange={() => choose('postcode')}
                      aria-controls="conditional-postcode"
                    />
                    <label className="govuk-label govuk-radios__label" htmlFor={`${ATTRIBUTE_CHOICE_FIELD}-postcode`}>
                      My postcode
                    </label>
                  </div>
                  <div
                    className={`govuk-radios__conditional${answers.choice === 'postcode' ? '' : ' govuk-radios__conditional--hidden'}`}
                    id="conditional-postcode"
                  >
                    <TextInput
                      id={POSTCODE_FIELD}
                      label="Postcode"
                      hint="The postcode of the address on your poll card."
                      error={errorFor(errors, POSTCODE_FIELD)}
                      value={answers.postcode}
                      onChange={(event) => setAnswers((previous) => ({ ...previous, postcode: event.target.value }))}
                      autoComplete="postal-code"
                      width="10"
                    />
                  </div>
                  <div className="govuk-radios__item">
                    <input
                      className="govuk-radios__input"
                      id={`${ATTRIBUTE_CHOICE_FIELD}-date-of-birth`}
                      name={ATTRIBUTE_CHOICE_FIELD}
                      type="radio"
                      value="dateOfBirth"
                      checked={answers.choice === 'dateOfBirth'}
                      onChange={() => choose('dateOfBirth')}
                      aria-controls="conditional-date-of-birth"
                    />
                    <label className="govuk-label govuk-radios__label" htmlFor={`${ATTRIBUTE_CHOICE_FIELD}-date-of-birth`}>
                      My date of birth
                    </label>
                  </div>
                  <div
                    className={`govuk-radios__conditional${answers.choice === 'dateOfBirth' ? '' : ' govuk-radios__conditional--hidden'}`}
                    id="conditional-date-of-birth"
                  >
                    <DateInput
                      id={DATE_OF_BIRTH_FIELD}
                      legend="Date of birth"
                      hint="For example, 27 3 1985"
                      error={errors.find((error) => error.fieldId?.startsWith(DATE_OF_BIRTH_FIELD))?.message}
                      erroneousParts={erroneousParts}
                      value={answers.dateOfBirth}
                      onChange={(dateOfBirth) => setAnswers((previous) => ({ ...previous, dateOfBirth }))}
                      autoCompletePrefix="bday"
                    />
                  </div>
                </div>
              </fieldset>
            </div>
            <button type="submit" className="govuk-button" disabled={isChecking} aria-disabled={isChecking}>
              {isChecking ? 'Checking…' : 'Continue'}
            </button>
          </form>
        </div>
      </div>
    </>
  );
}

/** A refusal from the API, as a message on the page (and linked to the answer to check). */
function problemOf(error: unknown, choice: AttributeChoice | null): FieldError {
  if (error instanceof ApiError && error.code === 'ACTIVATION_CODE_INVALID') {
    return {
      fieldId: choice === 'dateOfBirth' ? `${DATE_OF_BIRTH_FIELD}-day` : POSTCODE_FIELD,
      message:
        'The activation code and the ' +
        (choice === 'dateOfBirth' ? 'date of birth' : 'postcode') +
        ' do not match a poll card. Check them against your poll card and try again. A code works only once. After 5 wrong tries a card is locked for an hour: if you are sure they are right, try again later or contact the council.',
    };
  }
  if (error instanceof ApiError && error.code === 'ACCOUNT_LOCKED') {
    return { fieldId: null, message: error.message };
  }
  return { fieldId: null, message: describePasskeyProblem(error, 'create') };
}
