import { ApiError, ConfirmPanel, formatDateTime, LoadingMessage, ProblemBanner, ReceiptLink, SuccessBanner } from '@townhall/web-ui';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { paymentRunFileHref, useContracts, useDownloadBankFile, useMakePaymentRun, usePaymentRuns, useWorkList } from '../api/repairs-work.ts';
import { pounds } from '../lib/work-words.ts';
import type { WorkOrganisation } from './work-queue.tsx';

/**
 * `/account/organisations/:organisationId/payment-runs`, for an association's administrators and
 * finance staff: what is due under each contract, a run that gathers it (asks first: a run is
 * final), and every run with its ledger entry, its bank file (ISO 20022 pain.001, fetched so that a
 * missing bank account is said in words) and its list as CSV.
 */
export function PaymentRuns({ organisation }: { organisation: WorkOrganisation }) {
  const runs = usePaymentRuns(organisation.id);
  const contracts = useContracts(organisation.id);
  const repairs = useWorkList(organisation.id, 'association');
  const makeRun = useMakePaymentRun(organisation.id);
  const bankFile = useDownloadBankFile(organisation.id);
  const [asking, setAsking] = useState<string | null>(null);
  const title = `Payment runs for ${organisation.name}`;
  const isRefused = runs.error instanceof ApiError && ['FORBIDDEN', 'ORGANISATION_NOT_ACTIVE'].includes(runs.error.code);
  const unpaid = (contractId: string) =>
    (repairs.data?.repairs ?? []).filter((r) => r.contractId === contractId && r.payment !== null && r.payment.paymentRunId === null && r.payment.association === organisation.id);
  const agreed = (contracts.data?.contracts ?? []).filter((c) => c.agreedRevision !== null && c.associationIds.includes(organisation.id));

  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <Link to={`/account/organisations/${encodeURIComponent(organisation.id)}/work`} className="govuk-back-link">
        Back to repairs
      </Link>
      {makeRun.isSuccess ? (
        <SuccessBanner titleId="run-made-title" heading={`Payment run made: ${makeRun.data.payments.length} ${makeRun.data.payments.length === 1 ? 'payment' : 'payments'}, ${pounds(makeRun.data.totalPence)} in all.`} takesFocus>
          <p className="govuk-body">Send its bank file to your bank once: it pays these jobs.</p>
          <button
            type="button"
            className="govuk-button govuk-!-margin-bottom-3"
            onClick={() => bankFile.mutate(makeRun.data.runId)}
            disabled={bankFile.isPending}
            aria-disabled={bankFile.isPending}
          >
            Download the bank file (ISO 20022 pain.001)
          </button>
          <p className="govuk-body">
            <a className="govuk-notification-banner__link" href={paymentRunFileHref(appConfig.apiBasePath, organisation.id, makeRun.data.runId)} download>
              Download the list of payments (CSV)
            </a>
          </p>
        </SuccessBanner>
      ) : null}
      {bankFile.isError ? (
        <BankFileProblem
          key={bankFile.submittedAt}
          error={bankFile.error}
          organisation={organisation}
          runMade={runs.data?.runs.find((r) => r.runId === bankFile.variables)?.createdAt ?? null}
        />
      ) : null}
      {makeRun.isError ? (
        <ProblemBanner
          what=""
          headline={makeRun.error instanceof ApiError && makeRun.error.code === 'NOTHING_TO_PAY' ? 'There is nothing to pay under that contract.' : 'Sorry, the payment run could not be made.'}
          error={makeRun.error}
        />
      ) : null}
      <h1 className="govuk-heading-l">{title}</h1>
      <p className="govuk-body">
        A payment run gathers the confirmed jobs that no run has paid yet, under one contract, into a file for your bank (ISO 20022 pain.001): one payment per
        payee per job, from your association’s bank account to theirs. Each run is recorded in the contract’s ledger, so a job is never paid twice and every
        party can check the sums.
      </p>
      {isRefused ? (
        <p className="govuk-body">Only {organisation.name}’s administrators and finance staff can make payment runs.</p>
      ) : runs.isError ? (
        <ProblemBanner what="the payment runs" error={runs.error} />
      ) : null}
      {contracts.isPending || repairs.isPending ? <LoadingMessage>Loading what is due…</LoadingMessage> : null}
      {contracts.isSuccess && repairs.isSuccess && !isRefused ? (
        <>
          <h2 className="govuk-heading-m">Due now</h2>
          {agreed.length === 0 ? <p className="govuk-body">{organisation.name} has no agreed repairs contract.</p> : null}
          {agreed.map((contract) => {
            const due = unpaid(contract.contractId);
            const total = due.reduce((sum, r) => sum + BigInt(r.payment!.associationPaysPence), 0n);
            return (
              <div key={contract.contractId} className="govuk-!-margin-bottom-6">
                <h3 className="govuk-heading-s">{contract.title}</h3>
                <p className="govuk-body">
                  {due.length === 0 ? 'No confirmed job is waiting to be paid.' : `${due.length} confirmed ${due.length === 1 ? 'job' : 'jobs'} to pay, ${pounds(total)} in all.`}
                </p>
                {asking === contract.contractId ? (
                  <ConfirmPanel
                    question={`Make a payment run for ${contract.title}?`}
                    consequences={
                      <p className="govuk-body">
                        {due.length} {due.length === 1 ? 'job' : 'jobs'} ({pounds(total)}) will be marked as paid by this run, which is recorded in the contract’s ledger. You
                        then send the file to your bank. A run cannot be undone.
                      </p>
                    }
                    confirmLabel="Yes, make the payment run"
                    isWarning={false}
                    isPending={makeRun.isPending}
                    onConfirm={() => {
                      setAsking(null);
                      bankFile.reset();
                      makeRun.mutate(contract.contractId);
                    }}
                    onCancel={() => setAsking(null)}
                  />
                ) : due.length > 0 ? (
                  <button type="button" className="govuk-button" onClick={() => setAsking(contract.contractId)} disabled={makeRun.isPending} aria-disabled={makeRun.isPending}>
                    Make a payment run<span className="govuk-visually-hidden"> for {contract.title}</span>
                  </button>
                ) : null}
              </div>
            );
          })}
        </>
      ) : null}
      <h2 className="govuk-heading-m">Earlier runs</h2>
      {runs.isPending ? <LoadingMessage>Loading the payment runs…</LoadingMessage> : null}
      {runs.isSuccess && runs.data.runs.length === 0 ? <p className="govuk-body">No payment runs yet.</p> : null}
      {runs.isSuccess && runs.data.runs.length > 0 ? (
        <table className="govuk-table th-stacked-table" role="table">
          <caption className="govuk-table__caption govuk-visually-hidden">Earlier payment runs</caption>
          <thead className="govuk-table__head" role="rowgroup">
            <tr className="govuk-table__row" role="row">
              <th scope="col" className="govuk-table__header" role="columnheader">
                Made
              </th>
              <th scope="col" className="govuk-table__header" role="columnheader">
                Payments
              </th>
              <th scope="col" className="govuk-table__header" role="columnheader">
                Total
              </th>
              <th scope="col" className="govuk-table__header" role="columnheader">
                Record
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body" role="rowgroup">
            {runs.data.runs.map((run) => (
              <tr className="govuk-table__row" role="row" key={run.runId}>
                <th scope="row" className="govuk-table__header" role="rowheader">
                  {formatDateTime(run.createdAt)}
                </th>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">
                    Payments
                  </span>
                  {run.payments.length}
                </td>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">
                    Total
                  </span>
                  {pounds(run.totalPence)}
                </td>
                <td className="govuk-table__cell" role="cell">
                  <span className="th-stacked-table__label" aria-hidden="true">
                    Record
                  </span>
                  <button
                    type="button"
                    className="govuk-button govuk-button--secondary govuk-!-margin-bottom-2"
                    onClick={() => bankFile.mutate(run.runId)}
                    disabled={bankFile.isPending}
                    aria-disabled={bankFile.isPending}
                  >
                    Bank file (ISO 20022 pain.001)<span className="govuk-visually-hidden"> of the run made {formatDateTime(run.createdAt)}</span>
                  </button>
                  {run.bankFileMadeAt ? (
                    <span className="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-2">
                      File made {formatDateTime(run.bankFileMadeAt)}; every download is this same file.
                    </span>
                  ) : (
                    <br />
                  )}
                  <a className="govuk-link" href={paymentRunFileHref(appConfig.apiBasePath, organisation.id, run.runId)} download>
                    List of payments (CSV)<span className="govuk-visually-hidden"> of the run made {formatDateTime(run.createdAt)}</span>
                  </a>
                  <br />
                  <ReceiptLink apiBasePath={appConfig.apiBasePath} log={`contract-${run.contractId}`} ledgerIndex={run.ledgerIndex} context={`the run made ${formatDateTime(run.createdAt)}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/**
 * Why a run's bank file could not be downloaded, in words: for a missing bank account, whose it is
 * and who adds it where (the server names each organisation in `issues`); otherwise the error.
 */
function BankFileProblem({ error, organisation, runMade }: { error: unknown; organisation: WorkOrganisation; runMade: string | null }) {
  const banner = useRef<HTMLDivElement>(null);
  useEffect(() => banner.current?.focus(), []);
  const which = runMade ? `the run made ${formatDateTime(runMade)}` : 'this run';
  if (!(error instanceof ApiError) || error.code !== 'BANK_ACCOUNT_MISSING') {
    return <ProblemBanner what="" headline={`Sorry, the bank file of ${which} could not be downloaded.`} error={error} />;
  }
  const ownPath = `organisations.${organisation.id}`;
  return (
    <div className="govuk-notification-banner" role="alert" aria-labelledby="bank-file-problem-title" tabIndex={-1} ref={banner}>
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="bank-file-problem-title">
          There is a problem
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">The bank file of {which} cannot be made yet: a bank account is missing.</p>
        <ul className="govuk-list govuk-list--bullet">
          {error.issues.map((issue) =>
            issue.path === ownPath ? (
              <li key={issue.path}>
                {organisation.name} has no bank account for payments recorded. An administrator of {organisation.name} adds it under “Bank account for payments” on{' '}
                <Link className="govuk-notification-banner__link" to={`/account/organisations/${encodeURIComponent(organisation.id)}`}>
                  {organisation.name}’s page
                </Link>
                .
              </li>
            ) : (
              <li key={issue.path}>{issue.message}. Ask them to add it: an administrator of theirs does it on their organisation’s page in Townhall.</li>
            ),
          )}
        </ul>
        <p className="govuk-body">Then download the bank file again. The run is recorded and its payments stay in it: do not make another run.</p>
      </div>
    </div>
  );
}
