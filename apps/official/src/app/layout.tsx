import { PageLayout, useCouncil } from '@townhall/web-ui';
import { Outlet } from 'react-router';
import { StaffNavigation } from '../features/session/components/staff-navigation.tsx';
import { appConfig } from '../config/app-config.ts';

export function Layout() {
  const council = useCouncil();
  return (
    <PageLayout serviceName={appConfig.serviceName} councilName={council.data?.name} navigation={<StaffNavigation />}>
      <Outlet />
    </PageLayout>
  );
}
