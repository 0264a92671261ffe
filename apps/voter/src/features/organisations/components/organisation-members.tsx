import type { OrganisationInvitationCreated, OrganisationMemberSummary } from '@townhall/protocol';
import {
  ApiError,
  ConfirmPanel,
  ErrorSummary,
  type FieldError,
  formatDateTime,
  LoadingMessage,
  OneTimeSecret,
  ProblemBanner,
  ReceiptLink,
  rolesInWords,
  TextInput,
} from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useInviteMember, useMyOrganisations, useOrganisationMembers, useRemoveMember, useSetMemberRoles } from '../api/organisations.ts';
import { rolesAnswersOf, rolesFromAnswers, type RolesAnswers } from '../lib/roles-form.ts';
import { BankAccountSection } from './bank-account.tsx';
import { RolesFields } from './roles-fields.tsx';

const ACCOUNT_KIND_WORDS = { resident: 'Townhall resident', person: 'Joined by invitation' } as const;

/**
 * `/account/organisations/:organisationId`, for the organisation's administrators: its members, their
 * roles and the entry that records them; changing roles; removing a member (asks first); inviting
 * a member with a one-time link shown once; its bank account for payments.
 */
export function OrganisationMembers({ organisationId }: { organisationId: string }) {
  const mine = useMyOrganisations();
  const members = useOrganisationMembers(organisationId);
  const remove = useRemoveMember(organisationId);
  const [removing, setRemoving] = useState<OrganisationMemberSummary | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const name = mine.data?.organisations.find((m) => m.organisation.id === organisationId)?.organisation.legalName ?? 'the organisation';
  const title = `Members of ${name}`;
  const isRefused =
    members.error instanceof ApiError && ['FORBIDDEN', 'NOT_FOUND', 'ORGANISATION_NOT_ACTIVE'].includes(members.error.code);

  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <Link to="/account" className="govuk-back-link">
        Back to your account
      </Link>
      <h1 className="govuk-heading-l">{title}</h1>
      {notice ? (
        <div className="govuk-inset-text" role="status">
          {notice}
        </div>
      ) : null}
      {remove.isError ? <ProblemBanner what="" headline="Sorry, the member could not be removed." error={remove.error} /> : null}
      {members.isPending ? <LoadingMessage>Loading the members…</LoadingMessage> : null}
      {isRefused ? (
        <p className="govuk-body">
          {(members.error as ApiError).code === 'ORGANISATION_NOT_ACTIVE'
            ? `${name} is not active, so nobody can manage its members until the council reinstates it.`
            : 'Only the organisation’s administrators can manage its members.'}
        </p>
      ) : members.isError ? (
        <ProblemBanner what="the members" error={members.error} />
      ) : null}
      {removing ? (
        <ConfirmPanel
          key={removing.id}
          question={`Remove ${removing.displayName}?`}
          consequences={
            <>
              <p className="govuk-body">
                {removing.displayName} loses every role in {name} at once: they can no longer act for it or show a membership code for it.
                To have them back, invite them again.
              </p>
              <p className="govuk-body govuk-!-margin-bottom-0">
                The removal is recorded in the council’s public ledger, under a pseudonym.
              </p>
            </>
          }
          confirmLabel="Yes, remove them"
          onConfirm={() => {
            const member = removing;
            setRemoving(null);
            setNotice(null);
            remove.mutate(member.id, { onSuccess: () => setNotice(`${member.displayName} is no longer a member.`) });
          }}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
      {members.data ? (
        <table className="govuk-table th-stacked-table" role="table">
          <caption className="govuk-table__caption govuk-table__caption--m">Current members</caption>
          <thead className="govuk-table__head" role="rowgroup">
            <tr className="govuk-table__row" role="row">
              {['Name', 'Roles', 'Ledger record', 'Actions'].map((column) => (
                <th scope="col" className="govuk-table__header" role="columnheader" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body" role="rowgroup">
            {members.data.members.map((member) => (
              <MemberRow
                key={member.id}
                organisationId={organisationId}
                member={member}
                isEditing={editing === member.id}
                onEdit={(isEditing) => {
                  setNotice(null);
                  setEditing(isEditing ? member.id : null);
                }}
                onSaved={() => {
                  setEditing(null);
                  setNotice(`${member.displayName}’s roles are changed.`);
                }}
                onRemove={() => {
                  setNotice(null);
                  remove.reset();
                  setRemoving(member);
                }}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {members.data ? <InviteMember organisationId={organisationId} organisationName={name} /> : null}
      {members.data ? <BankAccountSection organisationId={organisationId} organisationName={name} /> : null}
    </>
  );
}

interface MemberRowProps {
  organisationId: string;
  member: OrganisationMemberSummary;
  isEditing: boolean;
  onEdit: (isEditing: boolean) => void;
  onSaved: () => void;
  onRemove: () => void;
}

function MemberRow({ organisationId, member, isEditing, onEdit, onSaved, onRemove }: MemberRowProps) {
  const label = (column: string) => (
    <span className="th-stacked-table__label" aria-hidden="true">
      {column}
    </span>
  );
  return (
    <tr className="govuk-table__row" role="row">
      <th scope="row" className="govuk-table__header" role="rowheader">
        {member.displayName}
        <span className="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
          {ACCOUNT_KIND_WORDS[member.accountKind]}
        </span>
      </th>
      <td className="govuk-table__cell" role="cell">
        {label('Roles')}
        {isEditing ? (
          <ChangeRoles organisationId={organisationId} member={member} onSaved={onSaved} onCancel={() => onEdit(false)} />
        ) : (
          rolesInWords(member.roles)
        )}
      </td>
      <td className="govuk-table__cell" role="cell">
        {label('Ledger record')}
        Since {formatDateTime(member.grantedAt)}
        <br />
        <ReceiptLink apiBasePath={appConfig.apiBasePath} ledgerIndex={member.grantedIndex} context={`${member.displayName}’s roles`} />
      </td>
      <td className="govuk-table__cell" role="cell">
        {label('Actions')}
        {isEditing ? null : (
          <ul className="govuk-list govuk-!-margin-bottom-0">
            <li>
              <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" onClick={() => onEdit(true)}>
                Change roles<span className="govuk-visually-hidden"> of {member.displayName}</span>
              </button>
            </li>
            <li>
              <button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" onClick={onRemove}>
                Remove<span className="govuk-visually-hidden"> {member.displayName}</span>
              </button>
            </li>
          </ul>
        )}
      </td>
    </tr>
  );
}

interface ChangeRolesProps {
  organisationId: string;
  member: OrganisationMemberSummary;
  onSaved: () => void;
  onCancel: () => void;
}

function ChangeRoles({ organisationId, member, onSaved, onCancel }: ChangeRolesProps) {
  const setRoles = useSetMemberRoles(organisationId);
  const [answers, setAnswers] = useState<RolesAnswers>(() => rolesAnswersOf(member.roles));
  const [error, setError] = useState<string | undefined>();
  const id = `roles-${member.id}`;
  function submit(event: FormEvent) {
    event.preventDefault();
    const roles = rolesFromAnswers(answers);
    if (!roles.ok) {
      setError(roles.message);
      return;
    }
    setError(undefined);
    setRoles.mutate({ memberId: member.id, roles: roles.roles }, { onSuccess: onSaved, onError: (failure) => setError(failure.message) });
  }
  return (
    <form noValidate onSubmit={submit}>
      <RolesFields id={id} legend={`${member.displayName}’s roles`} error={error} value={answers} onChange={setAnswers} />
      <div className="govuk-button-group">
        <button type="submit" className="govuk-button" disabled={setRoles.isPending} aria-disabled={setRoles.isPending}>
          Save roles
        </button>
        <button type="button" className="govuk-button govuk-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const NAME_ID = 'member-name';
const ROLES_ID = 'member-roles';

function InviteMember({ organisationId, organisationName }: { organisationId: string; organisationName: string }) {
  const invite = useInviteMember(organisationId);
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<RolesAnswers>({ isAdministrator: false, isMember: true, others: '' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [invited, setInvited] = useState<{ invitation: OrganisationInvitationCreated; name: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = rolesFromAnswers(roles);
    const found: FieldError[] = [];
    if (name.trim() === '') found.push({ fieldId: NAME_ID, message: 'Enter the name of the person to invite' });
    if (!chosen.ok) found.push({ fieldId: `${ROLES_ID}-administrator`, message: chosen.message });
    setErrors(found);
    if (found.length > 0 || !chosen.ok) return;
    try {
      setInvited({ invitation: await invite.mutateAsync({ displayName: name.trim(), roles: chosen.roles }), name: name.trim() });
    } catch (failure) {
      setErrors([{ fieldId: null, message: failure instanceof Error ? failure.message : 'The invitation could not be made' }]);
    }
  }

  return (
    <section aria-labelledby="invite-heading" className="govuk-!-margin-top-8">
      <h2 className="govuk-heading-m" id="invite-heading">
        Invite a member
      </h2>
      {invited ? (
        <>
          <OneTimeSecret
            id="member-invitation-link"
            label={`Invitation link for ${invited.name}`}
            hint={`It works once, until ${formatDateTime(invited.invitation.expiresAt)}. Send it to ${invited.name} only.`}
            value={invited.invitation.url}
            copyLabel="Copy the link"
            warning="Copy the link now. It will not be shown again, and nobody can look it up later."
          />
          <button
            type="button"
            className="govuk-button govuk-button--secondary"
            onClick={() => {
              invite.reset();
              setName('');
              setInvited(null);
            }}
          >
            Invite someone else
          </button>
        </>
      ) : (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <ErrorSummary errors={errors} />
            <p className="govuk-body">
              They get a one-time link, valid for 3 days, to join {organisationName} with their Townhall account or a new passkey.
            </p>
            <form noValidate onSubmit={(event) => void submit(event)}>
              <TextInput
                id={NAME_ID}
                label={<strong>Their name</strong>}
                hint="As the organisation knows them. Residents who check a membership code at their door see this name."
                error={errors.find((e) => e.fieldId === NAME_ID)?.message}
                value={name}
                onChange={(event) => setName(event.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
              <RolesFields
                id={ROLES_ID}
                legend="Their roles"
                error={errors.find((e) => e.fieldId === `${ROLES_ID}-administrator`)?.message}
                value={roles}
                onChange={setRoles}
              />
              <button type="submit" className="govuk-button" disabled={invite.isPending} aria-disabled={invite.isPending}>
                {invite.isPending ? 'Creating the link…' : 'Create invitation link'}
              </button>
            </form>
          </div>
        </div>
      )}
    </section>
  );
}
