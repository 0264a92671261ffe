import type { TrusteeSecrets } from '@townhall/crypto';
import type { CeremonyState, ElectionDetail, TallyState } from '@townhall/protocol';
import { errorFor, ErrorSummary, type FieldError, LoadingMessage, ProblemBanner, TextInput, WarningText } from '@townhall/web-ui';
import { useEffect, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useCeremony, useElection, useTally } from '../../../features/elections/api/elections.ts';
import { CeremonyProgress } from '../../../features/elections/components/ceremony-progress.tsx';
import { ElectionResults } from '../../../features/elections/components/election-results.tsx';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { useTrusteePost } from '../../../features/trustee/api/trustee.ts';
import { KeyFileWorking } from '../../../features/trustee/components/key-file-working.tsx';
import { keyFilesInWorker } from '../../../features/trustee/lib/key-file-client.ts';
import {
  KeyFileError,
  computeTallyShares,
  createTrusteeKey,
  deriveSecretShare,
  encryptSharesForOthers,
  judgeReceivedShares,
  openTrusteeKey,
} from '../../../features/trustee/lib/trustee-key.ts';
import { ballotsCounted, trusteesDecrypted } from '../../../features/elections/lib/decryption-progress.ts';
import { appConfig } from '../../../config/app-config.ts';

export function TrusteeElectionRoute() {
  return (
    <RequireStaff roles={['trustee']}>
      <TrusteeElection />
    </RequireStaff>
  );
}

const MIN_PASSPHRASE = 12;
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : 'Something unexpected went wrong');

function TrusteeElection() {
  const { electionId = '' } = useParams();
  const election = useElection(electionId, { live: true });
  const ceremony = useCeremony(electionId, election.data !== undefined && election.data.status !== 'draft');
  const tally = useTally(electionId, election.data?.status === 'tallied' || election.data?.status === 'published');
  // The key lives in this tab only; reloading the page means opening the saved file again.
  const [secrets, setSecrets] = useState<TrusteeSecrets | null>(null);

  if (election.isPending) return <LoadingMessage>Loading the election…</LoadingMessage>;
  if (election.isError) return <ProblemBanner what="the election" error={election.error} />;
  const e = election.data;
  const state = ceremony.data;
  return (
    <>
      <title>{`Trustee: ${e.title} – ${appConfig.serviceName}`}</title>
      <span className="govuk-caption-l">Trustee</span>
      <h1 className="govuk-heading-l">{e.title}</h1>
      {e.status === 'draft' ? <p className="govuk-body">The key ceremony has not started yet. This page will update when it does.</p> : null}
      {ceremony.isError ? <ProblemBanner what="the key ceremony" error={ceremony.error} /> : null}
      {state && state.yourIndex === null ? <p className="govuk-body">You are not a trustee of this election.</p> : null}
      {state && state.yourIndex !== null ? (
        <>
          <p className="govuk-body" data-testid="your-index">
            You are trustee {state.yourIndex} of {state.trustees.length}. Any {state.threshold} trustees together can decrypt the result.
          </p>
          {state.status === 'key-ceremony' ? <CeremonySteps electionId={electionId} state={state} index={state.yourIndex} secrets={secrets} onSecrets={setSecrets} /> : null}
          {e.status === 'ready' || e.status === 'open' || e.status === 'closed' ? (
            <div className="govuk-inset-text">
              The key ceremony is complete. Keep your key file and its passphrase safe: you will need both when the election has closed and the tally starts.
            </div>
          ) : null}
          {e.status === 'tallied' && tally.data ? <TallyStep election={e} state={state} tally={tally.data} index={state.yourIndex} /> : null}
          {e.status === 'published' && tally.data ? (
            <>
              <h2 className="govuk-heading-m">Result</h2>
              <ElectionResults election={e} tally={tally.data} />
            </>
          ) : null}
          <CeremonyProgress state={state} />
        </>
      ) : null}
    </>
  );
}

function CeremonySteps({ electionId, state, index, secrets, onSecrets }: { electionId: string; state: CeremonyState; index: number; secrets: TrusteeSecrets | null; onSecrets: (s: TrusteeSecrets) => void }) {
  const me = state.trustees.find((t) => t.index === index)!;
  const post = useTrusteePost(electionId);
  const [keyFile, setKeyFile] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const allCommitted = state.trustees.every((t) => t.commitment !== null);
  const sharesForMe = state.shares.filter((s) => s.to === index).length;

  async function run(step: () => Promise<unknown>) {
    setProblem(null);
    try {
      await step();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  }

  return (
    <>
      {problem ? <ProblemBanner what="" headline="That step did not work." error={new Error(problem)} /> : null}
      {me.commitment === null ? (
        <CreateKeyStep
          onCreate={async (passphrase) => {
            const key = await createTrusteeKey(state, index, passphrase, { keyFiles: keyFilesInWorker });
            await post.commit.mutateAsync(key.commitment);
            setKeyFile(key.file);
            onSecrets(key.secrets);
          }}
        />
      ) : null}
      {keyFile ? <SaveKeyFile file={keyFile} fingerprint={state.fingerprint} index={index} /> : null}
      {me.commitment !== null && secrets === null && me.verdict === 'pending' ? (
        <KeyFileForm
          heading="Open your key file to continue"
          submitLabel="Open the key file"
          onOpen={async (text, passphrase) => onSecrets(await openTrusteeKey(text, passphrase, state, index, keyFilesInWorker))}
        />
      ) : null}
      {secrets && me.commitment !== null && !me.sharesSent ? (
        <section aria-labelledby="shares-heading">
          <h2 className="govuk-heading-m" id="shares-heading">
            Step 2: send your shares
          </h2>
          {allCommitted ? (
            <>
              <p className="govuk-body">Everyone has published a commitment. Your browser encrypts a share of your key to each other trustee.</p>
              <button type="button" className="govuk-button" disabled={post.sendShares.isPending} onClick={() => void run(() => post.sendShares.mutateAsync(encryptSharesForOthers(state, index, secrets)))}>
                Send your shares
              </button>
            </>
          ) : (
            <p className="govuk-body" role="status">
              Waiting for {state.trustees.filter((t) => t.commitment === null).length} more trustees to publish their commitments.
            </p>
          )}
        </section>
      ) : null}
      {secrets && me.sharesSent && me.verdict === 'pending' ? (
        <section aria-labelledby="check-heading">
          <h2 className="govuk-heading-m" id="check-heading">
            Step 3: check the shares sent to you
          </h2>
          {sharesForMe === state.trustees.length - 1 ? (
            <>
              <p className="govuk-body">Your browser decrypts each share and checks it against its sender’s commitment. A share that does not match is reported as a complaint, with a proof.</p>
              <button type="button" className="govuk-button" disabled={post.verdict.isPending} onClick={() => void run(() => post.verdict.mutateAsync(judgeReceivedShares(state, index, secrets)))}>
                Check the shares sent to you
              </button>
            </>
          ) : (
            <p className="govuk-body" role="status">
              {sharesForMe} of {state.trustees.length - 1} shares addressed to you have arrived. Waiting for the others.
            </p>
          )}
        </section>
      ) : null}
      {me.verdict === 'accepted' ? (
        <div className="govuk-inset-text" data-testid="accepted">
          You accepted the shares sent to you. The election key is published when every trustee has.
        </div>
      ) : null}
      {me.verdict === 'complained' ? (
        <div className="govuk-inset-text" data-testid="complained">
          You complained about a share: the ceremony is being judged.
        </div>
      ) : null}
    </>
  );
}

function CreateKeyStep({ onCreate }: { onCreate: (passphrase: string) => Promise<void> }) {
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [working, setWorking] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (passphrase.length < MIN_PASSPHRASE) found.push({ fieldId: 'passphrase', message: `Enter a passphrase of at least ${MIN_PASSPHRASE} characters` });
    else if (confirmation !== passphrase) found.push({ fieldId: 'passphrase-confirmation', message: 'The passphrases do not match' });
    setErrors(found);
    if (found.length) return;
    setWorking(true);
    try {
      await onCreate(passphrase);
    } catch (error) {
      setErrors([{ fieldId: null, message: errorMessage(error) }]);
    } finally {
      setWorking(false);
    }
  }

  return (
    <section aria-labelledby="create-heading">
      <ErrorSummary errors={errors} />
      <h2 className="govuk-heading-m" id="create-heading">
        Step 1: make your part of the key
      </h2>
      <p className="govuk-body">
        Your browser makes your secret key share and publishes only a commitment to it. The secret is saved in a file protected by a passphrase you choose; it is never sent to the
        server.
      </p>
      <form noValidate aria-busy={working} onSubmit={(e) => void submit(e)}>
        <TextInput id="passphrase" label="Choose a passphrase" hint={`At least ${MIN_PASSPHRASE} characters. Nobody can recover it for you.`} type="password" autoComplete="new-password" error={errorFor(errors, 'passphrase')} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        <TextInput id="passphrase-confirmation" label="Type the passphrase again" type="password" autoComplete="new-password" error={errorFor(errors, 'passphrase-confirmation')} value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
        <button type="submit" className="govuk-button" disabled={working}>
          Make my key and publish the commitment
        </button>
        {working ? <KeyFileWorking>Making your key and sealing your key file.</KeyFileWorking> : null}
      </form>
    </section>
  );
}

function SaveKeyFile({ file, fingerprint, index }: { file: string; fingerprint: string; index: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([file], { type: 'application/json' }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  return (
    <div className="govuk-notification-banner govuk-notification-banner--success" role="region" aria-labelledby="key-file-title">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="key-file-title">
          Save your key file
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">Your commitment is published.</p>
        <WarningText>Save this file now and keep it somewhere safe. Without it and its passphrase you cannot help decrypt the result.</WarningText>
        {url ? (
          <a className="govuk-button govuk-!-margin-bottom-0" href={url} download={`townhall-trustee-${index}-${fingerprint.slice(0, 12)}.json`}>
            Download your key file
          </a>
        ) : null}
      </div>
    </div>
  );
}

function KeyFileForm({ heading, submitLabel, onOpen }: { heading: string; submitLabel: string; onOpen: (text: string, passphrase: string) => Promise<void> }) {
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [working, setWorking] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!file) found.push({ fieldId: 'key-file', message: 'Select your key file' });
    if (!passphrase) found.push({ fieldId: 'key-passphrase', message: 'Enter the passphrase of your key file' });
    setErrors(found);
    if (found.length || !file) return;
    setWorking(true);
    try {
      await onOpen(await file.text(), passphrase);
    } catch (error) {
      const fieldId = error instanceof KeyFileError ? (error.problem === 'wrong-passphrase' ? 'key-passphrase' : 'key-file') : null;
      setErrors([{ fieldId, message: errorMessage(error) }]);
    } finally {
      setWorking(false);
    }
  }

  const fileError = errorFor(errors, 'key-file');
  return (
    <section aria-labelledby="key-file-heading">
      <ErrorSummary errors={errors} />
      <h2 className="govuk-heading-m" id="key-file-heading">
        {heading}
      </h2>
      <p className="govuk-body">The file is opened in your browser; neither it nor the passphrase is sent anywhere.</p>
      <form noValidate aria-busy={working} onSubmit={(e) => void submit(e)}>
        <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label" htmlFor="key-file">
            Your key file
          </label>
          {fileError ? (
            <p className="govuk-error-message" id="key-file-error">
              <span className="govuk-visually-hidden">Error:</span> {fileError}
            </p>
          ) : null}
          <input className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`} id="key-file" name="key-file" type="file" accept=".json,application/json" aria-describedby={fileError ? 'key-file-error' : undefined} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <TextInput id="key-passphrase" label="Passphrase" type="password" autoComplete="current-password" error={errorFor(errors, 'key-passphrase')} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        <button type="submit" className="govuk-button" disabled={working}>
          {submitLabel}
        </button>
        {working ? <KeyFileWorking>Opening your key file.</KeyFileWorking> : null}
      </form>
    </section>
  );
}

function TallyStep({ election, state, tally, index }: { election: ElectionDetail; state: CeremonyState; tally: TallyState; index: number }) {
  const post = useTrusteePost(election.id);
  const done = tally.partialDecryptions.some((p) => p.trusteeIndex === index);
  return (
    <>
      <p className="govuk-body" data-testid="tally-progress">
        {trusteesDecrypted(tally.partialDecryptions.length, tally.threshold, { withThe: true })}. {ballotsCounted(tally.countedBallots)}.
      </p>
      {done ? (
        <div className="govuk-inset-text" data-testid="decrypted">
          Your decryption share is posted and its proof checked. The result is published when {tally.threshold} trustees have posted theirs.
        </div>
      ) : (
        <KeyFileForm
          heading="Decrypt the result"
          submitLabel="Open the key file and decrypt"
          onOpen={async (text, passphrase) => {
            const secrets = await openTrusteeKey(text, passphrase, state, index, keyFilesInWorker);
            await post.decrypt.mutateAsync(computeTallyShares(state, tally, index, deriveSecretShare(state, index, secrets)));
          }}
        />
      )}
    </>
  );
}
