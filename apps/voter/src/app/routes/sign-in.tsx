import { WebAuthnAbortService } from '@simplewebauthn/browser';
import { describePasskeyProblem, ErrorSummary } from '@townhall/web-ui';
import { useEffect } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useSignIn } from '../../features/session/api/session.ts';
import { appConfig } from '../../config/app-config.ts';

const SIGN_IN_BUTTON_ID = 'sign-in-with-passkey';

export function SignInRoute() {
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const returnTo = (location.state as { from?: string } | null)?.from ?? '/account';

  // One way to sign in: the button. (Passkey autofill needed an empty text box, "Choose a passkey",
  // that residents met with nothing to type in it; the button's request offers the same passkeys.)
  // A request still waiting when the page is left is stopped.
  useEffect(() => () => WebAuthnAbortService.cancelCeremony(), []);

  function signInWithButton() {
    signIn.mutate(false, { onSuccess: () => void navigate(returnTo, { replace: true }) });
  }

  // A request that was stopped (by leaving the page) is not a problem.
  const isRealFailure = signIn.isError && signIn.error.name !== 'AbortError';
  const errors = isRealFailure ? [{ fieldId: SIGN_IN_BUTTON_ID, message: describePasskeyProblem(signIn.error, 'sign-in') }] : [];
  const isWaiting = signIn.isPending && signIn.variables === false;

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Sign in – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <h1 className="govuk-heading-l">Sign in</h1>
          <p className="govuk-body">Use the passkey you created when you set up your account.</p>
          <p className="govuk-body">
            Your browser asks you to choose the passkey, then to confirm it is you with your fingerprint, face or screen lock. If your passkey is on
            your phone, choose to use a phone or another device, and scan the code with your phone.
          </p>
          <button type="button" id={SIGN_IN_BUTTON_ID} className="govuk-button" onClick={signInWithButton} disabled={isWaiting} aria-disabled={isWaiting}>
            {isWaiting ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
          </button>
          <h2 className="govuk-heading-m">If you have not set up your account</h2>
          <p className="govuk-body">
            You need the poll card the council sent you.{' '}
            <Link to="/enrol" className="govuk-link">
              Set up your account
            </Link>
            .
          </p>
          <h2 className="govuk-heading-m">If your passkey does not work</h2>
          <p className="govuk-body">
            If you lost the device with your passkey, or your poll card was re-issued, ask the council for a new
            poll card and set up your account again. A new poll card stops your old passkeys working.
          </p>
        </div>
      </div>
    </>
  );
}
