import {
  ambiguousTrackingCodeError,
  ApiError,
  ErrorSummary,
  type FieldError,
  formatDateTime,
  groupedCode,
  isFullTrackingCode,
  LoadingMessage,
  normaliseTrackingCode,
  TRACKING_CODE_HINT,
  TrackingCodeInput,
  trackingCodeError,
  WarningText,
} from '@townhall/web-ui';
import { ElectionProblem } from '../../../features/elections/components/election-problem.tsx';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useLocation, useParams } from 'react-router';
import type { BallotStatus } from '@townhall/protocol';
import { findBallotCodes, getBallotStatus, getLogKeys, useElection } from '../../../features/elections/api/elections.ts';
import { checkReceipt, keysOfReceipt, parseReceiptFile, sameLedgerKeys, type BallotReceiptFile, type ReceiptCheck } from '../../../features/elections/lib/receipt.ts';
import { appConfig } from '../../../config/app-config.ts';

const CODE_ID = 'tracking-code';
const FILE_ID = 'receipt-file';

interface Result {
  status: BallotStatus;
  /** The proof checked in this browser (from the file, else from the server's answer). */
  check: ReceiptCheck | null;
  fromFile: boolean;
  /** A receipt file's log keys differ from the ones the server publishes now. */
  keysDiffer: boolean;
}

/** "Check my ballot": a tracking code or a receipt file → inclusion in the ledger and, after close, whether it counted. */
export function CheckBallotRoute() {
  const { electionId = '' } = useParams();
  const location = useLocation();
  const election = useElection(electionId);
  const [code, setCode] = useState<string>(() => (location.state as { trackingCode?: string } | null)?.trackingCode ?? '');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);

  async function look(trackingCode: string, file: BallotReceiptFile | null) {
    setBusy(true);
    setResult(null);
    try {
      const status = await getBallotStatus(electionId, trackingCode);
      const proof = file?.proof ?? status.receipt;
      let check: ReceiptCheck | null = null;
      let keysDiffer = false;
      if (proof && election.data?.logName) {
        const serverKeys = await getLogKeys(election.data.logName);
        // A receipt file is checked with the keys it carries (as an offline verifier would), and
        // those are compared with the keys the server publishes today.
        const keys = file?.ledger ? keysOfReceipt(file.ledger) : serverKeys;
        keysDiffer = !sameLedgerKeys(keys, serverKeys);
        check = await checkReceipt(proof, keys, file ? { trackingCode, leafHash: file.leafHash } : { trackingCode });
      }
      setResult({ status, check, fromFile: file !== null, keysDiffer });
      setErrors([]);
    } catch (error) {
      const message =
        error instanceof ApiError && error.code === 'NOT_FOUND'
          ? 'There is no ballot with that tracking code in this election. Check you typed it as you were shown it.'
          : error instanceof ApiError
            ? error.message
            : 'Something unexpected went wrong.';
      setErrors([{ fieldId: file ? FILE_ID : CODE_ID, message }]);
    } finally {
      setBusy(false);
    }
  }

  function submitCode(event: FormEvent) {
    event.preventDefault();
    const trackingCode = normaliseTrackingCode(code);
    const problem = trackingCodeError(trackingCode);
    if (problem) {
      setResult(null);
      setErrors([{ fieldId: CODE_ID, message: problem }]);
      return;
    }
    if (isFullTrackingCode(trackingCode)) return void look(trackingCode, null);
    void lookUpStart(trackingCode);
  }

  /** The short code a voter is shown (or any start of the code): the one ballot it names is checked; two or more need more characters. */
  async function lookUpStart(digits: string) {
    setBusy(true);
    setResult(null);
    try {
      const { trackingCodes } = await findBallotCodes(electionId, digits);
      if (trackingCodes.length === 1) return void (await look(trackingCodes[0]!, null));
      setErrors([
        {
          fieldId: CODE_ID,
          message:
            trackingCodes.length === 0
              ? `There is no ballot with a tracking code starting ${groupedCode(digits)} in this election. Check you typed it as you were shown it.`
              : ambiguousTrackingCodeError(digits),
        },
      ]);
    } catch (error) {
      setErrors([{ fieldId: CODE_ID, message: error instanceof ApiError ? error.message : 'Something unexpected went wrong.' }]);
    } finally {
      setBusy(false);
    }
  }

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const receipt = parseReceiptFile(await file.text());
    if (!receipt) {
      setResult(null);
      setErrors([{ fieldId: FILE_ID, message: 'The selected file is not a Townhall ballot receipt' }]);
      return;
    }
    if (receipt.electionId !== electionId) {
      setResult(null);
      setErrors([{ fieldId: FILE_ID, message: `The selected receipt is for another election (“${receipt.electionTitle}”)` }]);
      return;
    }
    setCode(receipt.trackingCode);
    void look(receipt.trackingCode, receipt);
  }

  if (election.isPending) return <LoadingMessage>Loading the election…</LoadingMessage>;
  if (election.isError) return <ElectionProblem error={election.error} />;
  const codeError = errors.find((e) => e.fieldId === CODE_ID);
  const fileError = errors.find((e) => e.fieldId === FILE_ID);

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Check my ballot – ${election.data.title} – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{election.data.title}</span>
          <h1 className="govuk-heading-l">Check my ballot</h1>
          <p className="govuk-body">Enter the tracking code you were given when you cast your ballot, or choose your receipt file.</p>
          <form noValidate onSubmit={submitCode}>
            <TrackingCodeInput id={CODE_ID} hint={TRACKING_CODE_HINT} error={codeError?.message} value={code} onChange={setCode} />
            <button type="submit" className="govuk-button" data-module="govuk-button" disabled={busy}>
              Check
            </button>
          </form>
          <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
            <label className="govuk-label govuk-label--s" htmlFor={FILE_ID}>
              Or upload your receipt file
            </label>
            {fileError ? (
              <p id={`${FILE_ID}-error`} className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {fileError.message}
              </p>
            ) : null}
            <input
              className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
              id={FILE_ID}
              name="receipt"
              type="file"
              accept="application/json,.json"
              aria-describedby={fileError ? `${FILE_ID}-error` : undefined}
              onChange={(event) => void chooseFile(event)}
            />
          </div>
          {busy ? <LoadingMessage>Checking…</LoadingMessage> : null}
          {result ? <BallotResult result={result} /> : null}
        </div>
      </div>
    </>
  );
}

function BallotResult({ result }: { result: Result }) {
  const { status, check } = result;
  return (
    <div id="ballot-result" aria-live="polite">
      <h2 className="govuk-heading-m">Your ballot is in the ledger</h2>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Tracking code</dt>
          <dd className="govuk-summary-list__value th-code">{status.trackingCode}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Cast</dt>
          <dd className="govuk-summary-list__value">{formatDateTime(status.castAt)}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Position in the ledger</dt>
          <dd className="govuk-summary-list__value">{status.ledgerIndex}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Proof checked by this browser</dt>
          <dd className="govuk-summary-list__value" data-testid="receipt-check">
            {check === null
              ? 'Not yet: the ledger has not published a checkpoint covering this ballot. Try again in a minute.'
              : check.status === 'verified'
                ? `Verified: the election’s ledger signed a checkpoint of ${check.treeSize} entries that includes this ballot${check.cosignatures > 0 ? `, cosigned by ${check.cosignatures} independent witness${check.cosignatures === 1 ? '' : 'es'}` : ''}.`
                : `Failed: ${check.reason}`}
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Counted</dt>
          <dd className="govuk-summary-list__value" data-testid="counted">
            {status.counted === null
              ? 'The election has not closed yet. At close, each voter’s last ballot is counted.'
              : status.counted
                ? 'Yes: this ballot is in the counted set.'
                : 'No: a later ballot from the same voter replaced it, or it arrived after the election closed.'}
          </dd>
        </div>
      </dl>
      {result.keysDiffer ? <WarningText>Your receipt names different ledger keys from the ones this service publishes now. Keep your receipt and tell the council.</WarningText> : null}
      {check?.status === 'failed' ? <WarningText>The proof did not verify in your browser. Keep your receipt and tell the council.</WarningText> : null}
    </div>
  );
}
