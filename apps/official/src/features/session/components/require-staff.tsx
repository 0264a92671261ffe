import type { StaffRoleName } from '@townhall/protocol';
import { LoadingMessage, ProblemBanner } from '@townhall/web-ui';
import type { ReactNode } from 'react';
import { appConfig } from '../../../config/app-config.ts';
import { rolesOf, useSession } from '../api/session.ts';
import { StaffSignIn } from './staff-sign-in.tsx';

interface RequireStaffProps {
  /** Any of these roles opens the page; none listed: any member of staff. */
  roles?: readonly StaffRoleName[];
  children: ReactNode;
}

/**
 * Shows a staff page only to staff holding one of `roles`; anyone else sees the sign-in page (or,
 * signed in without the role, a page saying so). The API decides again on every request: this only
 * keeps people from pages that would refuse them.
 */
export function RequireStaff({ roles, children }: RequireStaffProps) {
  const session = useSession();
  if (session.isPending) return <LoadingMessage>Checking who is signed in…</LoadingMessage>;
  if (session.isError) return <ProblemBanner what="who is signed in" error={session.error} />;
  if (session.data.principal.kind !== 'staff') return <StaffSignIn />;
  const held = rolesOf(session.data);
  if (roles && !roles.some((role) => held.includes(role))) {
    return (
      <>
        <title>{`You cannot use this page – ${appConfig.serviceName}`}</title>
        <h1 className="govuk-heading-l">You cannot use this page</h1>
        <p className="govuk-body">
          It is for {roles.map((role) => `${role}s`).join(' and ')}. Ask an administrator if you need access.
        </p>
      </>
    );
  }
  return <>{children}</>;
}
