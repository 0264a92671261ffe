import { LoadingMessage, ProblemBanner, SystemStatusSection, useCouncil } from '@townhall/web-ui';
import { Link } from 'react-router';
import { RollByWard } from '../../features/council/components/roll-by-ward.tsx';
import { rolesOf, useSession } from '../../features/session/api/session.ts';
import { RequireStaff } from '../../features/session/components/require-staff.tsx';
import { pagesFor } from '../../features/session/components/staff-navigation.tsx';
import { appConfig } from '../../config/app-config.ts';

export function HomeRoute() {
  return (
    <RequireStaff>
      <Overview />
    </RequireStaff>
  );
}

function Overview() {
  const council = useCouncil();
  const session = useSession();
  const pages = pagesFor(rolesOf(session.data));
  return (
    <>
      <title>{`Council overview – ${appConfig.serviceName}`}</title>
      {council.data ? <span className="govuk-caption-l">{council.data.name}</span> : null}
      <h1 className="govuk-heading-l">Council overview</h1>

      <section aria-labelledby="tasks-heading" className="govuk-!-margin-bottom-8">
        <h2 className="govuk-heading-m" id="tasks-heading">
          What you can do
        </h2>
        {pages.length > 0 ? (
          <ul className="govuk-list">
            {pages.map((page) => (
              <li key={page.to}>
                <Link to={page.to} className="govuk-link">
                  {page.label}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="govuk-body">There is nothing for your role to do here yet.</p>
        )}
      </section>

      <section aria-labelledby="roll-heading" className="govuk-!-margin-bottom-8">
        <h2 className="govuk-heading-m" id="roll-heading">
          Electoral roll
        </h2>
        {council.isPending ? <LoadingMessage>Loading the electoral roll…</LoadingMessage> : null}
        {council.isError ? <ProblemBanner what="the electoral roll" error={council.error} /> : null}
        {council.data ? <RollByWard council={council.data} /> : null}
      </section>

      <SystemStatusSection />
    </>
  );
}
