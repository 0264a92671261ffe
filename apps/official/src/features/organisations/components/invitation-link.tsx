import type { OrganisationInvitationCreated } from '@townhall/protocol';
import { formatDateTime, OneTimeSecret } from '@townhall/web-ui';

/** The first administrator's one-time link, shown here once: nobody can look it up later. */
export function InvitationLink(props: { invitation: OrganisationInvitationCreated; administratorName: string }) {
  const { invitation, administratorName } = props;
  return (
    <>
      <h2 className="govuk-heading-m">Invitation link for {administratorName}</h2>
      <OneTimeSecret
        id="invitation-link"
        label="Invitation link"
        hint={`It works once, until ${formatDateTime(invitation.expiresAt)}. Send it to ${administratorName} only.`}
        value={invitation.url}
        copyLabel="Copy the link"
        warning="Copy the link now. It will not be shown again, and nobody can look it up later."
      />
      <p className="govuk-body">
        With the link, {administratorName} creates a passkey, or joins with their Townhall account if they have one, and can then
        invite the organisation’s other members.
      </p>
    </>
  );
}
