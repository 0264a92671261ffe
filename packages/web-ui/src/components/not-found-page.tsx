import { Link } from 'react-router';

export function NotFoundPage({ serviceName }: { serviceName: string }) {
  return (
    <>
      <title>{`Page not found – ${serviceName}`}</title>
      <h1 className="govuk-heading-l">Page not found</h1>
      <p className="govuk-body">If you typed the web address, check it is correct.</p>
      <p className="govuk-body">
        <Link to="/" className="govuk-link">
          Go to the start page
        </Link>
      </p>
    </>
  );
}
