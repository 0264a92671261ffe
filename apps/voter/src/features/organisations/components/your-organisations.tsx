import { ADMINISTRATOR_ROLE, FINANCE_ROLE, REPAIRS_ROLE, type MembershipCode, type MyOrganisation } from '@townhall/protocol';
import {
  formatDateTime,
  LoadingMessage,
  ORGANISATION_STATUS_TAGS,
  organisationKindWords,
  ProblemBanner,
  ReceiptLink,
  rolesInWords,
} from '@townhall/web-ui';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useMembershipCode, useMyOrganisations } from '../api/organisations.ts';
import { publicPagePath } from '../lib/organisation-paths.ts';

/**
 * "Your organisations" on the account page: each organisation the signed-in person belongs to, their
 * roles and the entry that records them; a membership code to show at someone's door; and, for its
 * administrators, the way to its members.
 */
export function YourOrganisations({ headingLevel = 2 }: { headingLevel?: 1 | 2 }) {
  const organisations = useMyOrganisations();
  const code = useMembershipCode();
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section aria-labelledby="organisations-heading">
      <Heading className={headingLevel === 1 ? 'govuk-heading-l' : 'govuk-heading-m'} id="organisations-heading">
        Your organisations
      </Heading>
      {organisations.isPending ? <LoadingMessage>Loading your organisations…</LoadingMessage> : null}
      {organisations.isError ? <ProblemBanner what="your organisations" error={organisations.error} /> : null}
      {organisations.data?.organisations.length === 0 ? (
        <p className="govuk-body">
          You are not a member of any organisation. An organisation’s administrator can invite you with a link.
        </p>
      ) : null}
      {organisations.data && organisations.data.organisations.length > 0 ? (
        <p className="govuk-body">
          The businesses, contractors and other organisations you act for. Each membership is recorded in the council’s public ledger
          under a pseudonym for that organisation, never your name.
        </p>
      ) : null}
      {organisations.data?.organisations.map((membership) => (
        <OrganisationCard
          key={membership.organisation.id}
          membership={membership}
          shownCode={code.isSuccess && code.variables === membership.organisation.id ? code.data : null}
          codeError={code.isError && code.variables === membership.organisation.id ? code.error : null}
          isMakingCode={code.isPending && code.variables === membership.organisation.id}
          onShowCode={() => code.mutate(membership.organisation.id)}
        />
      ))}
    </section>
  );
}

interface OrganisationCardProps {
  membership: MyOrganisation;
  shownCode: MembershipCode | null;
  codeError: Error | null;
  isMakingCode: boolean;
  onShowCode: () => void;
}

function OrganisationCard({ membership, shownCode, codeError, isMakingCode, onShowCode }: OrganisationCardProps) {
  const { organisation, roles } = membership;
  const titleId = `organisation-${organisation.id}`;
  const tag = ORGANISATION_STATUS_TAGS[organisation.status];
  const isActive = organisation.status === 'active';
  const isAdministrator = roles.includes(ADMINISTRATOR_ROLE);
  // Repairs contracts: an association's repairs and a contractor's work orders, for its administrators, repairs and finance staff.
  const repairsWork = { 'housing-association': 'Repairs', contractor: 'Work orders' }[organisation.kind as string];
  const hasRepairsWork = repairsWork !== undefined && roles.some((r) => r === ADMINISTRATOR_ROLE || r === REPAIRS_ROLE || r === FINANCE_ROLE);
  return (
    <section className="govuk-summary-card" aria-labelledby={titleId}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title" id={titleId}>
          {organisation.legalName}
        </h3>
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Kind</dt>
            <dd className="govuk-summary-list__value">{organisationKindWords(organisation.kind)}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Status</dt>
            <dd className="govuk-summary-list__value">
              <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
              {isActive ? null : (
                <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                  You cannot act for it until the council reinstates it.
                </p>
              )}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">{roles.length === 1 ? 'Your role' : 'Your roles'}</dt>
            <dd className="govuk-summary-list__value">{rolesInWords(roles)}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Ledger record</dt>
            <dd className="govuk-summary-list__value">
              <ReceiptLink
                apiBasePath={appConfig.apiBasePath}
                ledgerIndex={membership.grantedIndex}
                context={`your membership of ${organisation.legalName}`}
              />
            </dd>
          </div>
          {membership.signingPasskeys?.length ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">{membership.signingPasskeys.length === 1 ? 'Your signing passkey' : 'Your signing passkeys'}</dt>
              <dd className="govuk-summary-list__value">
                <p className="govuk-body">Your approvals for {organisation.legalName} are signed with it; the public ledger binds it to your membership.</p>
                <ul className="govuk-list">
                  {membership.signingPasskeys.map((passkey) => (
                    <li key={passkey.credentialIdHash}>
                      Made {formatDateTime(passkey.boundAt)}:{' '}
                      <ReceiptLink apiBasePath={appConfig.apiBasePath} ledgerIndex={passkey.boundIndex} context={`your signing passkey for ${organisation.legalName}`} />
                    </li>
                  ))}
                </ul>
                <p className="govuk-body-s govuk-!-margin-bottom-0">If one is listed here that you did not make, tell the council.</p>
              </dd>
            </div>
          ) : null}
        </dl>
        {isActive ? (
          <>
            <h4 className="govuk-heading-s govuk-!-margin-top-6">Prove you are a member</h4>
            <p className="govuk-body">
              At someone’s door, show them a membership code. They type it in on{' '}
              <Link className="govuk-link" to={publicPagePath(organisation.id)}>
                {organisation.legalName}’s public page
              </Link>{' '}
              to see your name and roles. A code works for 10 minutes.
            </p>
            {codeError ? <ProblemBanner what="" headline="Sorry, we could not make a membership code." error={codeError} /> : null}
            {shownCode ? (
              <div className="govuk-inset-text" role="status">
                <p className="govuk-body govuk-!-margin-bottom-1">Your membership code</p>
                <p className="govuk-heading-l th-code govuk-!-margin-bottom-1">{shownCode.code}</p>
                <p className="govuk-body govuk-!-margin-bottom-0">It works until {formatDateTime(shownCode.expiresAt)}.</p>
              </div>
            ) : null}
            <div className="govuk-button-group">
              <button
                type="button"
                className="govuk-button govuk-button--secondary"
                onClick={onShowCode}
                disabled={isMakingCode}
                aria-disabled={isMakingCode}
              >
                {isMakingCode ? 'Making a code…' : shownCode ? 'Show a new code' : 'Show a membership code'}
                <span className="govuk-visually-hidden"> for {organisation.legalName}</span>
              </button>
              {hasRepairsWork ? (
                <Link className="govuk-link" to={`/account/organisations/${encodeURIComponent(organisation.id)}/work`}>
                  {repairsWork}
                  <span className="govuk-visually-hidden"> of {organisation.legalName}</span>
                </Link>
              ) : null}
              {isAdministrator ? (
                <Link className="govuk-link" to={`/account/organisations/${encodeURIComponent(organisation.id)}`}>
                  Manage members
                  <span className="govuk-visually-hidden"> of {organisation.legalName}</span>
                </Link>
              ) : null}
            </div>
          </>
        ) : null}
      </div>
    </section>
  );
}
