import { useParams } from 'react-router';
import { RecordPowerOfAttorney } from '../../../features/appointments/components/record-power-of-attorney.tsx';
import { InviteAdministrator } from '../../../features/organisations/components/invite-administrator.tsx';
import { OrganisationRegister } from '../../../features/organisations/components/organisation-register.tsx';
import { RegisterOrganisation } from '../../../features/organisations/components/register-organisation.tsx';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';

export function OrganisationsRoute() {
  return (
    <RequireStaff roles={['admin']}>
      <OrganisationRegister />
    </RequireStaff>
  );
}

export function RegisterOrganisationRoute() {
  return (
    <RequireStaff roles={['admin']}>
      <RegisterOrganisation />
    </RequireStaff>
  );
}

export function InviteAdministratorRoute() {
  const { organisationId = '' } = useParams();
  return (
    <RequireStaff roles={['admin']}>
      <InviteAdministrator organisationId={organisationId} />
    </RequireStaff>
  );
}

export function RecordPowerOfAttorneyRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <RecordPowerOfAttorney />
    </RequireStaff>
  );
}
