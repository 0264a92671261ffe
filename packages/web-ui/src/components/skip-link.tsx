import type { MouseEvent } from 'react';

interface SkipLinkProps {
  targetId: string;
}

/**
 * GOV.UK skip link. Moving focus by hand (rather than letting the browser follow the fragment)
 * keeps the router's URL clean and works in every browser; the target gets tabIndex -1.
 */
export function SkipLink({ targetId }: SkipLinkProps) {
  function focusTarget(event: MouseEvent<HTMLAnchorElement>) {
    const target = document.getElementById(targetId);
    if (!target) return;
    event.preventDefault();
    target.focus();
  }
  return (
    <a href={`#${targetId}`} className="govuk-skip-link" onClick={focusTarget}>
      Skip to main content
    </a>
  );
}
