import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { RegisterService } from '../../../features/services/components/register-service.tsx';
import { ServiceList } from '../../../features/services/components/service-list.tsx';

export function ServicesRoute() {
  return (
    <RequireStaff roles={['admin']}>
      <ServiceList />
    </RequireStaff>
  );
}

export function RegisterServiceRoute() {
  return (
    <RequireStaff roles={['admin']}>
      <RegisterService />
    </RequireStaff>
  );
}
