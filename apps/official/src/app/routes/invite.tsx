import { ApiError, describePasskeyProblem, ErrorSummary, formatDateTime, LoadingMessage, Panel, ProblemBanner } from '@townhall/web-ui';
import { Link, useParams } from 'react-router';
import { useAcceptInvitation, useInvitation } from '../../features/session/api/session.ts';
import { appConfig } from '../../config/app-config.ts';

const ACCEPT_BUTTON_ID = 'accept-invitation';

const ROLE_DESCRIPTIONS = {
  admin: 'an administrator: you can invite staff and see what staff have done, and manage the roll',
  officer: 'an electoral registration officer: you can import the electoral roll and issue poll cards',
  trustee: 'a trustee: you will hold a share of an election’s decryption key',
} as const;

/** `/official/invite/:token`: the link an administrator (or `npm run admin:invite`) gave. */
export function InviteRoute() {
  const { token = '' } = useParams();
  const invitation = useInvitation(token);
  const accept = useAcceptInvitation(token);

  if (accept.isSuccess) {
    return (
      <>
        <title>{`You have joined – ${appConfig.serviceName}`}</title>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <Panel title="You have joined">Your passkey is set up and you are signed in</Panel>
            <p className="govuk-body">Next time, sign in with your passkey. The invitation link no longer works.</p>
            <p className="govuk-body">
              <Link to="/" className="govuk-link">
                Continue to the overview
              </Link>
            </p>
          </div>
        </div>
      </>
    );
  }

  const isUnusable = invitation.error instanceof ApiError && invitation.error.code === 'NOT_FOUND';
  const errors = accept.isError ? [{ fieldId: ACCEPT_BUTTON_ID, message: describePasskeyProblem(accept.error, 'create') }] : [];
  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${isUnusable ? 'This invitation link is not valid' : 'Accept your invitation'} – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          {invitation.isPending ? <LoadingMessage>Checking your invitation…</LoadingMessage> : null}
          {isUnusable ? (
            <>
              <h1 className="govuk-heading-l">This invitation link is not valid</h1>
              <p className="govuk-body">It may have been used already, or it may have expired: links work once, for 3 days.</p>
              <p className="govuk-body">Ask an administrator to invite you again.</p>
            </>
          ) : invitation.isError ? (
            <ProblemBanner what="your invitation" error={invitation.error} />
          ) : null}
          {invitation.data ? (
            <>
              <h1 className="govuk-heading-l">Accept your invitation</h1>
              <p className="govuk-body">
                {invitation.data.displayName}, you have been invited to join as {ROLE_DESCRIPTIONS[invitation.data.role]}
                {invitation.data.electionId ? ` (election ${invitation.data.electionId})` : ''}.
              </p>
              <p className="govuk-body">The invitation expires on {formatDateTime(invitation.data.expiresAt)}.</p>
              <h2 className="govuk-heading-m">Create a passkey</h2>
              <p className="govuk-body">
                You sign in to this service with a passkey instead of a password. Your phone, computer or security
                key keeps it, and unlocks it with your fingerprint, face, screen lock or PIN. Create it on a device only
                you use.
              </p>
              <button
                type="button"
                id={ACCEPT_BUTTON_ID}
                className="govuk-button"
                onClick={() => accept.mutate()}
                disabled={accept.isPending}
                aria-disabled={accept.isPending}
              >
                {accept.isPending ? 'Waiting for your passkey…' : accept.isError ? 'Try again' : 'Create a passkey and join'}
              </button>
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
