import type { ReactNode } from 'react';
import { PhaseBanner } from './phase-banner.tsx';
import { SiteFooter } from './site-footer.tsx';
import { SiteHeader } from './site-header.tsx';
import { SkipLink } from './skip-link.tsx';

export const MAIN_CONTENT_ID = 'main-content';

interface PageLayoutProps {
  serviceName: string;
  /** The council running this service, once known. */
  councilName?: string | undefined;
  /** The app's service navigation, if it has one (who is signed in, the app's sections). */
  navigation?: ReactNode;
  children: ReactNode;
}

/** The GOV.UK page template shared by the three apps: skip link, header, phase banner, main, footer. */
export function PageLayout({ serviceName, councilName, navigation, children }: PageLayoutProps) {
  return (
    <>
      <SkipLink targetId={MAIN_CONTENT_ID} />
      <SiteHeader serviceName={serviceName} councilName={councilName} />
      {navigation}
      <div className="govuk-width-container">
        <PhaseBanner>This is a new service. It is not yet used for real elections.</PhaseBanner>
        <main className="govuk-main-wrapper" id={MAIN_CONTENT_ID} tabIndex={-1}>
          {children}
        </main>
      </div>
      <SiteFooter />
    </>
  );
}
