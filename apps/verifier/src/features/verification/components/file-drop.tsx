import { useState, type DragEvent, type ReactNode } from 'react';

interface FileDropProps {
  id: string;
  label: ReactNode;
  hint: ReactNode;
  error?: string | undefined;
  accept: string;
  onFile: (file: File) => void;
}

/**
 * A GOV.UK file upload inside a drop zone: the native input works with a keyboard, a screen reader
 * and a phone's file picker; dropping a file anywhere on the zone does the same as choosing it.
 */
export function FileDrop({ id, label, hint, error, accept, onFile }: FileDropProps) {
  const [isOver, setIsOver] = useState(false);
  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setIsOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  }
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {label}
      </label>
      <div className="govuk-hint" id={`${id}-hint`}>
        {hint}
      </div>
      {error ? (
        <p className="govuk-error-message" id={`${id}-error`}>
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      <div
        className={`th-drop-zone${isOver ? ' th-drop-zone--over' : ''}`}
        data-testid={`${id}-drop-zone`}
        onDragOver={(event) => {
          event.preventDefault();
          setIsOver(true);
        }}
        onDragLeave={() => setIsOver(false)}
        onDrop={drop}
      >
        <input
          className={`govuk-file-upload${error ? ' govuk-file-upload--error' : ''}`}
          id={id}
          name={id}
          type="file"
          accept={accept}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) onFile(file);
            event.target.value = '';
          }}
        />
        <p className="govuk-body govuk-!-margin-bottom-0 govuk-!-margin-top-2" aria-hidden="true">
          or drop the file here
        </p>
      </div>
    </div>
  );
}

/**
 * Reads the start of a file to say early, in words, when it is not a record. Which kind of record it
 * is, the worker tells from the first line (as `townhall-verify` does).
 */
export async function describeRecordFileProblem(file: File): Promise<string | null> {
  if (file.size === 0) return 'The selected file is empty';
  const head = await file.slice(0, 512).text();
  if (!head.startsWith('{')) return 'The selected file is not a record: it must be the .jsonl file of an election’s or a contract’s record';
  if (!head.includes('"townhall/election-record"') && !head.includes('"townhall/contract-record"')) {
    return head.includes('"townhall/ballot-receipt"')
      ? 'The selected file is a ballot receipt, not an election record: verify the election first, then check your receipt'
      : 'The selected file is not a Townhall record (its first line must name townhall/election-record or townhall/contract-record)';
  }
  return null;
}
