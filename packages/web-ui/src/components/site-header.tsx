import { Link } from 'react-router';

interface SiteHeaderProps {
  serviceName: string;
  /** The council running this service, once known. */
  councilName?: string | undefined;
}

/**
 * GOV.UK "generic header" (the header for services outside GOV.UK: no crown), carrying the
 * service name and, beside it, the council that runs the service.
 */
export function SiteHeader({ serviceName, councilName }: SiteHeaderProps) {
  return (
    <header className="govuk-generic-header">
      <div className="govuk-generic-header__container govuk-width-container th-header__container">
        <div className="govuk-generic-header__logo">
          <Link to="/" className="govuk-generic-header__homepage-link">
            {serviceName}
          </Link>
        </div>
        {councilName ? <p className="th-header__council">{councilName}</p> : null}
      </div>
    </header>
  );
}
