import { NavLink } from 'react-router';
import { useSession } from '../api/session.ts';

/**
 * GOV.UK service navigation under the header: who is signed in, and the links that go with it
 * (`residentLinks`: the app's links that only some residents have).
 * Signing out is a link to a page that does it, so it works like every other link.
 */
export function SessionNavigation({ residentLinks = [] }: { residentLinks?: readonly { to: string; label: string }[] }) {
  const session = useSession();
  const principal = session.data?.principal;
  const links =
    principal?.kind === 'resident'
      ? [
          // The elections are what a resident signs in for: one keypress from every page (WCAG 2.4.5).
          { to: '/elections', label: 'Your elections' },
          // What else this resident uses here (their repairs, once a housing association made them its tenant).
          ...residentLinks,
          { to: '/account', label: 'Your account' },
          { to: '/sign-out', label: 'Sign out' },
        ]
      : principal?.kind === 'person'
        ? [
            { to: '/account', label: 'Your organisations' },
            { to: '/sign-out', label: 'Sign out' },
          ]
        : principal?.kind === 'staff'
          ? [{ to: '/sign-out', label: 'Sign out' }]
          : [
              { to: '/enrol', label: 'Set up your account' },
              { to: '/sign-in', label: 'Sign in' },
            ];
  return (
    <div className="govuk-service-navigation">
      <div className="govuk-width-container">
        <div className="govuk-service-navigation__container th-service-navigation">
          <p className="govuk-body-s govuk-!-margin-0 th-signed-in" role="status">
            {principal?.kind === 'resident'
              ? `Signed in as ${principal.givenName}`
              : principal?.kind === 'person'
                ? `Signed in as ${principal.displayName}`
                : principal?.kind === 'staff'
                  ? `Signed in as ${principal.displayName} (staff)`
                  : session.isSuccess
                    ? 'Not signed in'
                    : ''}
          </p>
          <nav aria-label="Account" className="govuk-service-navigation__wrapper">
            <ul className="govuk-service-navigation__list" id="account-navigation">
              {links.map((link) => (
                <li className="govuk-service-navigation__item" key={link.to}>
                  <NavLink className="govuk-service-navigation__link" to={link.to}>
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </div>
    </div>
  );
}
