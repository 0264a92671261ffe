import { browserSupportsWebAuthnAutofill, WebAuthnAbortService } from '@simplewebauthn/browser';
import { describePasskeyProblem, ErrorSummary, TextInput } from '@townhall/web-ui';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useSignIn } from '../../features/session/api/session.ts';
import { appConfig } from '../../shared/config/app-config.ts';

const SIGN_IN_BUTTON_ID = 'sign-in-with-passkey';

export function SignInRoute() {
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const [canAutofill, setCanAutofill] = useState(false);
  const returnTo = (location.state as { from?: string } | null)?.from ?? '/account';

  // Conditional UI: where the browser supports it, the passkeys it holds for this site are offered
  // in the autofill list of the field below, and picking one signs in without pressing the button.
  useEffect(() => {
    let isCurrent = true;
    void browserSupportsWebAuthnAutofill().then((isSupported) => {
      if (isCurrent) setCanAutofill(isSupported);
    });
    return () => {
      isCurrent = false;
    };
  }, []);

  const { mutate } = signIn;
  useEffect(() => {
    if (!canAutofill) return;
    mutate(true, {
      onSuccess: () => void navigate(returnTo, { replace: true }),
    });
    return () => WebAuthnAbortService.cancelCeremony();
  }, [canAutofill, mutate, navigate, returnTo]);

  function signInWithButton() {
    signIn.mutate(false, { onSuccess: () => void navigate(returnTo, { replace: true }) });
  }

  // A conditional request that was stopped (by the button, or leaving the page) is not a problem.
  const isRealFailure = signIn.isError && signIn.error.name !== 'AbortError' && !(signIn.variables === true && signIn.error.name === 'NotAllowedError');
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
          {canAutofill ? (
            <TextInput
              id="passkey-username"
              name="username"
              label="Choose a passkey"
              hint="Select this box to see the passkeys saved on this device, or use the button."
              autoComplete="username webauthn"
              width="20"
            />
          ) : null}
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
