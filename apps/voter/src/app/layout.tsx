import { PageLayout, useCouncil } from '@townhall/web-ui';
import { Outlet } from 'react-router';
import { useRepairAssociations } from '../features/repairs/api/repairs.ts';
import { SessionNavigation } from '../features/session/components/session-navigation.tsx';
import { useSession } from '../features/session/api/session.ts';
import { appConfig } from '../config/app-config.ts';

export function Layout() {
  const council = useCouncil();
  const session = useSession();
  // A housing association's tenant reports and follows repairs here; other residents are not offered it.
  const reportable = useRepairAssociations({ enabled: session.data?.principal.kind === 'resident' });
  const residentLinks = (reportable.data?.associations.length ?? 0) > 0 ? [{ to: '/repairs', label: 'Your repairs' }] : [];
  return (
    <PageLayout serviceName={appConfig.serviceName} councilName={council.data?.name} navigation={<SessionNavigation residentLinks={residentLinks} />}>
      <Outlet />
    </PageLayout>
  );
}
