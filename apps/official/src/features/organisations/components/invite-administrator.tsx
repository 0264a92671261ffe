import type { OrganisationInvitationCreated, OrganisationSummary } from '@townhall/protocol';
import { ApiError, ErrorSummary, LoadingMessage, NotFoundPage, ProblemBanner, TextInput } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useInviteAdministrator, useOrganisations } from '../api/organisations.ts';
import { InvitationLink } from './invitation-link.tsx';

const NAME_ID = 'administrator-name';

interface InviteAdministratorFormProps {
  organisation: Pick<OrganisationSummary, 'id' | 'legalName'>;
  initialName?: string;
}

/** A name, then the one-time link for that person to join as an administrator of the organisation. */
export function InviteAdministratorForm({ organisation, initialName = '' }: InviteAdministratorFormProps) {
  const invite = useInviteAdministrator(organisation.id);
  const [name, setName] = useState(initialName);
  const [invited, setInvited] = useState<{ invitation: OrganisationInvitationCreated; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const displayName = name.trim();
    if (displayName === '') {
      setError('Enter the name of the person to invite');
      return;
    }
    setError(null);
    try {
      setInvited({ invitation: await invite.mutateAsync(displayName), name: displayName });
    } catch (failure) {
      setError(failure instanceof ApiError && failure.issues.length > 0 ? `Their name ${failure.issues[0]!.message}` : null);
    }
  }

  if (invited) return <InvitationLink invitation={invited.invitation} administratorName={invited.name} />;
  return (
    <>
      <ErrorSummary errors={error ? [{ fieldId: NAME_ID, message: error }] : []} />
      {invite.isError && !error ? (
        <ProblemBanner what="" headline="Sorry, the invitation link could not be made." error={invite.error} />
      ) : null}
      <form noValidate onSubmit={(event) => void submit(event)}>
        <TextInput
          id={NAME_ID}
          label={<strong>Name of the administrator to invite</strong>}
          hint={`They get a one-time link to join ${organisation.legalName} as an administrator, valid for 3 days.`}
          error={error ?? undefined}
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" className="govuk-button" disabled={invite.isPending} aria-disabled={invite.isPending}>
          {invite.isPending ? 'Creating the link…' : 'Create invitation link'}
        </button>
      </form>
    </>
  );
}

/** "Invite an administrator" for one organisation of the register (for example when the first link expired). */
export function InviteAdministrator({ organisationId }: { organisationId: string }) {
  const organisations = useOrganisations();
  const organisation = organisations.data?.organisations.find((o) => o.id === organisationId);
  if (organisations.isSuccess && !organisation) return <NotFoundPage serviceName={appConfig.serviceName} />;
  const title = organisation ? `Invite an administrator of ${organisation.legalName}` : 'Invite an administrator';
  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <Link to="/organisations" className="govuk-back-link">
        Back to the organisations
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{title}</h1>
          {organisations.isPending ? <LoadingMessage>Loading the organisation…</LoadingMessage> : null}
          {organisations.isError ? <ProblemBanner what="the organisation" error={organisations.error} /> : null}
          {organisation && organisation.status !== 'active' ? (
            <p className="govuk-body">
              {organisation.legalName} is {organisation.status}: nobody can join it until it is reinstated.
            </p>
          ) : organisation ? (
            <InviteAdministratorForm organisation={organisation} />
          ) : null}
        </div>
      </div>
    </>
  );
}
