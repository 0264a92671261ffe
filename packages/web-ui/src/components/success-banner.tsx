import { useEffect, useRef, type ReactNode } from 'react';

interface SuccessBannerProps {
  /** The id of the banner's title, which labels it. */
  titleId: string;
  /** The one line that says what happened. */
  heading: ReactNode;
  /** More to say or do (a link to copy, say), under the heading. */
  children?: ReactNode;
  /**
   * Move the focus to the banner when it appears or its heading changes, so that a screen reader
   * announces the outcome of an action taken further down the page (GOV.UK's pattern).
   */
  takesFocus?: boolean;
}

/** GOV.UK's success notification banner: the outcome of what the person just did. */
export function SuccessBanner({ titleId, heading, children, takesFocus = false }: SuccessBannerProps) {
  const banner = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takesFocus) banner.current?.focus();
  }, [takesFocus, heading]);
  return (
    <div
      className="govuk-notification-banner govuk-notification-banner--success"
      role="alert"
      aria-labelledby={titleId}
      ref={banner}
      {...(takesFocus ? { tabIndex: -1 } : {})}
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          Success
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{heading}</p>
        {children}
      </div>
    </div>
  );
}
