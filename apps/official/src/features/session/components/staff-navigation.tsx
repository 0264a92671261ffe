import type { StaffRoleName } from '@townhall/protocol';
import { NavLink } from 'react-router';
import { rolesOf, useSession } from '../api/session.ts';

/** The pages each role may use: the navigation offers only those. */
export const STAFF_PAGES: { to: string; label: string; roles: readonly StaffRoleName[] }[] = [
  { to: '/elections', label: 'Elections', roles: ['officer', 'admin'] },
  { to: '/trustee', label: 'Trustee', roles: ['trustee'] },
  { to: '/roll/import', label: 'Import the roll', roles: ['officer', 'admin'] },
  { to: '/roll/electors', label: 'Electors', roles: ['officer', 'admin'] },
  { to: '/roll/poll-cards', label: 'Poll cards', roles: ['officer', 'admin'] },
  { to: '/staff', label: 'Staff', roles: ['admin'] },
  { to: '/staff/actions', label: 'Staff actions', roles: ['admin'] },
  { to: '/services', label: 'Townhall ID services', roles: ['admin'] },
  { to: '/organisations', label: 'Organisations', roles: ['admin'] },
  { to: '/appointments/power-of-attorney', label: 'Powers of attorney', roles: ['officer', 'admin'] },
];

export function pagesFor(roles: readonly StaffRoleName[]) {
  return STAFF_PAGES.filter((page) => page.roles.some((role) => roles.includes(role)));
}

export function StaffNavigation() {
  const session = useSession();
  const principal = session.data?.principal;
  const links =
    principal?.kind === 'staff'
      ? [{ to: '/', label: 'Overview' }, ...pagesFor(rolesOf(session.data)), { to: '/sign-out', label: 'Sign out' }]
      : principal?.kind === 'resident'
        ? [{ to: '/sign-out', label: 'Sign out' }]
        : [];
  return (
    <div className="govuk-service-navigation">
      <div className="govuk-width-container">
        <div className="govuk-service-navigation__container th-service-navigation">
          <p className="govuk-body-s govuk-!-margin-0" role="status">
            {principal?.kind === 'staff'
              ? `Signed in as ${principal.displayName} (${[...new Set(principal.roles.map((role) => role.role))].join(', ')})`
              : principal?.kind === 'resident'
                ? `Signed in as ${principal.givenName} (resident)`
                : session.isSuccess
                  ? 'Not signed in'
                  : ''}
          </p>
          {links.length > 0 ? (
            <nav aria-label="Staff pages" className="govuk-service-navigation__wrapper">
              <ul className="govuk-service-navigation__list">
                {links.map((link) => (
                  <li className="govuk-service-navigation__item" key={link.to}>
                    <NavLink className="govuk-service-navigation__link" to={link.to} end>
                      {link.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </div>
      </div>
    </div>
  );
}
