import { useParams } from 'react-router';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { DeleteService } from '../../../features/services/components/delete-service.tsx';
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

export function DeleteServiceRoute() {
  const { clientId = '' } = useParams();
  return (
    <RequireStaff roles={['admin']}>
      <DeleteService clientId={clientId} />
    </RequireStaff>
  );
}
