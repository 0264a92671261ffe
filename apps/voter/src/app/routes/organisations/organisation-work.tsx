import { ADMINISTRATOR_ROLE, FINANCE_ROLE, type MyOrganisation } from '@townhall/protocol';
import { LoadingMessage, ProblemBanner } from '@townhall/web-ui';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useMyOrganisations } from '../../../features/organisations/api/organisations.ts';
import { ContractPage } from '../../../features/repairs-work/components/contract-page.tsx';
import { ContractorWebhookPage } from '../../../features/repairs-work/components/contractor-webhook.tsx';
import { PaymentRuns } from '../../../features/repairs-work/components/payment-runs.tsx';
import { WorkItem } from '../../../features/repairs-work/components/work-item.tsx';
import { WorkQueue, type WorkOrganisation } from '../../../features/repairs-work/components/work-queue.tsx';
import { RequireSignedIn } from './organisations.tsx';

/** Which side of a repairs contract an organisation is on, by its kind; other kinds have no repairs work. */
const sideOf = (membership: MyOrganisation): WorkOrganisation['side'] | null =>
  membership.organisation.kind === 'housing-association' ? 'association' : membership.organisation.kind === 'contractor' ? 'contractor' : null;

/** The signed-in person's membership of the organisation in the path, and what they may do there. */
function WithMembership({ children }: { children: (organisation: WorkOrganisation, membership: MyOrganisation) => ReactNode }) {
  const { organisationId = '' } = useParams();
  const mine = useMyOrganisations();
  if (mine.isPending) return <LoadingMessage>Loading…</LoadingMessage>;
  if (mine.isError) return <ProblemBanner what="your organisations" error={mine.error} />;
  const membership = mine.data.organisations.find((m) => m.organisation.id === organisationId);
  const side = membership ? sideOf(membership) : null;
  if (!membership || !side) {
    return (
      <>
        <h1 className="govuk-heading-l">No repairs work here</h1>
        <p className="govuk-body">
          You are not a member of a housing association or contractor with this address. Your{' '}
          <Link className="govuk-link" to="/account">
            account
          </Link>{' '}
          lists the organisations you belong to.
        </p>
      </>
    );
  }
  return <>{children({ id: organisationId, name: membership.organisation.legalName, side }, membership)}</>;
}

const canRunPayments = (membership: MyOrganisation) => membership.roles.some((r) => r === ADMINISTRATOR_ROLE || r === FINANCE_ROLE);

/** `/account/organisations/:organisationId/work`: the association's repairs or the contractor's work orders. */
export function OrganisationWorkRoute() {
  const { organisationId = '' } = useParams();
  return (
    <RequireSignedIn from={`/account/organisations/${organisationId}/work`}>
      <WithMembership>
        {(organisation, membership) => (
          <WorkQueue organisation={organisation} canRunPayments={canRunPayments(membership)} isAdministrator={membership.roles.includes(ADMINISTRATOR_ROLE)} />
        )}
      </WithMembership>
    </RequireSignedIn>
  );
}

/** `/account/organisations/:organisationId/work/:orderId`: one order and its next step. */
export function OrganisationWorkItemRoute() {
  const { organisationId = '', orderId = '' } = useParams();
  return (
    <RequireSignedIn from={`/account/organisations/${organisationId}/work/${orderId}`}>
      <WithMembership>{(organisation) => <WorkItem organisation={organisation} orderId={orderId} />}</WithMembership>
    </RequireSignedIn>
  );
}

/** `/account/organisations/:organisationId/payment-runs`: an association's payment runs. */
export function PaymentRunsRoute() {
  const { organisationId = '' } = useParams();
  return (
    <RequireSignedIn from={`/account/organisations/${organisationId}/payment-runs`}>
      <WithMembership>{(organisation) => <PaymentRuns organisation={organisation} />}</WithMembership>
    </RequireSignedIn>
  );
}

/** `/account/organisations/:organisationId/contracts/:contractId`: a contract's performance, terms and approvals. */
export function OrganisationContractRoute() {
  const { organisationId = '', contractId = '' } = useParams();
  return (
    <RequireSignedIn from={`/account/organisations/${organisationId}/contracts/${contractId}`}>
      <WithMembership>
        {(organisation, membership) => (
          <ContractPage organisation={organisation} contractId={contractId} isAdministrator={membership.roles.includes(ADMINISTRATOR_ROLE)} />
        )}
      </WithMembership>
    </RequireSignedIn>
  );
}

/** `/account/organisations/:organisationId/webhook`: a contractor's webhook, for its administrators. */
export function ContractorWebhookRoute() {
  const { organisationId = '' } = useParams();
  return (
    <RequireSignedIn from={`/account/organisations/${organisationId}/webhook`}>
      <WithMembership>
        {(organisation) =>
          organisation.side === 'contractor' ? (
            <ContractorWebhookPage organisation={organisation} />
          ) : (
            <>
              <h1 className="govuk-heading-l">No webhook here</h1>
              <p className="govuk-body">Only a contractor has a webhook: it sends the contractor’s new work orders to its own system.</p>
            </>
          )
        }
      </WithMembership>
    </RequireSignedIn>
  );
}
