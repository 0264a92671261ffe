import { ErrorSummary } from '@townhall/web-ui';
import { useEffect, useMemo } from 'react';
import { Link } from 'react-router';
import { CheckTaskList, OverallProgress } from '../../features/verification/components/check-task-list.tsx';
import { PaymentRunsTable, PaymentsTable } from '../../features/verification/components/contract-statement.tsx';
import { ChecksTable, FailureExplanations, ResultCharts, reportFileText, TurnoutChart, VerdictSummary } from '../../features/verification/components/results.tsx';
import { useSessionState, useVerification } from '../../features/verification/components/verification-provider.tsx';
import type { SessionState } from '../../features/verification/lib/verification-session.ts';
import { appConfig } from '../../config/app-config.ts';

const PHASE_ANNOUNCEMENT: Record<SessionState['phase'], string> = {
  running: 'Checking the record.',
  done: 'Verification finished.',
  failed: 'The record could not be checked.',
  cancelled: 'Verification cancelled.',
};

/**
 * The verification of the loaded record: progress while it runs, then the verdict and the checks;
 * for an election its result and turnout, for a contract every payment recomputed (full width: a
 * figure's recorded and recomputed values side by side for six figures need the room).
 */
export function RecordRoute() {
  const { session } = useVerification();
  const state = useSessionState(session);
  if (!session || !state) {
    return (
      <>
        <title>{`No record loaded – ${appConfig.serviceName}`}</title>
        <h1 className="govuk-heading-l">No record is loaded</h1>
        <p className="govuk-body">
          <Link className="govuk-link" to="/">
            Choose an election or a record file
          </Link>{' '}
          to verify.
        </p>
      </>
    );
  }
  const isRunning = state.phase === 'running';
  const report = state.phase === 'done' ? state.report : null;
  const heading = isRunning ? 'Verifying the record' : state.phase === 'done' ? 'Verification result' : state.phase === 'cancelled' ? 'Verification cancelled' : 'The record could not be checked';
  return (
    <>
      <title>{`${state.phase === 'failed' ? 'Error: ' : ''}${heading} – ${appConfig.serviceName}`}</title>
      {state.phase === 'failed' ? <ErrorSummary errors={[{ fieldId: null, message: state.error ?? 'The record could not be read.' }]} /> : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l th-code">{report?.contractId ? `Contract ${report.contractId}` : (state.facts?.title ?? state.sourceName)}</span>
          <h1 className="govuk-heading-l">{heading}</h1>
          <p className="govuk-visually-hidden" aria-live="polite">
            {PHASE_ANNOUNCEMENT[state.phase]}
          </p>
          {report ? state.recordKind === 'contract' ? <ContractVerdict state={state} /> : <Results state={state} /> : null}
          {isRunning ? (
            <>
              <OverallProgress state={state} />
              <button type="button" className="govuk-button govuk-button--warning" onClick={() => session.cancel()}>
                Cancel
              </button>
            </>
          ) : null}
          {state.phase === 'failed' || state.phase === 'cancelled' ? (
            <p className="govuk-body">
              <Link className="govuk-link" to="/">
                Choose an election or a record file
              </Link>
            </p>
          ) : null}
          {state.phase !== 'done' ? (
            <>
              <h2 className="govuk-heading-m">Checks</h2>
              <CheckTaskList state={state} />
            </>
          ) : null}
        </div>
      </div>
      {report && state.recordKind === 'contract' ? <ContractPayments state={state} /> : null}
    </>
  );
}

/** The report as a file, named after what it is of. */
function ReportDownload({ report }: { report: NonNullable<SessionState['report']> }) {
  const download = useMemo(() => URL.createObjectURL(new Blob([reportFileText(report)], { type: 'application/json' })), [report]);
  useEffect(() => () => URL.revokeObjectURL(download), [download]);
  return (
    <a className="govuk-button govuk-button--secondary" href={download} download={`verification-report-${report.contractId ?? report.electionId ?? 'record'}.json`} draggable={false}>
      Download the report (JSON)
    </a>
  );
}

function ContractVerdict({ state }: { state: SessionState }) {
  const report = state.report!;
  return (
    <>
      <VerdictSummary report={report} facts={null} seconds={state.seconds} />
      <div className="govuk-button-group">
        <ReportDownload report={report} />
      </div>
      <FailureExplanations report={report} />
    </>
  );
}

function ContractPayments({ state }: { state: SessionState }) {
  const report = state.report!;
  return (
    <>
      <h2 className="govuk-heading-l">Payments</h2>
      {report.statement ? (
        <>
          {!report.isValid ? <p className="govuk-body govuk-!-font-weight-bold">These payments come from a record that failed verification.</p> : null}
          <PaymentsTable statement={report.statement} />
          <h2 className="govuk-heading-l">Payment runs</h2>
          <PaymentRunsTable statement={report.statement} />
        </>
      ) : (
        <p className="govuk-body">The record could not be read far enough to recompute any payment.</p>
      )}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-l">Checks</h2>
          <ChecksTable report={report} />
          <p className="govuk-body">
            <Link className="govuk-link" to="/">
              Verify another record
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}

function Results({ state }: { state: SessionState }) {
  const report = state.report!;
  return (
    <>
      <VerdictSummary report={report} facts={state.facts} seconds={state.seconds} />
      <div className="govuk-button-group">
        <ReportDownload report={report} />
        <Link className="govuk-link" to="/record/ballot">
          Check a tracking code or receipt
        </Link>
      </div>
      <FailureExplanations report={report} />
      <h2 className="govuk-heading-l">Result</h2>
      <ResultCharts report={report} facts={state.facts} />
      {state.facts ? (
        <>
          <h2 className="govuk-heading-l">Turnout</h2>
          <TurnoutChart facts={state.facts} />
        </>
      ) : null}
      <h2 className="govuk-heading-l">Checks</h2>
      <ChecksTable report={report} />
      <p className="govuk-body">
        <Link className="govuk-link" to="/">
          Verify another election
        </Link>
      </p>
    </>
  );
}
