import type { ReactNode } from 'react';

interface PhaseBannerProps {
  children: ReactNode;
}

export function PhaseBanner({ children }: PhaseBannerProps) {
  return (
    <div className="govuk-phase-banner">
      <p className="govuk-phase-banner__content">
        <strong className="govuk-tag govuk-phase-banner__content__tag">Alpha</strong>
        <span className="govuk-phase-banner__text">{children}</span>
      </p>
    </div>
  );
}
