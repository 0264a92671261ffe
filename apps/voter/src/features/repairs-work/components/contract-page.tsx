import type { ContractDetail, ContractPerformance, ContractVersion, ServiceLevel } from '@townhall/protocol';
import { ApiError, BarChart, ConfirmAction, formatDateTime, LoadingMessage, ProblemBanner, ReceiptLink, SuccessBanner } from '@townhall/web-ui';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { describeApprovalProblem, useApproveContract, useContractPerformance, useContracts } from '../api/repairs-work.ts';
import { PRIORITY_LABELS, pounds } from '../lib/work-words.ts';
import type { WorkOrganisation } from './work-queue.tsx';

export const contractPath = (organisationId: string, contractId: string) =>
  `/account/organisations/${encodeURIComponent(organisationId)}/contracts/${encodeURIComponent(contractId)}`;

const percent = (basisPoints: number) => `${(basisPoints / 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })}%`;
const levelWords = (level: ServiceLevel) => `${level.amount} ${level.unit === 'hours' ? (level.amount === 1 ? 'hour' : 'hours') : level.amount === 1 ? 'working day' : 'working days'}`;
const dayWords = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * `/account/organisations/:organisationId/contracts/:contractId`, for a party's administrators,
 * repairs and finance staff: how the contract is performing (jobs, the late-delivery window that
 * priced the latest job and the reduction it triggers, spend by association, with a chart and its
 * table), the terms in force, and the revisions with each party's approval; an administrator
 * approves a revision that waits for their organisation (asks first: approving is final).
 */
export function ContractPage({ organisation, contractId, isAdministrator }: { organisation: WorkOrganisation; contractId: string; isAdministrator: boolean }) {
  const contracts = useContracts(organisation.id);
  const contract = contracts.data?.contracts.find((c) => c.contractId === contractId);
  const performance = useContractPerformance(organisation.id, contractId, { enabled: contract?.agreedRevision != null });
  const approve = useApproveContract(organisation.id);
  const title = contract?.title ?? 'Contract not found';

  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <Link to={`/account/organisations/${encodeURIComponent(organisation.id)}/work`} className="govuk-back-link">
        Back to {organisation.side === 'association' ? 'repairs' : 'work orders'}
      </Link>
      {approve.isSuccess ? <SuccessBanner titleId="approved-title" heading={`${organisation.name} approved revision ${approve.variables.revision}.`} takesFocus /> : null}
      {approve.isError ? <ProblemBanner what="" headline="Sorry, the approval could not be recorded." error={approve.error} describe={describeApprovalProblem} /> : null}
      {contracts.isPending ? <LoadingMessage>Loading the contract…</LoadingMessage> : null}
      {contracts.isError ? (
        contracts.error instanceof ApiError && contracts.error.code === 'FORBIDDEN' ? (
          <p className="govuk-body">Only {organisation.name}’s administrators, repairs and finance staff can see its contracts.</p>
        ) : (
          <ProblemBanner what="the contract" error={contracts.error} />
        )
      ) : null}
      {contracts.isSuccess && !contract ? (
        <>
          <h1 className="govuk-heading-l">Contract not found</h1>
          <p className="govuk-body">{organisation.name} is not a party to a contract with this reference.</p>
        </>
      ) : null}
      {contract ? (
        <>
          <span className="govuk-caption-l">{organisation.name}</span>
          <h1 className="govuk-heading-l">{contract.title}</h1>
          {performance.isError ? <ProblemBanner what="how the contract is performing" error={performance.error} /> : null}
          {performance.data ? <Performance performance={performance.data} /> : null}
          {contract.agreedRevision === null ? (
            <p className="govuk-body">The contract is not agreed yet: it takes effect when every party has approved it.</p>
          ) : null}
          {/* The terms in force, and any revision waiting for approvals, so that an approver reads what they approve. */}
          {contract.versions
            .filter((v, i, all) => v.status === 'proposed' || v === all.filter((a) => a.status === 'agreed').at(-1))
            .map((version) => (
              <Terms key={version.revision} version={version} />
            ))}
          <Revisions
            contract={contract}
            organisation={organisation}
            canApprove={isAdministrator}
            isApproving={approve.isPending}
            onApprove={(version) => approve.mutate(version)}
          />
        </>
      ) : null}
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

function Performance({ performance }: { performance: ContractPerformance }) {
  const { jobs, lateDelivery } = performance;
  const nameOf = (id: string) => performance.parties.find((p) => p.organisationId === id)?.legalName ?? id;
  const share = lateDelivery && lateDelivery.jobsInWindow > 0 ? Math.round((10_000 * lateDelivery.lateJobsInWindow) / lateDelivery.jobsInWindow) : 0;
  return (
    <section aria-labelledby="performance-heading">
      <h2 className="govuk-heading-m" id="performance-heading">
        How it is performing
      </h2>
      <dl className="govuk-summary-list">
        <Row label="Jobs">
          {jobs.raised} reported: {jobs.confirmed} confirmed, {jobs.open} open ({jobs.completed} waiting to be checked)
        </Row>
        <Row label="Late">{jobs.raised === 0 ? 'No jobs yet' : `${jobs.late} completed after their deadline`}</Row>
        <Row label="Late-delivery rule">
          {lateDelivery ? (
            <>
              At the latest confirmation ({formatDateTime(lateDelivery.at)}), {lateDelivery.lateJobsInWindow} of the {lateDelivery.jobsInWindow} jobs confirmed from{' '}
              {formatDateTime(lateDelivery.windowFrom)} to {formatDateTime(lateDelivery.windowTo)} were late ({percent(share)}; on time: {percent(10_000 - share)}).
              <span className="govuk-!-display-block govuk-!-margin-top-2">
                {lateDelivery.priceReductionBasisPoints > 0 ? (
                  <strong>Prices fall by {percent(lateDelivery.priceReductionBasisPoints)} while this lasts.</strong>
                ) : lateDelivery.jobsInWindow < lateDelivery.minimumJobs ? (
                  `The rule applies from ${lateDelivery.minimumJobs} confirmed jobs in the window: no reduction.`
                ) : (
                  `Below the ${percent(lateDelivery.firstBandFromBasisPoints)} that triggers a reduction: none.`
                )}
              </span>
            </>
          ) : (
            'No job has been priced under a late-delivery rule yet.'
          )}
        </Row>
      </dl>
      <h3 className="govuk-heading-s">Spend by association</h3>
      {performance.byAssociation.length === 0 ? (
        <p className="govuk-body">No job has been confirmed yet.</p>
      ) : (
        <>
          <BarChart bars={performance.byAssociation.map((a) => ({ label: nameOf(a.organisationId), value: Number(a.associationPaysPence) }))} format={(pence) => pounds(pence)} />
          <table className="govuk-table th-stacked-table" role="table">
            <caption className="govuk-table__caption govuk-table__caption--s">Confirmed jobs and payments by association</caption>
            <thead className="govuk-table__head" role="rowgroup">
              <tr className="govuk-table__row" role="row">
                {['Association', 'Jobs', 'To the contractor', 'Host’s fees', 'Paid in all'].map((h) => (
                  <th key={h} scope="col" className="govuk-table__header" role="columnheader">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body" role="rowgroup">
              {performance.byAssociation.map((a) => (
                <tr className="govuk-table__row" role="row" key={a.organisationId}>
                  <th scope="row" className="govuk-table__header" role="rowheader">
                    {nameOf(a.organisationId)}
                  </th>
                  {[
                    ['Jobs', String(a.jobsConfirmed)],
                    ['To the contractor', pounds(a.contractorPaymentPence)],
                    ['Host’s fees', pounds(a.hostFeePence)],
                    ['Paid in all', pounds(a.associationPaysPence)],
                  ].map(([label, value]) => (
                    <td className="govuk-table__cell" role="cell" key={label}>
                      <span className="th-stacked-table__label" aria-hidden="true">
                        {label}
                      </span>
                      {value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Terms({ version }: { version: ContractDetail['versions'][number] }) {
  const { terms } = version;
  const headingId = `terms-${version.revision}-heading`;
  return (
    <section aria-labelledby={headingId}>
      <h2 className="govuk-heading-m" id={headingId}>
        Terms {version.status === 'agreed' ? 'in force' : 'proposed'} (revision {version.revision})
      </h2>
      <dl className="govuk-summary-list">
        <Row label="Runs">
          {dayWords(terms.startDate)} to {dayWords(terms.endDate)}
        </Row>
        <Row label="Deadlines">
          <ul className="govuk-list">
            {(['emergency', 'urgent', 'routine'] as const).map((p) => (
              <li key={p}>
                {PRIORITY_LABELS[p]}: {levelWords(terms.serviceLevels[p])}
              </li>
            ))}
          </ul>
        </Row>
        <Row label="Bulk discount">
          {terms.bulkDiscount ? (
            <ul className="govuk-list">
              {terms.bulkDiscount.tiers.map((tier) => (
                <li key={tier.fromJob}>
                  Jobs {tier.fromJob}
                  {tier.toJob === null ? ' on' : `–${tier.toJob}`}: {percent(tier.discountBasisPoints)} off
                </li>
              ))}
              <li className="govuk-hint">
                Counted {terms.bulkDiscount.scope === 'association' ? 'per association' : 'across the consortium'}, per {terms.bulkDiscount.period.replaceAll('-', ' ')}.
              </li>
            </ul>
          ) : (
            'None'
          )}
        </Row>
        <Row label="Late delivery">
          {terms.lateDelivery ? (
            <ul className="govuk-list">
              {terms.lateDelivery.bands.map((band) => (
                <li key={band.fromLateShareBasisPoints}>
                  {percent(band.fromLateShareBasisPoints)} or more late: prices fall by {percent(band.priceReductionBasisPoints)}
                </li>
              ))}
              <li className="govuk-hint">
                Over the last {terms.lateDelivery.windowMonths} months, from {terms.lateDelivery.minimumJobs} confirmed jobs.
              </li>
            </ul>
          ) : (
            'None'
          )}
        </Row>
        <Row label="Host’s fee">{pounds(terms.parties.host.feePerJobPence)} a job, paid by the other associations</Row>
      </dl>
      <table className="govuk-table th-stacked-table" role="table">
        <caption className="govuk-table__caption govuk-table__caption--s">Price list (revision {version.revision})</caption>
        <thead className="govuk-table__head" role="rowgroup">
          <tr className="govuk-table__row" role="row">
            {['Item', 'Price', 'Product or standard'].map((h) => (
              <th key={h} scope="col" className="govuk-table__header" role="columnheader">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body" role="rowgroup">
          {terms.catalogue.map((item) => (
            <tr className="govuk-table__row" role="row" key={item.code}>
              <th scope="row" className="govuk-table__header" role="rowheader">
                {item.description} <code className="th-code govuk-body-s">{item.code}</code>
              </th>
              <td className="govuk-table__cell" role="cell">
                <span className="th-stacked-table__label" aria-hidden="true">
                  Price
                </span>
                {pounds(item.unitPricePence)}
              </td>
              <td className="govuk-table__cell" role="cell">
                <span className="th-stacked-table__label" aria-hidden="true">
                  Product or standard
                </span>
                {item.specification}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface RevisionsProps {
  contract: ContractDetail;
  organisation: WorkOrganisation;
  canApprove: boolean;
  isApproving: boolean;
  onApprove: (version: ContractVersion) => void;
}

function Revisions({ contract, organisation, canApprove, isApproving, onApprove }: RevisionsProps) {
  return (
    <section aria-labelledby="revisions-heading">
      <h2 className="govuk-heading-m" id="revisions-heading">
        Revisions and approvals
      </h2>
      <ul className="govuk-list">
        {contract.versions.map((version) => {
          const approvedByUs = version.approvals.some((a) => a.organisationId === organisation.id);
          return (
            <li key={version.revision} className="govuk-!-margin-bottom-4">
              <strong>Revision {version.revision}</strong>: {version.status === 'agreed' ? 'agreed' : 'waiting for approvals'}, {version.approvals.length} of{' '}
              {contract.associationIds.length + 1} parties approved
              {version.effectiveAt ? `, in force from ${formatDateTime(version.effectiveAt)}` : ''}.
              {version.agreedIndex ? (
                <>
                  <br />
                  <ReceiptLink apiBasePath={appConfig.apiBasePath} log={contract.log} ledgerIndex={version.agreedIndex} context={`revision ${version.revision}`} />
                </>
              ) : null}
              {version.status === 'proposed' && !approvedByUs && canApprove ? (
                <div className="govuk-!-margin-top-2">
                  <ConfirmAction
                    label={`Approve revision ${version.revision}`}
                    question={`Approve revision ${version.revision} for ${organisation.name}?`}
                    consequences={
                      <>
                        <p className="govuk-body">
                          Check the terms above first. You sign your approval with your signing passkey for {organisation.name}: it is recorded under your
                          membership with that signature, so anyone can check it, and cannot be withdrawn. The revision takes effect once every party has approved
                          it.
                        </p>
                        <p className="govuk-body">
                          The first time, your browser asks for your passkey to confirm it is you, then makes your signing passkey (it signs approvals only),
                          then asks you to sign.
                        </p>
                      </>
                    }
                    confirmLabel="Yes, approve it with my passkey"
                    isWarning={false}
                    isPending={isApproving}
                    onConfirm={() => onApprove(version)}
                  />
                </div>
              ) : null}
              {version.status === 'proposed' && !approvedByUs && !canApprove ? (
                <p className="govuk-body govuk-!-margin-top-2">It waits for {organisation.name}’s administrators to approve it.</p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
