import { Outlet } from 'react-router';
import { useCouncil } from '../features/council/api/get-council.ts';
import { StaffNavigation } from '../features/session/components/staff-navigation.tsx';
import { PhaseBanner } from '../shared/components/phase-banner.tsx';
import { SiteFooter } from '../shared/components/site-footer.tsx';
import { SiteHeader } from '../shared/components/site-header.tsx';
import { SkipLink } from '../shared/components/skip-link.tsx';
import { appConfig } from '../shared/config/app-config.ts';

export const MAIN_CONTENT_ID = 'main-content';

export function Layout() {
  const council = useCouncil();
  return (
    <>
      <SkipLink targetId={MAIN_CONTENT_ID} />
      <SiteHeader serviceName={appConfig.serviceName} councilName={council.data?.name} />
      <StaffNavigation />
      <div className="govuk-width-container">
        <PhaseBanner>This is a new service. It is not yet used for real elections.</PhaseBanner>
        <main className="govuk-main-wrapper" id={MAIN_CONTENT_ID} tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <SiteFooter />
    </>
  );
}
