import { NotFoundPage } from '@townhall/web-ui';
import { appConfig } from '../../config/app-config.ts';

export function NotFoundRoute() {
  return <NotFoundPage serviceName={appConfig.serviceName} />;
}
