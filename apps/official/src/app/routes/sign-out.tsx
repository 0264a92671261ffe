import { SignOutPage } from '@townhall/web-ui';
import { useSignOut } from '../../features/session/api/session.ts';
import { appConfig } from '../../config/app-config.ts';

export function SignOutRoute() {
  return <SignOutPage serviceName={appConfig.serviceName} signOut={useSignOut()} signInPath="/" />;
}
