import { ROLL_CSV_COLUMNS } from '@townhall/protocol';
import { ApiError, errorFor, ErrorSummary, type FieldError } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useUploadRoll } from '../../../features/roll/api/roll.ts';
import { columnLabel, readRollProblems, sentence } from '../../../features/roll/lib/roll-problems.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

const FILE_FIELD = 'roll-file';

export function RollImportRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <RollImport />
    </RequireStaff>
  );
}

function RollImport() {
  const [file, setFile] = useState<File | null>(null);
  const [formErrors, setFormErrors] = useState<FieldError[]>([]);
  const upload = useUploadRoll();
  const navigate = useNavigate();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setFormErrors([{ fieldId: FILE_FIELD, message: 'Select the roll file (CSV)' }]);
      return;
    }
    if (!/\.csv$/i.test(file.name) && file.type !== 'text/csv') {
      setFormErrors([{ fieldId: FILE_FIELD, message: 'The selected file must be a CSV' }]);
      return;
    }
    setFormErrors([]);
    upload.mutate(file, { onSuccess: (preview) => void navigate(`/roll/imports/${preview.importId}`) });
  }

  const rollInvalid = upload.error instanceof ApiError && upload.error.code === 'ROLL_INVALID' ? upload.error : null;
  const problems = rollInvalid ? readRollProblems(rollInvalid.issues) : [];
  const errors: FieldError[] = [
    ...formErrors,
    ...(upload.isError ? [{ fieldId: FILE_FIELD, message: rollInvalid ? 'The file has problems: nothing was imported. Correct the file and upload it again.' : upload.error.message }] : []),
  ];

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Import the electoral roll – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Import the electoral roll</h1>
          <p className="govuk-body">
            Upload the whole roll as a CSV file. You will see what changes (electors added, removed or moved to
            another ward) before anything is applied.
          </p>
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">What the file must contain</span>
            </summary>
            <div className="govuk-details__text">
              <p className="govuk-body">A header line with these columns, in any order, and one line per elector:</p>
              <ul className="govuk-list govuk-list--bullet">
                {ROLL_CSV_COLUMNS.map((column) => (
                  <li key={column}>
                    <code className="th-code">{column}</code>
                  </li>
                ))}
              </ul>
              <p className="govuk-body govuk-!-margin-bottom-0">
                Dates of birth are written like 1984-03-12; <code className="th-code">district</code> is the ward code.
              </p>
            </div>
          </details>
          <form noValidate onSubmit={submit}>
            <div className={`govuk-form-group${errorFor(errors, FILE_FIELD) ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label govuk-label--m" htmlFor={FILE_FIELD}>
                Upload the roll file
              </label>
              <div className="govuk-hint" id={`${FILE_FIELD}-hint`}>
                A CSV file, up to 100,000 electors
              </div>
              {errorFor(errors, FILE_FIELD) ? (
                <p className="govuk-error-message" id={`${FILE_FIELD}-error`}>
                  <span className="govuk-visually-hidden">Error:</span> {errorFor(errors, FILE_FIELD)}
                </p>
              ) : null}
              <input
                className={`govuk-file-upload${errorFor(errors, FILE_FIELD) ? ' govuk-file-upload--error' : ''}`}
                id={FILE_FIELD}
                name={FILE_FIELD}
                type="file"
                accept=".csv,text/csv"
                aria-describedby={`${FILE_FIELD}-hint${errorFor(errors, FILE_FIELD) ? ` ${FILE_FIELD}-error` : ''}`}
                onChange={(event) => {
                  setFile(event.target.files?.[0] ?? null);
                  upload.reset();
                }}
              />
            </div>
            <button type="submit" className="govuk-button" disabled={upload.isPending} aria-disabled={upload.isPending}>
              {upload.isPending ? 'Checking the file…' : 'Upload and check'}
            </button>
          </form>
        </div>
      </div>
      {rollInvalid ? (
        <section aria-labelledby="problems-heading">
          <h2 className="govuk-heading-m" id="problems-heading">
            Problems in {file?.name ?? 'the file'}
          </h2>
          <p className="govuk-body">{rollInvalid.message}</p>
          <div className="th-table-scroll" role="region" tabIndex={0} aria-label="Problems in the roll file (scrolls sideways)">
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">Problems in the roll file</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Line
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Column
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Problem
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {problems.map((problem, position) => (
                  <tr className="govuk-table__row" key={position}>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{problem.line ?? '–'}</td>
                    <td className="govuk-table__cell">
                      <code className="th-code">{columnLabel(problem.column)}</code>
                    </td>
                    <td className="govuk-table__cell">{sentence(problem.message)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
