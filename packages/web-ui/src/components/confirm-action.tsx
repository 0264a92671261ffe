import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface Confirmation {
  /** The question, e.g. "Close the election now?". */
  question: string;
  /** What will happen, in plain words (what cannot be undone, how many are affected). */
  consequences: ReactNode;
  /** The confirming button's text, e.g. "Yes, close the election". */
  confirmLabel: string;
  isPending?: boolean;
  isWarning?: boolean;
}

/**
 * The second step of an irreversible action (GOV.UK "confirm" pattern): what will happen, and "Yes, …"
 * or "Cancel". Focus moves to the question, so a screen-reader or keyboard user meets it as a new page.
 */
export function ConfirmPanel({ question, consequences, confirmLabel, onConfirm, onCancel, isPending = false, isWarning = true }: Confirmation & { onConfirm: () => void; onCancel: () => void }) {
  const questionId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="th-confirm" role="group" aria-labelledby={questionId}>
      <h2 className="govuk-heading-m" id={questionId} tabIndex={-1} ref={headingRef}>
        {question}
      </h2>
      <div className="govuk-body">{consequences}</div>
      <div className="govuk-button-group">
        <button type="button" className={`govuk-button${isWarning ? ' govuk-button--warning' : ''}`} onClick={onConfirm} disabled={isPending} aria-disabled={isPending}>
          {confirmLabel}
        </button>
        <button type="button" className="govuk-button govuk-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** An irreversible action in two steps: the button first shows a ConfirmPanel in its place; only "Yes, …" acts. */
export function ConfirmAction({
  label,
  onConfirm,
  buttonClassName = '',
  hiddenContext,
  ...confirmation
}: Confirmation & {
  /** The first button's text, e.g. "Close the election now". */
  label: string;
  onConfirm: () => void;
  buttonClassName?: string;
  /** Visually hidden words after the label (e.g. " for Castle ward") when several such buttons share a page. */
  hiddenContext?: string;
}) {
  const [isAsking, setIsAsking] = useState(false);
  if (isAsking) {
    return (
      <ConfirmPanel
        {...confirmation}
        onConfirm={() => {
          setIsAsking(false);
          onConfirm();
        }}
        onCancel={() => setIsAsking(false)}
      />
    );
  }
  const isPending = confirmation.isPending ?? false;
  return (
    <button type="button" className={`govuk-button ${buttonClassName}`.trim()} onClick={() => setIsAsking(true)} disabled={isPending} aria-disabled={isPending}>
      {label}
      {hiddenContext ? <span className="govuk-visually-hidden">{hiddenContext}</span> : null}
    </button>
  );
}
