import type { RollElectorChange, RollImportApplied, RollImportPreview } from '@townhall/protocol';
import { ErrorSummary, LoadingMessage, Panel, ProblemBanner, WarningText } from '@townhall/web-ui';
import { Link, useParams } from 'react-router';
import { useApplyRollImport, useRollImport } from '../../../features/roll/api/roll.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

const APPLY_BUTTON_ID = 'apply-import';
const numberFormat = new Intl.NumberFormat('en-GB');

export function RollImportPreviewRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <RollImportPreviewPage />
    </RequireStaff>
  );
}

function RollImportPreviewPage() {
  const { importId = '' } = useParams();
  const preview = useRollImport(importId);
  const apply = useApplyRollImport(importId);

  if (apply.isSuccess) return <Applied applied={apply.data} />;
  const errors = apply.isError ? [{ fieldId: APPLY_BUTTON_ID, message: apply.error.message }] : [];
  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Check the changes to the roll – ${appConfig.serviceName}`}</title>
      <Link to="/roll/import" className="govuk-back-link">
        Back
      </Link>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Check the changes to the roll</h1>
      {preview.isPending ? <LoadingMessage>Loading the import…</LoadingMessage> : null}
      {preview.isError ? <ProblemBanner what="the import" error={preview.error} /> : null}
      {preview.data ? <Changes preview={preview.data} /> : null}
      {preview.data?.status === 'pending' ? (
        <>
          {preview.data.counts.removals + preview.data.counts.moves > 0 ? (
            <WarningText>
              Electors who are removed or move ward lose their passkeys: they need a new poll card to vote online.
            </WarningText>
          ) : null}
          <p className="govuk-body">
            Applying replaces the roll and records it in the public ledger (per-ward counts and a fingerprint of the
            roll, without personal data).
          </p>
          <button
            type="button"
            id={APPLY_BUTTON_ID}
            className="govuk-button"
            onClick={() => apply.mutate()}
            disabled={apply.isPending}
            aria-disabled={apply.isPending}
          >
            {apply.isPending ? 'Applying…' : 'Apply these changes'}
          </button>
        </>
      ) : preview.data ? (
        <p className="govuk-body">
          This import was {preview.data.status === 'applied' ? 'applied already' : 'replaced by a later one'}.{' '}
          <Link to="/roll/import" className="govuk-link">
            Import the roll again
          </Link>
        </p>
      ) : null}
    </>
  );
}

function Changes({ preview }: { preview: RollImportPreview }) {
  const kinds = [
    { key: 'additions', label: 'Electors added' },
    { key: 'removals', label: 'Electors removed' },
    { key: 'moves', label: 'Electors moved to another ward' },
    { key: 'updates', label: 'Electors with changed details' },
  ] as const;
  return (
    <>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Electors in the file</dt>
          <dd className="govuk-summary-list__value">{numberFormat.format(preview.rowCount)}</dd>
        </div>
        {kinds.map((kind) => (
          <div className="govuk-summary-list__row" key={kind.key}>
            <dt className="govuk-summary-list__key">{kind.label}</dt>
            <dd className="govuk-summary-list__value">{numberFormat.format(preview.counts[kind.key])}</dd>
          </div>
        ))}
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Electors unchanged</dt>
          <dd className="govuk-summary-list__value">{numberFormat.format(preview.counts.unchanged)}</dd>
        </div>
      </dl>
      {kinds.map((kind) =>
        preview.samples[kind.key].length > 0 ? (
          <ChangeTable
            key={kind.key}
            title={kind.label}
            changes={preview.samples[kind.key]}
            total={preview.counts[kind.key]}
            showsMove={kind.key === 'moves'}
          />
        ) : null,
      )}
    </>
  );
}

function ChangeTable({ title, changes, total, showsMove }: { title: string; changes: RollElectorChange[]; total: number; showsMove: boolean }) {
  return (
    <div className="th-table-scroll" role="region" tabIndex={0} aria-label={`${title} (scrolls sideways)`}>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">
          {title}
          {total > changes.length ? ` (the first ${changes.length} of ${numberFormat.format(total)})` : ''}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Elector number
            </th>
            <th scope="col" className="govuk-table__header">
              Name
            </th>
            <th scope="col" className="govuk-table__header">
              {showsMove ? 'From ward' : 'Ward'}
            </th>
            {showsMove ? (
              <th scope="col" className="govuk-table__header">
                To ward
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {changes.map((change) => (
            <tr className="govuk-table__row" key={change.electorNumber}>
              <td className="govuk-table__cell">{change.electorNumber}</td>
              <td className="govuk-table__cell">{change.name}</td>
              <td className="govuk-table__cell">{(showsMove ? change.fromDistrict : (change.toDistrict ?? change.fromDistrict)) ?? '–'}</td>
              {showsMove ? <td className="govuk-table__cell">{change.toDistrict ?? '–'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Applied({ applied }: { applied: RollImportApplied }) {
  return (
    <>
      <title>{`Roll updated – ${appConfig.serviceName}`}</title>
      <Panel title="Roll updated">{numberFormat.format(applied.electorCount)} electors on the roll</Panel>
      <h2 className="govuk-heading-m">Recorded in the public ledger</h2>
      <p className="govuk-body">The new roll was committed to the registry ledger in a RollCommitted entry.</p>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Ledger entry</dt>
          <dd className="govuk-summary-list__value">RollCommitted, entry {applied.ledgerIndex} of the registry log</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Pseudonym root</dt>
          <dd className="govuk-summary-list__value">
            <code className="th-code">{applied.pseudonymRoot}</code>
          </dd>
        </div>
        {applied.districts.map((district) => (
          <div className="govuk-summary-list__row" key={district.code}>
            <dt className="govuk-summary-list__key">Electors in {district.code}</dt>
            <dd className="govuk-summary-list__value">{numberFormat.format(district.electorCount)}</dd>
          </div>
        ))}
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Passkeys revoked</dt>
          <dd className="govuk-summary-list__value">{numberFormat.format(applied.passkeysRevoked)}</dd>
        </div>
      </dl>
      <p className="govuk-body">
        <Link to="/roll/poll-cards" className="govuk-link">
          Download poll cards
        </Link>
      </p>
    </>
  );
}
