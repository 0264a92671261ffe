import { ApiError, ProblemBanner } from '@townhall/web-ui';
import { appConfig } from '../../../config/app-config.ts';

/**
 * The page an election's address shows when the election cannot be loaded: still a page with a
 * title and a heading (WCAG 2.4.2, 2.4.6), so a screen reader user knows where they landed.
 */
export function ElectionProblem({ error }: { error: unknown }) {
  const isMissing = error instanceof ApiError && error.code === 'NOT_FOUND';
  const title = isMissing ? 'Election not found' : 'Sorry, there is a problem with the service';
  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">{title}</h1>
      {isMissing ? (
        <p className="govuk-body">There is no election at this address. Check the link you followed, or go back to the list of elections.</p>
      ) : (
        <ProblemBanner what="the election" error={error} />
      )}
    </>
  );
}
