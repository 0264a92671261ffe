import { useQueryClient } from '@tanstack/react-query';
import { ApiError, describePasskeyProblem, ErrorSummary, type FieldError } from '@townhall/web-ui';
import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { createPasskeyAndEnrol, startEnrolment } from '../../../features/enrolment/api/enrolment.ts';
import { useEnrolment } from '../../../features/enrolment/components/enrolment-context.tsx';
import { PasskeyExplainer } from '../../../features/session/components/passkey-explainer.tsx';
import { sessionQueryKey } from '../../../features/session/api/session.ts';
import { appConfig } from '../../../config/app-config.ts';

const CREATE_BUTTON_ID = 'create-passkey';

/** Step 3: create the passkey; the API claims the roll entry and signs the resident in. */
export function EnrolPasskeyRoute() {
  const [answers, setAnswers] = useEnrolment();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [isCodeSpent, setIsCodeSpent] = useState(false);
  const [isWorking, setIsWorking] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  if (answers.activationCode === null || answers.attribute === null) return <Navigate to="/enrol" replace />;
  const { activationCode, attribute } = answers;

  async function createPasskey() {
    setIsWorking(true);
    setErrors([]);
    try {
      // After a failed attempt the challenge may have expired or been used: ask for a fresh one.
      const options = answers.options ?? (await startEnrolment({ activationCode, ...attribute }));
      setAnswers((previous) => ({ ...previous, options: null }));
      const session = await createPasskeyAndEnrol(options);
      queryClient.setQueryData(sessionQueryKey, session);
      // Leaving the enrolment pages drops their answers (the code with them).
      void navigate('/enrol/done', { replace: true, state: { givenName: session.principal.kind === 'resident' ? session.principal.givenName : null } });
    } catch (error) {
      const isSpent = error instanceof ApiError && (error.code === 'ACTIVATION_CODE_INVALID' || error.code === 'ACCOUNT_LOCKED');
      setIsCodeSpent(isSpent);
      setErrors([{ fieldId: isSpent ? null : CREATE_BUTTON_ID, message: describePasskeyProblem(error, 'create') }]);
    } finally {
      setIsWorking(false);
    }
  }

  const hasFailed = errors.length > 0;
  return (
    <>
      <title>{`${hasFailed ? 'Error: ' : ''}Create a passkey – ${appConfig.serviceName}`}</title>
      <Link to="/enrol/check" className="govuk-back-link">
        Back
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <span className="govuk-caption-l">Set up your account</span>
          <h1 className="govuk-heading-l">Create a passkey</h1>
          <PasskeyExplainer />
          {isCodeSpent ? (
            <p className="govuk-body">
              <Link to="/enrol" className="govuk-link">
                Start again with your activation code
              </Link>
            </p>
          ) : (
            <button type="button" id={CREATE_BUTTON_ID} className="govuk-button" onClick={() => void createPasskey()} disabled={isWorking} aria-disabled={isWorking}>
              {isWorking ? 'Waiting for your passkey…' : hasFailed ? 'Try again' : 'Create a passkey'}
            </button>
          )}
        </div>
      </div>
    </>
  );
}
