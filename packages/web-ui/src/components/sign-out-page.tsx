import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { LoadingMessage } from './loading-message.tsx';
import { ProblemBanner } from './problem-banner.tsx';

/** The part of a sign-out mutation (TanStack Query's `useMutation`) this page needs. */
export interface SignOutMutation {
  mutate: () => void;
  isError: boolean;
  isSuccess: boolean;
  error: unknown;
}

interface SignOutPageProps {
  serviceName: string;
  signOut: SignOutMutation;
  /** Where "Sign in again" leads, inside the app's router. */
  signInPath: string;
}

/** Signing out is a link in the header; this page ends the session once and says so. */
export function SignOutPage({ serviceName, signOut, signInPath }: SignOutPageProps) {
  const hasStarted = useRef(false);
  const { mutate } = signOut;
  useEffect(() => {
    if (hasStarted.current) return;
    hasStarted.current = true;
    mutate();
  }, [mutate]);

  return (
    <>
      <title>{`You have signed out – ${serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {signOut.isError ? (
            <ProblemBanner what="" headline="Sorry, we could not sign you out." error={signOut.error} />
          ) : signOut.isSuccess ? (
            <>
              <h1 className="govuk-heading-l">You have signed out</h1>
              <p className="govuk-body">
                <Link to={signInPath} className="govuk-link">
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
