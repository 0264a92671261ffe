import { STAFF_ACTION_LABELS, type StaffActionName } from '@townhall/protocol';
import { formatDateTime, LoadingMessage, ProblemBanner } from '@townhall/web-ui';
import { Link, useSearchParams } from 'react-router';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { useStaffActions } from '../../../features/staff/api/staff.ts';
import { appConfig } from '../../../config/app-config.ts';

export function StaffActionsRoute() {
  return (
    <RequireStaff roles={['admin']}>
      <StaffActions />
    </RequireStaff>
  );
}

/** The action in words (one vocabulary, STAFF_ACTION_LABELS); an unknown one as it was recorded. */
function describeAction(action: string): string {
  return action in STAFF_ACTION_LABELS ? STAFF_ACTION_LABELS[action as StaffActionName] : action;
}

function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

function StaffActions() {
  const [searchParams] = useSearchParams();
  const page = Math.max(1, Number(searchParams.get('page')) || 1);
  const actions = useStaffActions(page);
  const pageCount = actions.data ? Math.max(1, Math.ceil(actions.data.total / actions.data.pageSize)) : 1;
  return (
    <>
      <title>{`Staff actions – ${appConfig.serviceName}`}</title>
      <Link to="/staff" className="govuk-back-link">
        Back to staff
      </Link>
      <h1 className="govuk-heading-l">Staff actions</h1>
      <p className="govuk-body">Everything staff did with the roll, poll cards and invitations, newest first.</p>
      {actions.isPending ? <LoadingMessage>Loading staff actions…</LoadingMessage> : null}
      {actions.isError ? <ProblemBanner what="the staff actions" error={actions.error} /> : null}
      {actions.data ? (
        <>
          <div className="th-table-scroll" role="region" tabIndex={0} aria-label="Staff actions (scrolls sideways)">
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">Staff actions</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">When</th>
                  <th scope="col" className="govuk-table__header">Who</th>
                  <th scope="col" className="govuk-table__header">Action</th>
                  <th scope="col" className="govuk-table__header">On</th>
                  <th scope="col" className="govuk-table__header">Details</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {actions.data.actions.map((action) => (
                  <tr className="govuk-table__row" key={action.id}>
                    <td className="govuk-table__cell">{formatDateTime(action.at)}</td>
                    <td className="govuk-table__cell">{action.staffName ?? 'Server command'}</td>
                    <td className="govuk-table__cell">{describeAction(action.action)}</td>
                    <td className="govuk-table__cell">
                      <span className="th-code">{action.target ?? '–'}</span>
                    </td>
                    <td className="govuk-table__cell">
                      <span className="th-code">{describeDetail(action.detail) || '–'}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pageCount > 1 ? (
            <nav className="govuk-pagination" aria-label="Pages of staff actions">
              {page > 1 ? (
                <div className="govuk-pagination__prev">
                  <Link className="govuk-link govuk-pagination__link" to={`?page=${page - 1}`} rel="prev">
                    <span className="govuk-pagination__link-title">Newer actions</span>
                  </Link>
                </div>
              ) : null}
              {page < pageCount ? (
                <div className="govuk-pagination__next">
                  <Link className="govuk-link govuk-pagination__link" to={`?page=${page + 1}`} rel="next">
                    <span className="govuk-pagination__link-title">Older actions</span>
                  </Link>
                </div>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </>
  );
}
