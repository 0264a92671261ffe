import { ApiError, describePasskeyProblem, ErrorSummary, type FieldError, formatDateTime, LoadingMessage, Panel, TrusteeMinimumWarning, WarningText } from '@townhall/web-ui';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, useParams } from 'react-router';
import { MAX_SPOILS_PER_BALLOT_KEY, shortTrackingCode, type CastBallotResponse, type ElectionDetail, type SpoiledBallotView } from '@townhall/protocol';
import {
  castBallot,
  castRequest,
  getBallotStatus,
  getLogKeys,
  getSpoiledBallot,
  obtainVotingKey,
  spoilBallot,
  spoilRequest,
  useElection,
  useMyElections,
} from '../../../features/elections/api/elections.ts';
import { ElectionProblem } from '../../../features/elections/components/election-problem.tsx';
import { BallotForm } from '../../../features/elections/components/ballot-form.tsx';
import { ProgressLine } from '../../../features/elections/components/progress-line.tsx';
import { describeChoices, validateBallot, type Selections } from '../../../features/elections/lib/ballot-form.ts';
import { encryptInWorker, type EncryptedBallot } from '../../../features/elections/lib/encrypt-client.ts';
import { RECEIPT_FORMAT, receiptFileText, receiptLedgerOf, type ReceiptLogKeys } from '../../../features/elections/lib/receipt.ts';
import { loadVotingKey, type StoredVotingKey } from '../../../features/elections/lib/voting-key.ts';
import {
  saveBallotKey,
  savedBallotKeyQueryKey,
  unlockSavedBallotKey,
  useSavedBallotKey,
} from '../../../features/elections/api/ballot-key-vault.ts';
import { BallotKeyVaultError, newVaultSalt } from '../../../features/elections/lib/ballot-key-vault.ts';
import { useSession } from '../../../features/session/api/session.ts';
import { appConfig } from '../../../config/app-config.ts';

type Step =
  | { name: 'start' }
  | { name: 'ballot' }
  | { name: 'check-answers' }
  | { name: 'sealing' }
  | { name: 'prepared'; prepared: EncryptedBallot }
  | { name: 'opened'; opened: SpoiledBallotView; recorded: SpoiledBallotView | null; prepared: EncryptedBallot }
  | { name: 'cast'; cast: CastBallotResponse };

const START_BUTTON_ID = 'start-voting';
const CAST_BUTTON_ID = 'cast-ballot';

export function VoteRoute() {
  const { electionId = '' } = useParams();
  const session = useSession();
  const isResident = session.data?.principal.kind === 'resident';
  const election = useElection(electionId);
  const mine = useMyElections(isResident);
  const [step, setStep] = useState<Step>({ name: 'start' });
  const [key, setKey] = useState<StoredVotingKey | null>(() => loadVotingKey(electionId));
  const saved = useSavedBallotKey(electionId, isResident && election.data?.status === 'open');
  /** Why this tab's key was not saved for other devices, when it was made here and could not be. */
  const [vaultProblem, setVaultProblem] = useState<'no-prf' | 'not-saved' | null>(null);
  const queryClient = useQueryClient();
  const [selections, setSelections] = useState<Selections>({});
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Each step is a new "page": move focus to its heading, as a page load would.
  useEffect(() => {
    headingRef.current?.focus();
  }, [step.name]);

  // Voting is offered only while the election is open; before and after, its own page (public) says where it stands, and shows the result.
  if (election.data && election.data.status !== 'open' && step.name === 'start') return <Navigate to={`/elections/${electionId}`} replace />;
  if (session.data?.principal.kind === 'anonymous') return <Navigate to="/sign-in" replace state={{ from: `/elections/${electionId}/vote` }} />;
  if (election.isPending || session.isPending) return <LoadingMessage>Loading the election…</LoadingMessage>;
  if (election.isError) return <ElectionProblem error={election.error} />;
  const detail = election.data;
  const listed = mine.data?.elections.find((e) => e.id === electionId);

  function fail(fieldId: string | null, error: unknown, ceremony?: 'sign-in') {
    setErrors([{ fieldId, message: ceremony ? describePasskeyProblem(error, ceremony) : describeProblem(error) }]);
  }

  async function start() {
    setErrors([]);
    if (key) return setStep({ name: 'ballot' });
    setBusy(true);
    try {
      const obtained = await obtainVotingKey(electionId, newVaultSalt());
      setKey(obtained.key);
      // Saved for other devices only if the passkey gave a PRF output; otherwise the page says so before casting.
      if (!obtained.prf) setVaultProblem('no-prf');
      else {
        try {
          queryClient.setQueryData(savedBallotKeyQueryKey(electionId), await saveBallotKey(detail, obtained.key, obtained.prf));
        } catch {
          setVaultProblem('not-saved');
        }
      }
      setStep({ name: 'ballot' });
    } catch (error) {
      fail(START_BUTTON_ID, error, 'sign-in');
    } finally {
      setBusy(false);
    }
  }

  /** Another tab or device: the voting key saved with the server, opened with the passkey's PRF. */
  async function unlock() {
    if (!saved.data) return;
    setErrors([]);
    setBusy(true);
    try {
      setKey(await unlockSavedBallotKey(detail, saved.data));
      setStep({ name: 'ballot' });
    } catch (error) {
      setErrors([{ fieldId: START_BUTTON_ID, message: describeUnlockProblem(error) }]);
    } finally {
      setBusy(false);
    }
  }

  async function seal() {
    setErrors([]);
    setStep({ name: 'sealing' });
    try {
      const prepared = await encryptInWorker({ contests: detail.contests, choices: selections, electionKey: detail.electionKey!, fingerprint: detail.fingerprint! });
      setStep({ name: 'prepared', prepared });
    } catch (error) {
      setStep({ name: 'check-answers' });
      fail(null, error);
    }
  }

  async function openForChecking(prepared: EncryptedBallot) {
    setErrors([]);
    setBusy(true);
    try {
      const opened = await spoilBallot(electionId, spoilRequest(detail, key!, prepared));
      // Read it back as the ledger recorded it, not only as the answer said.
      const recorded = await getSpoiledBallot(electionId, prepared.trackingCode).catch(() => null);
      setStep({ name: 'opened', opened, recorded, prepared });
    } catch (error) {
      fail(null, error);
    } finally {
      setBusy(false);
    }
  }

  async function cast(prepared: EncryptedBallot) {
    setErrors([]);
    setBusy(true);
    try {
      const answer = await castBallot(electionId, castRequest(detail, key!, prepared));
      setStep({ name: 'cast', cast: answer });
      void mine.refetch();
    } catch (error) {
      fail(CAST_BUTTON_ID, error);
    } finally {
      setBusy(false);
    }
  }

  const progress = { start: 0, ballot: 1, 'check-answers': 2, sealing: 3, prepared: 3, opened: 3, cast: 4 }[step.name];
  const stepTitle = {
    start: detail.title,
    ballot: 'Choose your answers',
    'check-answers': 'Check your answers before sealing your ballot',
    sealing: 'Sealing your ballot',
    prepared: 'Your ballot is sealed and ready to cast',
    opened: 'Your ballot’s encryption has been checked',
    cast: 'Ballot cast',
  }[step.name];

  const hasCredentialElsewhere = !key && listed?.hasCredential === true;
  const canUnlock = hasCredentialElsewhere && Boolean(saved.data);
  const lostKey = hasCredentialElsewhere && saved.data === null;
  // This tab's key exists only here: say so before a ballot is cast with it.
  const isThisTabOnly = key !== null && saved.data === null;

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${stepTitle} – ${detail.title} – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors} />
      {step.name === 'cast' ? (
        <Confirmation
          election={detail}
          cast={step.cast}
          isThisTabOnly={isThisTabOnly}
          onVoteAgain={() => setStep({ name: 'ballot' })}
          headingRef={headingRef}
        />
      ) : (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <span className="govuk-caption-l">{step.name === 'start' ? 'Vote online' : detail.title}</span>
            <h1 className="govuk-heading-l" tabIndex={-1} ref={headingRef}>
              {stepTitle}
            </h1>
            <TrusteeMinimumWarning ceremony={detail.manifest?.ceremony} />
            <ProgressLine current={progress} />

            {step.name === 'start' ? (
              <>
                {detail.description ? <p className="govuk-body">{detail.description}</p> : null}
                {lostKey ? (
                  <>
                    <p className="govuk-body">You can vote until {formatDateTime(detail.closesAt)}. Only your last ballot counts.</p>
                    <WarningText>
                      You got your voting key in another browser tab, and it could not be saved for use elsewhere. You can vote
                      again only from that tab, until it is closed. Your last ballot cast there still counts.
                    </WarningText>
                  </>
                ) : (
                  <p className="govuk-body">
                    You can vote until {formatDateTime(detail.closesAt)}. You can vote again as many times as you like until then: only
                    your last ballot counts.
                  </p>
                )}
                {canUnlock ? (
                  <>
                    <div className="govuk-inset-text">
                      You already have a voting key for this election. It is saved, locked with your passkey: only you can unlock
                      it, on any device where you can use that passkey.
                    </div>
                    <p className="govuk-body">To vote again from here, confirm it’s you with the same passkey you used before.</p>
                  </>
                ) : !lostKey ? (
                  <>
                    <p className="govuk-body">
                      First your passkey confirms it’s you. Your phone or computer then makes a voting key: the council can check
                      your ballot is from someone allowed to vote, but cannot tell it is yours.
                    </p>
                    <p className="govuk-body">
                      If your passkey supports it, the voting key is also locked with your passkey and saved, so you can vote again
                      from any device where you can use that passkey. Nobody else can unlock it, not even the council.
                    </p>
                  </>
                ) : null}
                {canUnlock ? (
                  <button
                    type="button"
                    id={START_BUTTON_ID}
                    className="govuk-button"
                    data-module="govuk-button"
                    disabled={busy}
                    onClick={() => void unlock()}
                  >
                    Confirm it’s you and vote again
                  </button>
                ) : !lostKey ? (
                  <button
                    type="button"
                    id={START_BUTTON_ID}
                    className="govuk-button"
                    data-module="govuk-button"
                    disabled={busy || (hasCredentialElsewhere && saved.isPending)}
                    onClick={() => void start()}
                  >
                    {key ? 'Continue to your ballot' : 'Confirm it’s you and start'}
                  </button>
                ) : null}
                {busy ? <LoadingMessage>Waiting for your passkey…</LoadingMessage> : null}
                <p className="govuk-body">
                  <Link className="govuk-link" to={`/elections/${electionId}/check`}>
                    Check a ballot you have cast
                  </Link>
                </p>
              </>
            ) : null}

            {step.name === 'ballot' ? (
              <BallotForm
                contests={detail.contests}
                selections={selections}
                errors={errors}
                onChange={setSelections}
                onSubmit={() => {
                  const problems = validateBallot(detail.contests, selections);
                  setErrors(problems);
                  if (problems.length === 0) setStep({ name: 'check-answers' });
                }}
              />
            ) : null}

            {step.name === 'check-answers' ? (
              <>
                <dl className="govuk-summary-list govuk-!-margin-bottom-9">
                  {detail.contests.map((contest) => {
                    const labels = describeChoices(contest, selections[contest.id] ?? []);
                    return (
                      <div key={contest.id} className="govuk-summary-list__row">
                        <dt className="govuk-summary-list__key">{contest.title}</dt>
                        <dd className="govuk-summary-list__value">{labels.length ? labels.join(', ') : 'No answer'}</dd>
                        <dd className="govuk-summary-list__actions">
                          <a
                            className="govuk-link"
                            href="#change"
                            onClick={(event) => {
                              event.preventDefault();
                              setStep({ name: 'ballot' });
                            }}
                          >
                            Change<span className="govuk-visually-hidden"> {contest.title}</span>
                          </a>
                        </dd>
                      </div>
                    );
                  })}
                </dl>
                <p className="govuk-body">Your ballot is sealed (encrypted) on this device before it is sent. Nobody can read it on its own, not even the council.</p>
                <button type="button" className="govuk-button" data-module="govuk-button" onClick={() => void seal()}>
                  Seal my ballot
                </button>
              </>
            ) : null}

            {step.name === 'sealing' ? <LoadingMessage>Sealing your ballot on this device…</LoadingMessage> : null}

            {step.name === 'prepared' ? (
              <>
                <p className="govuk-body">
                  Sealed ballot code: <strong className="th-code">{shortTrackingCode(step.prepared.trackingCode)}</strong>
                </p>
                {isThisTabOnly ? <ThisTabOnlyWarning problem={vaultProblem} /> : null}
                <div className="govuk-button-group">
                  <button type="button" id={CAST_BUTTON_ID} className="govuk-button" data-module="govuk-button" disabled={busy} onClick={() => void cast(step.prepared)}>
                    Cast my ballot
                  </button>
                  <button type="button" className="govuk-button govuk-button--secondary" data-module="govuk-button" disabled={busy} onClick={() => void openForChecking(step.prepared)}>
                    Check this ballot’s encryption
                  </button>
                </div>
                <details className="govuk-details">
                  <summary className="govuk-details__summary">
                    <span className="govuk-details__summary-text">What does checking the encryption do?</span>
                  </summary>
                  <div className="govuk-details__text">
                    It proves your device sealed what you chose and nothing else. The sealed ballot is opened in public and shown to you; an opened ballot
                    can never be cast, so your device then seals a fresh one for you to cast. You can do this check up to {MAX_SPOILS_PER_BALLOT_KEY} times in this election.
                  </div>
                </details>
                {busy ? <LoadingMessage>Sending…</LoadingMessage> : null}
              </>
            ) : null}

            {step.name === 'opened' ? (
              <>
                <p className="govuk-body">
                  The ballot with code <strong className="th-code">{shortTrackingCode(step.opened.trackingCode)}</strong> was opened in public and recorded in the
                  election’s ledger at position {step.opened.ledgerIndex}. This is what it contained:
                </p>
                <OpenedBallot election={detail} opened={step.recorded ?? step.opened} selections={selections} />
                <p className="govuk-body">This ballot can no longer be cast. Your device will seal a fresh ballot with the same answers.</p>
                <button type="button" className="govuk-button" data-module="govuk-button" onClick={() => void seal()}>
                  Seal a fresh ballot
                </button>
              </>
            ) : null}
          </div>
        </div>
      )}
    </>
  );
}

function OpenedBallot({ election, opened, selections }: { election: ElectionDetail; opened: SpoiledBallotView; selections: Selections }) {
  const matches = election.contests.every((c) => sameSet(opened.choices[c.id] ?? [], selections[c.id] ?? []));
  return (
    <>
      <dl className="govuk-summary-list">
        {election.contests.map((contest) => {
          const labels = describeChoices(contest, opened.choices[contest.id] ?? []);
          return (
            <div key={contest.id} className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">{contest.title}</dt>
              <dd className="govuk-summary-list__value">{labels.length ? labels.join(', ') : 'No answer'}</dd>
            </div>
          );
        })}
      </dl>
      {matches ? (
        <div className="govuk-inset-text">The opened ballot matches the answers you chose.</div>
      ) : (
        <WarningText>The opened ballot does not match the answers you chose. Do not cast a ballot from this device; tell the council.</WarningText>
      )}
    </>
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function Confirmation({
  election,
  cast,
  isThisTabOnly,
  onVoteAgain,
  headingRef,
}: {
  election: ElectionDetail;
  cast: CastBallotResponse;
  isThisTabOnly: boolean;
  onVoteAgain(): void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const [receipt, setReceipt] = useState<string | null>(cast.receipt);
  const [href, setHref] = useState<string | null>(null);
  const [keys, setKeys] = useState<ReceiptLogKeys | null>(null);

  useEffect(() => {
    if (election.logName) getLogKeys(election.logName).then(setKeys, () => undefined);
  }, [election.logName]);

  // A receipt needs a published checkpoint covering the ballot: ask again until it is there.
  useEffect(() => {
    if (receipt !== null) return;
    let stopped = false;
    let tries = 0;
    const timer = setInterval(() => {
      if (stopped || ++tries > 60) return clearInterval(timer);
      getBallotStatus(election.id, cast.trackingCode)
        .then((status) => {
          if (!stopped && status.receipt) {
            setReceipt(status.receipt);
            clearInterval(timer);
          }
        })
        .catch(() => undefined);
    }, 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [receipt, election.id, cast.trackingCode]);

  useEffect(() => {
    const text = receiptFileText({
      format: RECEIPT_FORMAT,
      version: 1,
      electionId: election.id,
      electionTitle: election.title,
      fingerprint: election.fingerprint!,
      trackingCode: cast.trackingCode,
      shortCode: cast.shortCode,
      ledgerIndex: cast.ledgerIndex,
      leafHash: cast.leafHash,
      proof: receipt,
      ledger: keys ? receiptLedgerOf(keys) : null,
    });
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [receipt, keys, election, cast]);

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title" tabIndex={-1} ref={headingRef}>
            Ballot cast
          </h1>
          <div className="govuk-panel__body">
            Your tracking code
            <br />
            <strong data-testid="tracking-code">{cast.shortCode}</strong>
          </div>
        </div>
        <p className="govuk-body">
          Your full tracking code is <span className="th-code govuk-!-font-size-16">{cast.trackingCode}</span>. It does not show how you voted.
        </p>
        <h2 className="govuk-heading-m">Keep a receipt</h2>
        <p className="govuk-body">
          The receipt proves your ballot is in the election’s public ledger. Anyone can check it, even without this website.
        </p>
        {href ? (
          <p className="govuk-body">
            <a className="govuk-link" href={href} download={`ballot-receipt-${cast.shortCode}.json`}>
              Download your receipt{receipt && keys ? '' : ' (the ledger proof will be added in a moment)'}
            </a>
          </p>
        ) : null}
        <p className="govuk-body">
          <Link className="govuk-link" to={`/elections/${election.id}/check`} state={{ trackingCode: cast.trackingCode }}>
            Check my ballot
          </Link>
        </p>
        <h2 className="govuk-heading-m">Changed your mind?</h2>
        <p className="govuk-body">
          You can vote again until {formatDateTime(election.closesAt)}
          {isThisTabOnly ? ', from this browser tab only' : ', from this or any other device where you can use your passkey'}.
          Only your last ballot counts; earlier ones stay in the ledger but are not counted.
        </p>
        <button type="button" className="govuk-button govuk-button--secondary" data-module="govuk-button" onClick={onVoteAgain}>
          Vote again
        </button>
      </div>
    </div>
  );
}

/** Said before casting when the voting key is kept only in this tab (docs/protocol/key-ceremony-and-credentials.md §6.2). */
function ThisTabOnlyWarning({ problem }: { problem: 'no-prf' | 'not-saved' | null }) {
  const why =
    problem === 'no-prf'
      ? 'Your passkey cannot lock your voting key for use on other devices.'
      : problem === 'not-saved'
        ? 'Your voting key could not be saved for use on other devices.'
        : 'Your voting key is kept only in this browser tab.';
  return (
    <WarningText>
      {why} After you cast this ballot, you can vote again only from this browser tab, until you close it. Your last ballot counts.
    </WarningText>
  );
}

function describeUnlockProblem(error: unknown): string {
  if (error instanceof BallotKeyVaultError) {
    if (error.reason === 'tampered') {
      return 'Your saved voting key could not be opened: it has been changed, or it is not for this election. Nothing was cast. '
        + 'Please tell the council.';
    }
    return 'That passkey could not unlock your saved voting key. Use the same passkey you used to vote before, or vote again from '
      + 'that browser tab.';
  }
  if (error instanceof ApiError) return describeProblem(error);
  return describePasskeyProblem(error, 'sign-in');
}

function describeProblem(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'NETWORK_ERROR':
        return 'The service could not be reached. Check your connection and try again.';
      case 'ELECTION_WRONG_PHASE':
        return 'This election is not open for voting any more.';
      default:
        return error.message;
    }
  }
  return error instanceof Error ? `Your ballot could not be sealed: ${error.message}` : 'Something unexpected went wrong.';
}
