import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useSignOut } from '../../features/session/api/session.ts';
import { LoadingMessage } from '../../shared/components/loading-message.tsx';
import { ProblemBanner } from '../../shared/components/problem-banner.tsx';
import { appConfig } from '../../shared/config/app-config.ts';

/** Signing out is a link in the header; this page ends the session once and says so. */
export function SignOutRoute() {
  const signOut = useSignOut();
  const hasStarted = useRef(false);
  const { mutate } = signOut;
  useEffect(() => {
    if (hasStarted.current) return;
    hasStarted.current = true;
    mutate();
  }, [mutate]);

  return (
    <>
      <title>{`You have signed out – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {signOut.isError ? (
            <ProblemBanner what="" headline="Sorry, we could not sign you out." error={signOut.error} />
          ) : signOut.isSuccess ? (
            <>
              <h1 className="govuk-heading-l">You have signed out</h1>
              <p className="govuk-body">
                <Link to="/" className="govuk-link">
                  Sign in again
                </Link>
              </p>
            </>
          ) : (
            <LoadingMessage>Signing you out…</LoadingMessage>
          )}
        </div>
      </div>
    </>
  );
}
