import { describePasskeyProblem, ErrorSummary, useCouncil } from '@townhall/web-ui';
import { Link } from 'react-router';
import { useSession, useSignIn } from '../api/session.ts';
import { appConfig } from '../../../config/app-config.ts';

const SIGN_IN_BUTTON_ID = 'sign-in-with-passkey';

/** What anyone who is not signed in as staff sees instead of a staff page. */
export function StaffSignIn() {
  const session = useSession();
  const council = useCouncil();
  const signIn = useSignIn();
  const isResident = session.data?.principal.kind === 'resident';
  const errors = signIn.isError ? [{ fieldId: SIGN_IN_BUTTON_ID, message: describePasskeyProblem(signIn.error, 'sign-in') }] : [];
  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Sign in – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          {council.data ? <span className="govuk-caption-l">{council.data.name}</span> : null}
          <h1 className="govuk-heading-l">Sign in</h1>
          {isResident ? (
            <div className="govuk-inset-text">
              You are signed in as a resident. This service is for the council’s election staff.{' '}
              <Link to="/sign-out" className="govuk-link">
                Sign out
              </Link>{' '}
              first to sign in as staff, or{' '}
              <a href="/account" className="govuk-link">
                go to your account
              </a>
              .
            </div>
          ) : null}
          <p className="govuk-body">
            This service is for the council’s election staff: administrators, electoral registration officers and
            trustees. Sign in with the passkey you created when you accepted your invitation.
          </p>
          <button
            type="button"
            id={SIGN_IN_BUTTON_ID}
            className="govuk-button"
            onClick={() => signIn.mutate()}
            disabled={signIn.isPending}
            aria-disabled={signIn.isPending}
          >
            {signIn.isPending ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
          </button>
          <p className="govuk-body">
            New members of staff join with an invitation link from an administrator. If you lost your passkey, ask an
            administrator for a new invitation.
          </p>
        </div>
      </div>
    </>
  );
}
