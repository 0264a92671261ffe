import { Navigate } from 'react-router';
import { useSession } from '../../features/session/api/session.ts';
import { StaffSignIn } from '../../features/session/components/staff-sign-in.tsx';

export function SignInRoute() {
  const session = useSession();
  if (session.data?.principal.kind === 'staff') return <Navigate to="/" replace />;
  return <StaffSignIn />;
}
