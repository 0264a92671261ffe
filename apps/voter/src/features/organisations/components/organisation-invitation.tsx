import type { OrganisationInvitationSummary, SessionResponse } from '@townhall/protocol';
import {
  ApiError,
  describePasskeyProblem,
  ErrorSummary,
  formatDateTime,
  LoadingMessage,
  organisationKindWords,
  Panel,
  ProblemBanner,
  rolesInWords,
} from '@townhall/web-ui';
import { Link, useLocation } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useJoinAsSignedIn, useJoinWithPasskey, useOrganisationInvitation } from '../api/organisations.ts';

const JOIN_AS_BUTTON_ID = 'join-as-signed-in';
const CREATE_PASSKEY_BUTTON_ID = 'create-passkey-and-join';

/** The name of whoever is signed in as a resident or a person, or null. */
function signedInName(session: SessionResponse | undefined): string | null {
  const principal = session?.principal;
  if (principal?.kind === 'resident') return principal.givenName;
  if (principal?.kind === 'person') return principal.displayName;
  return null;
}

interface OrganisationInvitationProps {
  token: string;
  session: SessionResponse | undefined;
}

/**
 * `/organisation-invite/:token`, the one-time link an organisation's administrator (or the council)
 * sent: who it is for, which organisation and roles; someone signed in joins as themselves, anyone
 * else creates a passkey (docs/organisations.md §2).
 */
export function OrganisationInvitation({ token, session }: OrganisationInvitationProps) {
  const invitation = useOrganisationInvitation(token);
  const joinWithPasskey = useJoinWithPasskey(token);
  const joinAsSignedIn = useJoinAsSignedIn(token);

  if (joinWithPasskey.isSuccess || joinAsSignedIn.isSuccess) {
    return <Joined invitation={invitation.data} isNewPasskey={joinWithPasskey.isSuccess} />;
  }

  const isUnusable = invitation.error instanceof ApiError && invitation.error.code === 'NOT_FOUND';
  const errors = joinWithPasskey.isError
    ? [{ fieldId: CREATE_PASSKEY_BUTTON_ID, message: describePasskeyProblem(joinWithPasskey.error, 'create') }]
    : joinAsSignedIn.isError
      ? [{ fieldId: JOIN_AS_BUTTON_ID, message: joinAsSignedIn.error.message }]
      : [];
  const title = isUnusable
    ? 'This invitation link is not valid'
    : invitation.data
      ? `Join ${invitation.data.organisation.legalName}`
      : 'Join an organisation';
  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${title} – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          {invitation.isPending ? <LoadingMessage>Checking your invitation…</LoadingMessage> : null}
          {isUnusable ? (
            <>
              <h1 className="govuk-heading-l">{title}</h1>
              <p className="govuk-body">It may have been used already, or it may have expired: links work once, for 3 days.</p>
              <p className="govuk-body">Ask the organisation’s administrator to invite you again.</p>
            </>
          ) : invitation.isError ? (
            <>
              <h1 className="govuk-heading-l">{title}</h1>
              <ProblemBanner what="your invitation" error={invitation.error} />
            </>
          ) : null}
          {invitation.data ? (
            <InvitationDetails
              invitation={invitation.data}
              session={session}
              joinAsSignedIn={() => {
                joinWithPasskey.reset();
                joinAsSignedIn.mutate();
              }}
              joinWithPasskey={() => {
                joinAsSignedIn.reset();
                joinWithPasskey.mutate();
              }}
              isJoiningAsSignedIn={joinAsSignedIn.isPending}
              isCreatingPasskey={joinWithPasskey.isPending}
            />
          ) : null}
        </div>
      </div>
    </>
  );
}

interface InvitationDetailsProps {
  invitation: OrganisationInvitationSummary;
  session: SessionResponse | undefined;
  joinAsSignedIn: () => void;
  joinWithPasskey: () => void;
  isJoiningAsSignedIn: boolean;
  isCreatingPasskey: boolean;
}

function InvitationDetails(props: InvitationDetailsProps) {
  const { invitation, session, joinAsSignedIn, joinWithPasskey, isJoiningAsSignedIn, isCreatingPasskey } = props;
  const location = useLocation();
  const name = signedInName(session);
  const { organisation } = invitation;
  return (
    <>
      <span className="govuk-caption-l">{organisationKindWords(organisation.kind)}</span>
      <h1 className="govuk-heading-l">Join {organisation.legalName}</h1>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Invited</dt>
          <dd className="govuk-summary-list__value">{invitation.displayName}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">{invitation.roles.length === 1 ? 'Role' : 'Roles'}</dt>
          <dd className="govuk-summary-list__value">{rolesInWords(invitation.roles)}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Link expires</dt>
          <dd className="govuk-summary-list__value">{formatDateTime(invitation.expiresAt)}</dd>
        </div>
      </dl>
      <p className="govuk-body">
        {organisation.legalName} and the council’s services will know you as “{invitation.displayName}”. The public ledger
        records that
        the organisation has a new member, under a pseudonym: never your name.
      </p>
      {session?.principal.kind === 'staff' ? (
        <p className="govuk-body">
          You are signed in as a member of the council’s staff, who cannot join organisations.{' '}
          <Link to="/sign-out" className="govuk-link">
            Sign out
          </Link>{' '}
          to accept the invitation.
        </p>
      ) : name !== null ? (
        <>
          <h2 className="govuk-heading-m">Join with your Townhall account</h2>
          <p className="govuk-body">You are signed in as {name}. You do not need a new passkey.</p>
          <button
            type="button"
            id={JOIN_AS_BUTTON_ID}
            className="govuk-button"
            onClick={joinAsSignedIn}
            disabled={isJoiningAsSignedIn}
            aria-disabled={isJoiningAsSignedIn}
          >
            {isJoiningAsSignedIn ? 'Joining…' : `Join as ${name}`}
          </button>
          <p className="govuk-body">
            Not {name}?{' '}
            <Link to="/sign-out" className="govuk-link">
              Sign out
            </Link>{' '}
            and open the link again.
          </p>
        </>
      ) : (
        <>
          <h2 className="govuk-heading-m">If you already have a Townhall account</h2>
          <p className="govuk-body">
            <Link to="/sign-in" state={{ from: location.pathname }} className="govuk-link">
              Sign in with your passkey
            </Link>{' '}
            and come back to this page to join as yourself.
          </p>
          <h2 className="govuk-heading-m">If you are new here</h2>
          <p className="govuk-body">
            Create a passkey to join. Your phone, computer or security key keeps it, and unlocks it with your fingerprint, face, screen
            lock or PIN. Create it on a device only you use.
          </p>
          <button
            type="button"
            id={CREATE_PASSKEY_BUTTON_ID}
            className="govuk-button"
            onClick={joinWithPasskey}
            disabled={isCreatingPasskey}
            aria-disabled={isCreatingPasskey}
          >
            {isCreatingPasskey ? 'Waiting for your passkey…' : 'Create a passkey and join'}
          </button>
        </>
      )}
    </>
  );
}

function Joined({ invitation, isNewPasskey }: { invitation: OrganisationInvitationSummary | undefined; isNewPasskey: boolean }) {
  const name = invitation?.organisation.legalName ?? 'the organisation';
  return (
    <>
      <title>{`You have joined ${name} – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title={`You have joined ${name}`}>
            {invitation ? `as ${rolesInWords(invitation.roles).toLowerCase()}` : null}
          </Panel>
          <p className="govuk-body">
            {isNewPasskey
              ? 'Your passkey is set up and you are signed in. Next time, sign in with your passkey.'
              : 'You can now act for the organisation with your Townhall account.'}{' '}
            The invitation link no longer works.
          </p>
          <p className="govuk-body">
            <Link to="/account" className="govuk-link">
              Go to your organisations
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}
