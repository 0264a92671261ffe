import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * An irreversible action in two steps (GOV.UK "confirm" pattern): the button first shows what will
 * happen and asks again; only "Yes, …" acts. Focus moves to the question, so a screen-reader or
 * keyboard user meets it as a new page.
 */
export function ConfirmAction({
  label,
  question,
  consequences,
  confirmLabel,
  onConfirm,
  isPending = false,
  isWarning = true,
  buttonClassName = '',
  hiddenContext,
}: {
  /** The first button's text, e.g. "Close the election now". */
  label: string;
  /** The question, e.g. "Close the election now?". */
  question: string;
  /** What will happen, in plain words (what cannot be undone, how many are affected). */
  consequences: ReactNode;
  /** The confirming button's text, e.g. "Yes, close the election". */
  confirmLabel: string;
  onConfirm: () => void;
  isPending?: boolean;
  isWarning?: boolean;
  buttonClassName?: string;
  /** Visually hidden words after the label (e.g. " for Castle ward") when several such buttons share a page. */
  hiddenContext?: string;
}) {
  const [isAsking, setIsAsking] = useState(false);
  const questionId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (isAsking) headingRef.current?.focus();
  }, [isAsking]);
  if (!isAsking) {
    return (
      <button type="button" className={`govuk-button ${buttonClassName}`.trim()} onClick={() => setIsAsking(true)} disabled={isPending} aria-disabled={isPending}>
        {label}
        {hiddenContext ? <span className="govuk-visually-hidden">{hiddenContext}</span> : null}
      </button>
    );
  }
  return (
    <div className="th-confirm" role="group" aria-labelledby={questionId}>
      <h2 className="govuk-heading-m" id={questionId} tabIndex={-1} ref={headingRef}>
        {question}
      </h2>
      <div className="govuk-body">{consequences}</div>
      <div className="govuk-button-group">
        <button
          type="button"
          className={`govuk-button${isWarning ? ' govuk-button--warning' : ''}`}
          onClick={() => {
            setIsAsking(false);
            onConfirm();
          }}
          disabled={isPending}
          aria-disabled={isPending}
        >
          {confirmLabel}
        </button>
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => setIsAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
