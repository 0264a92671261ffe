import { Outlet, useParams } from 'react-router';
import { ReportRepairProvider } from '../../../features/repairs/components/report-repair-context.tsx';
import { ReportRepairCheck, ReportRepairDone, ReportRepairForm } from '../../../features/repairs/components/report-repair.tsx';
import { RepairDetail, YourRepairs } from '../../../features/repairs/components/your-repairs.tsx';
import { RequireSignedIn } from '../organisations/organisations.tsx';

/** `/repairs`: the repairs the resident reported. */
export function RepairsRoute() {
  return (
    <RequireSignedIn from="/repairs" residentOnly>
      <YourRepairs />
    </RequireSignedIn>
  );
}

/** `/repairs/:orderId`: one of them (anyone else's is not found). */
export function RepairRoute() {
  const { orderId = '' } = useParams();
  return (
    <RequireSignedIn from={`/repairs/${orderId}`} residentOnly>
      <RepairDetail orderId={orderId} />
    </RequireSignedIn>
  );
}

/** `/repairs/report…`: the report's pages share its answers until it is sent. */
export function ReportRepairLayout() {
  return (
    <RequireSignedIn from="/repairs/report" residentOnly>
      <ReportRepairProvider>
        <Outlet />
      </ReportRepairProvider>
    </RequireSignedIn>
  );
}

export const ReportRepairRoute = ReportRepairForm;
export const ReportRepairCheckRoute = ReportRepairCheck;
export const ReportRepairDoneRoute = ReportRepairDone;
