import { Outlet } from 'react-router';
import { EnrolmentProvider } from '../../../features/enrolment/components/enrolment-context.tsx';

/** The enrolment pages share the answers given so far (in memory: a reload starts again). */
export function EnrolLayout() {
  return (
    <EnrolmentProvider>
      <Outlet />
    </EnrolmentProvider>
  );
}
