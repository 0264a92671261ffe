import type { CheckId } from '@townhall/verifier';
import { CHECK_EXPLANATIONS } from '../lib/check-explanations.ts';
import { CHECK_IDS, overallProgress, type CheckState, type SessionState } from '../lib/verification-session.ts';

const STATUS_TEXT: Record<CheckState['status'], string> = {
  waiting: 'Not started',
  running: 'Checking',
  pass: 'Passed',
  fail: 'Failed',
  skip: 'Not applicable',
};

const STATUS_TAG: Partial<Record<CheckState['status'], string>> = {
  running: 'govuk-tag--light-blue',
  pass: 'govuk-tag--green',
  fail: 'govuk-tag--red',
  skip: 'govuk-tag--grey',
};

function countText(id: CheckId, check: CheckState): string | null {
  if (check.status === 'waiting') return null;
  if (check.total) return `${check.done.toLocaleString('en-GB')} of ${check.total.toLocaleString('en-GB')}`;
  if (check.status === 'pass' || check.status === 'fail') return `${check.done.toLocaleString('en-GB')} item${check.done === 1 ? '' : 's'} checked`;
  if (check.status === 'running') return check.message ?? null;
  return null;
}

/** GOV.UK task list: every check with its status and count, updated as the worker reports. */
export function CheckTaskList({ state }: { state: SessionState }) {
  return (
    <ul className="govuk-task-list" id="checks">
      {CHECK_IDS[state.recordKind].map((id) => {
        const check = state.checks[id] ?? { status: 'waiting', done: 0 };
        const count = countText(id, check);
        const statusId = `check-${id.replace('.', '-')}-status`;
        const tag = STATUS_TAG[check.status];
        return (
          <li className="govuk-task-list__item" key={id} data-check={id}>
            <div className="govuk-task-list__name-and-hint">
              <span>{CHECK_EXPLANATIONS[id].name}</span>
              {count ? <div className="govuk-task-list__hint">{count}</div> : null}
            </div>
            <div className="govuk-task-list__status" id={statusId}>
              {tag ? <strong className={`govuk-tag ${tag}`}>{STATUS_TEXT[check.status]}</strong> : STATUS_TEXT[check.status]}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The overall bar, as a native <progress> with a label and the same figure in words; without the
 * record's size or its announced number of entries it is indeterminate and the words say how much
 * has been read.
 */
export function OverallProgress({ state }: { state: SessionState }) {
  const fraction = overallProgress(state);
  const percent = fraction === null ? null : Math.floor(fraction * 100);
  const entries = state.checks['ledger.entries'];
  const read = state.totalBytes
    ? `${formatBytes(state.bytesRead)} of ${formatBytes(state.totalBytes)} read`
    : entries?.total
      ? `${formatBytes(state.bytesRead)} read, ${entries.done.toLocaleString('en-GB')} of ${entries.total.toLocaleString('en-GB')} log entries`
      : `${formatBytes(state.bytesRead)} read`;
  const ballots = state.checks['ballots.proofs'];
  return (
    <div className="govuk-form-group">
      <label className="govuk-label govuk-label--s" htmlFor="overall-progress">
        Progress
      </label>
      {percent === null ? (
        <progress className="th-progress" id="overall-progress" aria-describedby="overall-progress-text" />
      ) : (
        <progress className="th-progress" id="overall-progress" max={100} value={percent} aria-describedby="overall-progress-text">
          {percent}%
        </progress>
      )}
      <p className="govuk-body" id="overall-progress-text">
        {percent === null ? '' : `${percent}% done: `}
        {read}
        {ballots?.status === 'running' ? `, ${ballots.done.toLocaleString('en-GB')} ballots checked` : ''}.
      </p>
    </div>
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
