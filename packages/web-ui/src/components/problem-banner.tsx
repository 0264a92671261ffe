import { useId } from 'react';
import { ApiError } from '../lib/api-client.ts';

interface ProblemBannerProps {
  /** What the page could not show, e.g. "the council's wards". */
  what: string;
  error: unknown;
  /** The first sentence instead of "Sorry, we could not load …", for an action rather than a read. */
  headline?: string;
  /** What to say of the error instead of the default reading (e.g. a passkey ceremony's, from describePasskeyProblem). */
  describe?: (error: unknown) => string;
}

function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something unexpected went wrong.';
  switch (error.code) {
    case 'NETWORK_ERROR':
      return 'The service could not be reached. Check your connection and try again.';
    case 'INVALID_RESPONSE':
      return error.status !== null && error.status >= 500
        ? 'The service is not working at the moment. Try again later.'
        : 'The service sent an answer this page does not understand.';
    case 'RATE_LIMITED':
      return 'Too many requests were made. Wait a minute and try again.';
    default:
      return error.message;
  }
}

/** GOV.UK notification banner for a request that failed; it quotes the request id for support. */
export function ProblemBanner({ what, error, headline, describe: describeError = describe }: ProblemBannerProps) {
  const titleId = useId();
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div className="govuk-notification-banner" role="alert" aria-labelledby={titleId}>
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          There is a problem
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{headline ?? `Sorry, we could not load ${what}.`}</p>
        <p className="govuk-body">{describeError(error)}</p>
        {requestId ? (
          <p className="govuk-body-s govuk-!-margin-bottom-0">
            If you report this problem, quote reference <code>{requestId}</code>.
          </p>
        ) : null}
      </div>
    </div>
  );
}
