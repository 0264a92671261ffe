import type { Attestation } from '@townhall/protocol';
import { ApiError, describePasskeyProblem, ErrorSummary, formatDateTime, LoadingMessage, ProblemBanner, useCouncil } from '@townhall/web-ui';
import { Link, Navigate } from 'react-router';
import { useAccount, useConfirmForNewPasskey, useCreatePasskey } from '../../features/account/api/account.ts';
import { checkAttestation } from '../../features/account/lib/check-attestation.ts';
import { AppointmentsSection } from '../../features/appointments/components/appointments-section.tsx';
import { YourOrganisations } from '../../features/organisations/components/your-organisations.tsx';
import { useSession } from '../../features/session/api/session.ts';
import { ServicesSignedInTo } from '../../features/townhall-id/components/service-access-list.tsx';
import { appConfig } from '../../config/app-config.ts';

const ADD_PASSKEY_BUTTON_ID = 'add-passkey';
const CREATE_PASSKEY_BUTTON_ID = 'create-passkey';

const ENTRY_DESCRIPTIONS: Record<Attestation['type'], string> = {
  RollCommitted: 'Your entry is on the electoral roll the council published',
  Enrolled: 'A passkey was set up for your entry',
  PasskeyRevoked: 'A passkey stopped working (revoked)',
  ServiceRegistered: 'A council service was registered to use Townhall ID',
  ConsentGiven: 'You agreed to share details with a council service',
  ConsentWithdrawn: 'You withdrew a council service’s access',
  ClaimsReleased: 'A council service received the details you agreed to share',
};

export function AccountRoute() {
  const session = useSession();
  if (session.data?.principal.kind === 'person') return <PersonAccount displayName={session.data.principal.displayName} />;
  return <ResidentAccount />;
}

/**
 * The account of someone who joined an organisation by its invitation and is not a resident here
 * (docs/organisations.md §1): their organisations, and nothing from the roll.
 */
function PersonAccount({ displayName }: { displayName: string }) {
  return (
    <>
      <title>{`Your account – ${appConfig.serviceName}`}</title>
      <span className="govuk-caption-l">{displayName}</span>
      <YourOrganisations headingLevel={1} />
      <p className="govuk-body">
        <Link to="/sign-out" className="govuk-link">
          Sign out
        </Link>
      </p>
    </>
  );
}

function ResidentAccount() {
  const account = useAccount();
  const council = useCouncil();
  const confirm = useConfirmForNewPasskey();
  const create = useCreatePasskey();

  if (account.error instanceof ApiError && account.error.code === 'UNAUTHENTICATED') {
    return <Navigate to="/sign-in" replace state={{ from: '/account' }} />;
  }
  const districtName = council.data?.districts.find((district) => district.code === account.data?.districtCode)?.name;
  const addErrors = confirm.isError
    ? [{ fieldId: ADD_PASSKEY_BUTTON_ID, message: describePasskeyProblem(confirm.error, 'sign-in') }]
    : create.isError
      ? [{ fieldId: CREATE_PASSKEY_BUTTON_ID, message: describePasskeyProblem(create.error, 'create') }]
      : [];
  const isConfirmed = confirm.isSuccess && !create.isSuccess;

  return (
    <>
      <title>{`${addErrors.length ? 'Error: ' : ''}Your account – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={addErrors} />
      <h1 className="govuk-heading-l">Your account</h1>
      {account.isPending ? <LoadingMessage>Loading your account…</LoadingMessage> : null}
      {account.isError ? (
        account.error instanceof ApiError && account.error.code === 'FORBIDDEN' ? (
          <p className="govuk-body">You are signed in as a member of staff. This page is for residents.</p>
        ) : (
          <ProblemBanner what="your account" error={account.error} />
        )
      ) : null}
      {account.data ? (
        <>
          <SuspendedPasskeysNotice passkeys={account.data.passkeys} />
          <dl className="govuk-summary-list">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Name</dt>
              <dd className="govuk-summary-list__value">{account.data.givenName}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Ward</dt>
              <dd className="govuk-summary-list__value">{districtName ?? account.data.districtCode}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Your pseudonym</dt>
              <dd className="govuk-summary-list__value">
                <code className="th-code">{account.data.pseudonym}</code>
                <p className="govuk-hint govuk-!-margin-bottom-0">How the public ledger names you, instead of your name.</p>
              </dd>
            </div>
          </dl>

          <h2 className="govuk-heading-m">Your passkeys</h2>
          {/* On a phone each passkey's row is stacked, every value under its column's name (th-stacked-table);
              the explicit roles keep it a table for screen readers when its display changes. */}
          <table className="govuk-table th-stacked-table" role="table">
            <caption className="govuk-table__caption govuk-visually-hidden">Your passkeys</caption>
            <thead className="govuk-table__head" role="rowgroup">
              <tr className="govuk-table__row" role="row">
                <th scope="col" className="govuk-table__header" role="columnheader">Passkey</th>
                <th scope="col" className="govuk-table__header" role="columnheader">Created</th>
                <th scope="col" className="govuk-table__header" role="columnheader">Last used</th>
                <th scope="col" className="govuk-table__header" role="columnheader">Status</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body" role="rowgroup">
              {account.data.passkeys.map((passkey, position) => (
                <tr className="govuk-table__row" key={passkey.id} role="row">
                  <th scope="row" className="govuk-table__header" role="rowheader">
                    Passkey {position + 1}
                    <span className="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                      <code className="th-code">{passkey.credentialIdHash.slice(0, 12)}</code>
                    </span>
                  </th>
                  <td className="govuk-table__cell" role="cell">
                    <span className="th-stacked-table__label" aria-hidden="true">Created</span>
                    {formatDateTime(passkey.createdAt)}
                  </td>
                  <td className="govuk-table__cell" role="cell">
                    <span className="th-stacked-table__label" aria-hidden="true">Last used</span>
                    {passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt) : 'Not used yet'}
                  </td>
                  <td className="govuk-table__cell" role="cell">
                    <span className="th-stacked-table__label" aria-hidden="true">Status</span>
                    <PasskeyStatusTag status={passkey.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="govuk-heading-s">Add a passkey on another device</h3>
          <p className="govuk-body">
            Add a passkey on your phone or another computer, so that you can still sign in if you lose this device.
            When your browser asks where to save it, choose the other device (you may need to scan a code with your
            phone).
          </p>
          {isConfirmed ? (
            <>
              <p className="govuk-body">Thank you: that was you. Now create the new passkey on the other device.</p>
              <button
                type="button"
                id={CREATE_PASSKEY_BUTTON_ID}
                className="govuk-button"
                onClick={() => create.mutate(confirm.data)}
                disabled={create.isPending}
                aria-disabled={create.isPending}
              >
                {create.isPending ? 'Waiting for your new passkey…' : 'Create the new passkey'}
              </button>
            </>
          ) : (
            <>
              <p className="govuk-body">First confirm it is you with a passkey you already have.</p>
              <button
                type="button"
                id={ADD_PASSKEY_BUTTON_ID}
                className="govuk-button govuk-button--secondary"
                onClick={() => {
                  create.reset();
                  confirm.mutate();
                }}
                disabled={confirm.isPending}
                aria-disabled={confirm.isPending}
              >
                {confirm.isPending ? 'Waiting for your passkey…' : 'Add a passkey on another device'}
              </button>
            </>
          )}
          {create.isSuccess ? (
            <div className="govuk-inset-text" role="status">
              Your new passkey was added.
            </div>
          ) : null}

          <ServicesSignedInTo />

          <YourOrganisations />

          <AppointmentsSection />

          <h2 className="govuk-heading-m">What the public ledger records about you</h2>
          <p className="govuk-body">
            The council records these entries in its public ledger under your pseudonym. Your browser checked each
            entry’s inclusion proof: the proof shows the entry is in the ledger and cannot be removed or changed
            without it being noticed.
          </p>
          {account.data.attestations.length === 0 ? <p className="govuk-body">There are no entries yet.</p> : null}
          {account.data.attestations.map((attestation) => (
            <AttestationCard key={`${attestation.logId}:${attestation.index}`} attestation={attestation} />
          ))}

          <p className="govuk-body">
            <Link to="/sign-out" className="govuk-link">
              Sign out
            </Link>
          </p>
        </>
      ) : null}
    </>
  );
}

/** A passkey suspended as a possible copy: say what happened and what to do (decision 0004). */
function SuspendedPasskeysNotice({ passkeys }: { passkeys: readonly { id: string; suspendedAt: string | null }[] }) {
  const suspended = passkeys.filter((p) => p.suspendedAt !== null);
  if (suspended.length === 0) return null;
  const last = suspended.map((p) => p.suspendedAt!).sort().at(-1)!;
  return (
    <div className="govuk-notification-banner" role="region" aria-labelledby="suspended-title" data-module="govuk-notification-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="suspended-title">
          Important
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">
          {suspended.length === 1 ? 'One of your passkeys was suspended' : `${suspended.length} of your passkeys were suspended`} on {formatDateTime(last)}.
        </p>
        <p className="govuk-body">
          It looked as if the passkey had been copied, so we stopped it working and signed you out on every device. If you did not
          expect this, someone else may have a copy of it: contact the council and ask for a new poll card, which stops every old passkey.
        </p>
      </div>
    </div>
  );
}

function PasskeyStatusTag({ status }: { status: 'active' | 'revoked' | 'suspended' }) {
  if (status === 'active') return <strong className="govuk-tag govuk-tag--green">Active</strong>;
  if (status === 'revoked') return <strong className="govuk-tag govuk-tag--grey">Revoked</strong>;
  return <strong className="govuk-tag govuk-tag--red">Suspended</strong>;
}

function AttestationCard({ attestation }: { attestation: Attestation }) {
  const check = checkAttestation(attestation);
  const titleId = `attestation-${attestation.logId}-${attestation.index}`;
  return (
    <section className="govuk-summary-card" aria-labelledby={titleId}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title" id={titleId}>
          {attestation.type} (entry {attestation.index})
        </h3>
      </div>
      <div className="govuk-summary-card__content">
        <p className="govuk-body">{ENTRY_DESCRIPTIONS[attestation.type]}.</p>
        <dl className="govuk-summary-list">
          <Row label="Log">{attestation.logId}</Row>
          <Row label="Entry index">{attestation.index}</Row>
          <Row label="Leaf hash">
            <code className="th-code">{attestation.leafHash}</code>
          </Row>
          <Row label="Inclusion proof">
            {check.status === 'verified' ? (
              <>
                <strong className="govuk-tag govuk-tag--green">Verified</strong> in a tree of {check.treeSize} entries with
                root <code className="th-code">{check.rootHash}</code> ({attestation.inclusionProof?.hashes.length ?? 0} proof
                hashes)
              </>
            ) : check.status === 'pending' ? (
              <>
                <strong className="govuk-tag govuk-tag--yellow">Waiting</strong> for the next checkpoint of the ledger
              </>
            ) : (
              <>
                <strong className="govuk-tag govuk-tag--red">Failed</strong> {check.reason}
              </>
            )}
          </Row>
        </dl>
        <details className="govuk-details govuk-!-margin-bottom-0">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">The entry as recorded</span>
          </summary>
          <div className="govuk-details__text">
            <pre className="th-pre">{JSON.stringify(attestation.body, null, 2)}</pre>
            {attestation.checkpoint ? (
              <>
                <p className="govuk-body-s govuk-!-margin-bottom-1">Checkpoint the proof is against:</p>
                <pre className="th-pre">{attestation.checkpoint}</pre>
              </>
            ) : null}
          </div>
        </details>
      </div>
    </section>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}
