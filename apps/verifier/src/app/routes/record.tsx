import { ErrorSummary } from '@townhall/web-ui';
import { useEffect, useMemo } from 'react';
import { Link } from 'react-router';
import { CheckTaskList, OverallProgress } from '../../features/verification/components/check-task-list.tsx';
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

/** The verification of the loaded record: progress while it runs, then the verdict, charts and checks. */
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
  const heading = isRunning ? 'Verifying the record' : state.phase === 'done' ? 'Verification result' : state.phase === 'cancelled' ? 'Verification cancelled' : 'The record could not be checked';
  return (
    <>
      <title>{`${state.phase === 'failed' ? 'Error: ' : ''}${heading} – ${appConfig.serviceName}`}</title>
      {state.phase === 'failed' ? <ErrorSummary errors={[{ fieldId: null, message: state.error ?? 'The record could not be read.' }]} /> : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l th-code">{state.facts?.title ?? state.sourceName}</span>
          <h1 className="govuk-heading-l">{heading}</h1>
          <p className="govuk-visually-hidden" aria-live="polite">
            {PHASE_ANNOUNCEMENT[state.phase]}
          </p>
          {state.phase === 'done' && state.report ? <Results state={state} /> : null}
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
    </>
  );
}

function Results({ state }: { state: SessionState }) {
  const report = state.report!;
  const download = useMemo(() => URL.createObjectURL(new Blob([reportFileText(report)], { type: 'application/json' })), [report]);
  useEffect(() => () => URL.revokeObjectURL(download), [download]);
  return (
    <>
      <VerdictSummary report={report} facts={state.facts} seconds={state.seconds} />
      <div className="govuk-button-group">
        <a className="govuk-button govuk-button--secondary" href={download} download={`verification-report-${report.electionId ?? 'record'}.json`} draggable={false}>
          Download the report (JSON)
        </a>
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
