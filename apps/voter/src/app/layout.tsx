import { PageLayout, useCouncil } from '@townhall/web-ui';
import { Outlet } from 'react-router';
import { SessionNavigation } from '../features/session/components/session-navigation.tsx';
import { appConfig } from '../config/app-config.ts';

export function Layout() {
  const council = useCouncil();
  return (
    <PageLayout serviceName={appConfig.serviceName} councilName={council.data?.name} navigation={<SessionNavigation />}>
      <Outlet />
    </PageLayout>
  );
}
