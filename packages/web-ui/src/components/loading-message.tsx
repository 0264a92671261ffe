import type { ReactNode } from 'react';

interface LoadingMessageProps {
  children: ReactNode;
}

/** Announced politely to screen readers; GOV.UK has no spinner pattern, so this is plain text. */
export function LoadingMessage({ children }: LoadingMessageProps) {
  return (
    <p className="govuk-body govuk-hint" role="status">
      {children}
    </p>
  );
}
