import { Panel } from '@townhall/web-ui';
import { Link, useLocation } from 'react-router';
import { appConfig } from '../../../shared/config/app-config.ts';

export function EnrolDoneRoute() {
  const location = useLocation();
  const givenName = (location.state as { givenName?: string | null } | null)?.givenName;
  return (
    <>
      <title>{`Your account is set up – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Your account is set up">{givenName ? `You are signed in, ${givenName}` : 'You are signed in'}</Panel>
          <h2 className="govuk-heading-m">What happens next</h2>
          <p className="govuk-body">
            Your passkey is saved on your device. Next time, sign in with it: you will not need your poll card
            again.
          </p>
          <p className="govuk-body">
            The council’s public ledger now records that a passkey was set up for your entry on the roll. It
            does not record your name or address. You can see the record on your account page.
          </p>
          <p className="govuk-body">
            <Link to="/account" className="govuk-link">
              Go to your account
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}
