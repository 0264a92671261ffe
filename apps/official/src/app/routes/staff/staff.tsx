import type { StaffRoleName } from '@townhall/protocol';
import { errorFor, ErrorSummary, type FieldError, formatDateTime, LoadingMessage, ProblemBanner, TextInput } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { useInviteStaff, useStaffList } from '../../../features/staff/api/staff.ts';
import {
  DISPLAY_NAME_FIELD,
  ELECTION_FIELD,
  ROLE_FIELD,
  validateInvitation,
  type InvitationAnswers,
} from '../../../features/staff/lib/validate-invitation.ts';
import { appConfig } from '../../../config/app-config.ts';

const ROLES: { value: StaffRoleName; label: string; hint: string }[] = [
  { value: 'officer', label: 'Electoral registration officer', hint: 'Imports the roll and issues poll cards' },
  { value: 'admin', label: 'Administrator', hint: 'Invites staff, sees staff actions, and can do what officers do' },
  { value: 'trustee', label: 'Trustee', hint: 'Holds a share of one election’s decryption key' },
];

export function StaffRoute() {
  return (
    <RequireStaff roles={['admin']}>
      <Staff />
    </RequireStaff>
  );
}

function Staff() {
  const [answers, setAnswers] = useState<InvitationAnswers>({ role: null, displayName: '', electionId: '' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [copied, setCopied] = useState(false);
  const invite = useInviteStaff();
  const staff = useStaffList();

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateInvitation(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setCopied(false);
    invite.mutate(result.value, { onSuccess: () => setAnswers({ role: null, displayName: '', electionId: '' }) });
  }

  async function copyLink(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Without clipboard access the link stays selectable in the box above.
      setCopied(false);
    }
  }

  const allErrors = [...errors, ...(invite.isError ? [{ fieldId: null, message: invite.error.message }] : [])];
  const roleError = errorFor(allErrors, `${ROLE_FIELD}-officer`);
  return (
    <>
      <title>{`${allErrors.length ? 'Error: ' : ''}Staff – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={allErrors} />
      <h1 className="govuk-heading-l">Staff</h1>
      <p className="govuk-body">
        <Link to="/staff/actions" className="govuk-link">
          See what staff have done
        </Link>
      </p>

      {invite.data ? (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="invited-title">
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title" id="invited-title">
              Success
            </h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">Invitation created</p>
            <p className="govuk-body">
              Send this link to the person you invited, in a private message. It works once, until{' '}
              {formatDateTime(invite.data.expiresAt)}, and it is not shown again.
            </p>
            <TextInput id="invitation-link" label="Invitation link" value={invite.data.url} readOnly spellCheck={false} />
            <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={() => void copyLink(invite.data.url)}>
              Copy link
            </button>
            <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0" role="status">
              {copied ? 'The link is copied.' : ''}
            </p>
          </div>
        </div>
      ) : null}

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m">Invite a member of staff</h2>
          <form noValidate onSubmit={submit}>
            <div className={`govuk-form-group${roleError ? ' govuk-form-group--error' : ''}`}>
              <fieldset className="govuk-fieldset" aria-describedby={roleError ? `${ROLE_FIELD}-error` : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Role</legend>
                {roleError ? (
                  <p className="govuk-error-message" id={`${ROLE_FIELD}-error`}>
                    <span className="govuk-visually-hidden">Error:</span> {roleError}
                  </p>
                ) : null}
                <div className="govuk-radios">
                  {ROLES.map((role) => (
                    <div className="govuk-radios__item" key={role.value}>
                      <input
                        className="govuk-radios__input"
                        id={`${ROLE_FIELD}-${role.value}`}
                        name={ROLE_FIELD}
                        type="radio"
                        value={role.value}
                        checked={answers.role === role.value}
                        onChange={() => setAnswers({ ...answers, role: role.value })}
                        aria-describedby={`${ROLE_FIELD}-${role.value}-hint`}
                      />
                      <label className="govuk-label govuk-radios__label" htmlFor={`${ROLE_FIELD}-${role.value}`}>
                        {role.label}
                      </label>
                      <div className="govuk-hint govuk-radios__hint" id={`${ROLE_FIELD}-${role.value}-hint`}>
                        {role.hint}
                      </div>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            {answers.role === 'trustee' ? (
              <TextInput
                id={ELECTION_FIELD}
                label="Election"
                hint="The election’s identifier"
                error={errorFor(allErrors, ELECTION_FIELD)}
                value={answers.electionId}
                onChange={(event) => setAnswers({ ...answers, electionId: event.target.value })}
                width="20"
              />
            ) : null}
            <TextInput
              id={DISPLAY_NAME_FIELD}
              label="Their name"
              hint="Shown in the staff list and the record of staff actions"
              error={errorFor(allErrors, DISPLAY_NAME_FIELD)}
              value={answers.displayName}
              onChange={(event) => setAnswers({ ...answers, displayName: event.target.value })}
              autoComplete="off"
              width="20"
            />
            <button type="submit" className="govuk-button" disabled={invite.isPending} aria-disabled={invite.isPending}>
              Create invitation link
            </button>
          </form>
        </div>
      </div>

      <h2 className="govuk-heading-m">Staff members</h2>
      {staff.isPending ? <LoadingMessage>Loading staff…</LoadingMessage> : null}
      {staff.isError ? <ProblemBanner what="the staff list" error={staff.error} /> : null}
      {staff.data ? (
        <div className="th-table-scroll" role="region" tabIndex={0} aria-label="Staff members (scrolls sideways)">
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-visually-hidden">Staff members</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Name</th>
                <th scope="col" className="govuk-table__header">Roles</th>
                <th scope="col" className="govuk-table__header">Joined</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Active passkeys</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {staff.data.staff.map((member) => (
                <tr className="govuk-table__row" key={member.id}>
                  <th scope="row" className="govuk-table__header">{member.displayName}</th>
                  <td className="govuk-table__cell">{member.roles.map((role) => role.role + (role.electionId ? ` (${role.electionId})` : '')).join(', ')}</td>
                  <td className="govuk-table__cell">{formatDateTime(member.createdAt)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{member.activePasskeys}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
