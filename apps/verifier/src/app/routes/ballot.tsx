import { ambiguousTrackingCodeError, ErrorSummary, TRACKING_CODE_HINT, TrackingCodeInput, WarningText, normaliseTrackingCode, trackingCodeError, type FieldError } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FileDrop } from '../../features/verification/components/file-drop.tsx';
import { useSessionState, useVerification } from '../../features/verification/components/verification-provider.tsx';
import type { BallotLookup } from '../../features/verification/lib/ballot-lookup.ts';
import { appConfig } from '../../config/app-config.ts';

const CODE_ID = 'tracking-code';
const FILE_ID = 'receipt-file';

/** "Check a tracking code or receipt" against the record verified on the previous page, with no server. */
export function BallotRoute() {
  const { session } = useVerification();
  const state = useSessionState(session);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [lookup, setLookup] = useState<BallotLookup | null>(null);

  if (!session || state?.phase !== 'done') {
    return (
      <>
        <title>{`Check a tracking code or receipt – ${appConfig.serviceName}`}</title>
        <h1 className="govuk-heading-l">Check a tracking code or receipt</h1>
        <p className="govuk-body">
          Your ballot is looked up in a verified record.{' '}
          <Link className="govuk-link" to={session ? '/record' : '/'}>
            {session ? 'Wait for the verification to finish' : 'Verify an election first'}
          </Link>
          .
        </p>
      </>
    );
  }

  async function submitCode(event: FormEvent) {
    event.preventDefault();
    const trackingCode = normaliseTrackingCode(code);
    const problem = trackingCodeError(trackingCode);
    if (problem) {
      setLookup(null);
      setErrors([{ fieldId: CODE_ID, message: problem }]);
      return;
    }
    const found = await session!.findBallot(trackingCode);
    if (found && !found.found && found.reason === 'ambiguous') {
      setLookup(null);
      setErrors([{ fieldId: CODE_ID, message: ambiguousTrackingCodeError(trackingCode) }]);
      return;
    }
    setErrors([]);
    setLookup(found);
  }

  async function chooseReceipt(file: File) {
    const result = await session!.checkReceipt(await file.text());
    if (!result) {
      setLookup(null);
      setErrors([{ fieldId: FILE_ID, message: 'The selected file is not a Townhall ballot receipt' }]);
      return;
    }
    setErrors([]);
    setCode(result.trackingCode);
    setLookup(result);
  }

  const codeError = errors.find((e) => e.fieldId === CODE_ID)?.message;
  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Check a tracking code or receipt – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{state.facts?.title ?? state.sourceName}</span>
          <h1 className="govuk-heading-l">Check a tracking code or receipt</h1>
          <p className="govuk-body">This looks your ballot up in the record you verified. Nothing is sent to the council.</p>
          <form noValidate onSubmit={(event) => void submitCode(event)}>
            <TrackingCodeInput id={CODE_ID} hint={TRACKING_CODE_HINT} error={codeError} value={code} onChange={setCode} />
            <button type="submit" className="govuk-button">
              Check
            </button>
          </form>
          <FileDrop
            id={FILE_ID}
            label="Or choose your receipt file"
            hint="The .json receipt you saved after voting. Its proof is checked against this record."
            accept="application/json,.json"
            error={errors.find((e) => e.fieldId === FILE_ID)?.message}
            onFile={(file) => void chooseReceipt(file)}
          />
          {lookup ? <LookupResult lookup={lookup} /> : null}
          <p className="govuk-body">
            <Link className="govuk-link" to="/record">
              Back to the verification result
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}

const COUNTED_TEXT = {
  counted: 'Yes: it is its voter’s last ballot before the close, so it is in the counted set.',
  superseded: 'No: the same voter cast a later ballot, which replaced this one.',
  'after-close': 'No: it was recorded after the election closed.',
  'not-closed': 'Not yet known: the election has not closed in this record. At the close, each voter’s last ballot is counted.',
} as const;

function LookupResult({ lookup }: { lookup: BallotLookup }) {
  if (!lookup.found) {
    return (
      <div id="ballot-result" aria-live="polite" data-testid="ballot-result">
        <h2 className="govuk-heading-m">{lookup.reason === 'spoiled' ? 'This ballot was audited, not cast' : 'This ballot is not in the record'}</h2>
        <p className="govuk-body">
          {lookup.reason === 'spoiled'
            ? `The code belongs to a ballot you chose to check (spoil) at ledger entry ${lookup.spoiledAt}. Audited ballots are never counted; the ballot you cast afterwards has its own tracking code.`
            : 'No ballot in this record has that tracking code. Check you typed it as you were shown it. If the record was downloaded before you voted, download it again.'}
        </p>
      </div>
    );
  }
  return (
    <div id="ballot-result" aria-live="polite" data-testid="ballot-result">
      <h2 className="govuk-heading-m">Your ballot is in the record</h2>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Tracking code</dt>
          <dd className="govuk-summary-list__value th-code">{lookup.trackingCode}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Position in the ledger</dt>
          <dd className="govuk-summary-list__value">Entry {lookup.index}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Counted</dt>
          <dd className="govuk-summary-list__value" data-testid="counted">
            {COUNTED_TEXT[lookup.counted]}
          </dd>
        </div>
        {lookup.receipt ? (
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Receipt</dt>
            <dd className="govuk-summary-list__value" data-testid="receipt-check">
              {lookup.receipt.isValid
                ? `Verified: the receipt’s checkpoint of ${lookup.receipt.checkpointSize} entries is signed by the election’s ledger, matches this record, and proves your ballot is in it.`
                : 'Failed: the receipt does not match this record.'}
            </dd>
          </div>
        ) : null}
      </dl>
      {lookup.receipt && !lookup.receipt.isValid ? (
        <>
          <ul className="govuk-list govuk-list--bullet" data-testid="receipt-problems">
            {lookup.receipt.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
          <WarningText>Keep your receipt and tell the council: it and the published record disagree.</WarningText>
        </>
      ) : null}
    </div>
  );
}
