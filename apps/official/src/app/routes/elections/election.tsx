import type { ElectionDetail } from '@townhall/protocol';
import { ConfirmAction, errorFor, ErrorSummary, type FieldError, formatDateTime, LoadingMessage, ProblemBanner, TextInput, TrusteeMinimumWarning, WarningText } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  useCeremony,
  useDashboard,
  useElection,
  useElectionTransition,
  useElectionTrustees,
  useInviteTrustee,
  useStartCeremony,
  useTally,
} from '../../../features/elections/api/elections.ts';
import { BallotPreview } from '../../../features/elections/components/ballot-preview.tsx';
import { CeremonyProgress } from '../../../features/elections/components/ceremony-progress.tsx';
import { CopyableLink } from '../../../features/elections/components/copyable-link.tsx';
import { AggregationProgress } from '../../../features/elections/components/aggregation-progress.tsx';
import { ElectionDashboard } from '../../../features/elections/components/election-dashboard.tsx';
import { ElectionResults } from '../../../features/elections/components/election-results.tsx';
import { StatusTag } from '../../../features/elections/components/status-tag.tsx';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { trusteesDecrypted } from '../../../features/elections/lib/decryption-progress.ts';
import { appConfig } from '../../../config/app-config.ts';

export function ElectionRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <Election />
    </RequireStaff>
  );
}

const trusteePageUrl = (id: string) => `${window.location.origin}${appConfig.routerBasename.replace(/\/$/, '')}/trustee/elections/${id}`;

function Election() {
  const { electionId = '' } = useParams();
  const election = useElection(electionId, { live: true });
  if (election.isPending) return <LoadingMessage>Loading the election…</LoadingMessage>;
  if (election.isError) return <ProblemBanner what="the election" error={election.error} />;
  const e = election.data;
  return (
    <>
      <title>{`${e.title} – ${appConfig.serviceName}`}</title>
      <span className="govuk-caption-l">Election</span>
      <h1 className="govuk-heading-l">{e.title}</h1>
      <TrusteeMinimumWarning ceremony={e.manifest?.ceremony} />
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Status</dt>
          <dd className="govuk-summary-list__value" data-testid="election-status">
            <StatusTag status={e.status} />
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Opens</dt>
          <dd className="govuk-summary-list__value">{formatDateTime(e.openedAt ?? e.opensAt)}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Closes</dt>
          <dd className="govuk-summary-list__value">{formatDateTime(e.closedAt ?? e.closesAt)}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Districts</dt>
          <dd className="govuk-summary-list__value">{e.eligibleDistricts.join(', ')}</dd>
        </div>
        {e.fingerprint ? (
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Fingerprint</dt>
            <dd className="govuk-summary-list__value th-code">{e.fingerprint}</dd>
          </div>
        ) : null}
      </dl>

      {e.status === 'draft' ? <DraftSection election={e} /> : null}
      {e.status === 'key-ceremony' || e.status === 'halted' ? <CeremonySection election={e} /> : null}
      {e.status === 'ready' ? <OpenOrCloseNow election={e} transition="open" label="Open the election now" explanation={`It opens by itself at ${formatDateTime(e.opensAt)}.`} /> : null}
      {e.status === 'open' ? <OpenOrCloseNow election={e} transition="close" label="Close the election now" explanation={`It closes by itself at ${formatDateTime(e.closesAt)}. Closing early cannot be undone.`} /> : null}
      {e.status === 'closed' ? <TallyStartSection election={e} /> : null}
      {e.status === 'open' || e.status === 'closed' || e.status === 'tallied' || e.status === 'published' ? <DashboardSection election={e} /> : null}
      {e.status === 'tallied' || e.status === 'published' ? <TallySection election={e} /> : null}

      <details className="govuk-details" open={e.status === 'draft'}>
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">The ballot as voters will see it</span>
        </summary>
        <div className="govuk-details__text">
          {e.description ? <p className="govuk-body">{e.description}</p> : null}
          <BallotPreview title={e.title} contests={e.contests} />
        </div>
      </details>
    </>
  );
}

function DraftSection({ election }: { election: ElectionDetail }) {
  const trustees = useElectionTrustees(election.id, true);
  const invite = useInviteTrustee(election.id);
  const start = useStartCeremony(election.id);
  const [name, setName] = useState('');
  const [threshold, setThreshold] = useState('2');
  const [links, setLinks] = useState<{ name: string; url: string }[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);

  function sendInvitation(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setErrors([{ fieldId: 'trustee-name', message: 'Enter the trustee’s name' }]);
      return;
    }
    setErrors([]);
    invite.mutate(name.trim(), {
      onSuccess: (created) => {
        setLinks((l) => [...l, { name: name.trim(), url: created.url }]);
        setName('');
      },
      onError: (error) => setErrors([{ fieldId: null, message: error.message }]),
    });
  }

  function startCeremony() {
    const members = trustees.data ?? [];
    const k = /^\d+$/.test(threshold.trim()) ? Number(threshold) : Number.NaN;
    if (members.length === 0) {
      setErrors([{ fieldId: null, message: 'No trustee has joined yet: invite trustees and wait for them to accept' }]);
      return;
    }
    if (!Number.isInteger(k) || k < 1 || k > members.length) {
      setErrors([{ fieldId: 'threshold', message: `Enter a number of trustees from 1 to ${members.length}` }]);
      return;
    }
    setErrors([]);
    start.mutate(
      { threshold: k, trustees: members.map((m) => m.id) },
      { onError: (error) => setErrors([{ fieldId: null, message: error.message }]) },
    );
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      <p className="govuk-body">
        <Link className="govuk-link" to={`/elections/${election.id}/edit`}>
          Change the draft
        </Link>
      </p>
      <h2 className="govuk-heading-m">Trustees</h2>
      <p className="govuk-body">
        Trustees hold the key that decrypts the result. Each one makes their part of the key in their own browser; the count needs the number of
        trustees you choose below, so the result can be decrypted even if some are unavailable.
      </p>
      <p className="govuk-body">
        Invite at least 3 trustees and need at least 2 of them, so that no one person can read the ballots. Trustees must be other people than the
        officials who run the election: nobody who has defined or run it can be one of its trustees.
      </p>
      <form noValidate onSubmit={sendInvitation}>
        <TextInput id="trustee-name" label="Invite a trustee: their name" error={errorFor(errors, 'trustee-name')} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="govuk-button govuk-button--secondary" disabled={invite.isPending}>
          Create an invitation link
        </button>
      </form>
      {links.map((link, i) => (
        <CopyableLink key={link.url} id={`invitation-link-${i}`} label={`Invitation link for ${link.name}`} url={link.url} />
      ))}

      <h3 className="govuk-heading-s">Trustees who have joined</h3>
      {trustees.isError ? <ProblemBanner what="the trustees" error={trustees.error} /> : null}
      {trustees.data?.length === 0 ? <p className="govuk-body">Nobody has accepted an invitation yet.</p> : null}
      {trustees.data && trustees.data.length > 0 ? (
        <ol className="govuk-list govuk-list--number" data-testid="joined-trustees">
          {trustees.data.map((t) => (
            <li key={t.id}>{t.displayName}</li>
          ))}
        </ol>
      ) : null}

      <form noValidate onSubmit={(event) => event.preventDefault()}>
        <TextInput
          id="threshold"
          label="How many trustees are needed to decrypt the result"
          hint={`Out of the ${trustees.data?.length ?? 0} who have joined.`}
          width="2"
          inputMode="numeric"
          error={errorFor(errors, 'threshold')}
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
        />
        <WarningText>Starting the key ceremony freezes the election’s definition: it is recorded in the ledger and cannot be changed.</WarningText>
        <ConfirmAction
          label="Start the key ceremony"
          question="Start the key ceremony now?"
          consequences={
            <p className="govuk-body">
              The election’s definition — its title, questions, options, wards and dates — is frozen with {trustees.data?.length ?? 0} trustees, any {threshold.trim() || '?'} of
              whom will be needed to decrypt the result, and recorded in the election’s public ledger. This cannot be undone: to change anything
              afterwards you would have to create a new election.
            </p>
          }
          confirmLabel="Yes, start the key ceremony"
          onConfirm={startCeremony}
          isPending={start.isPending}
          isWarning={false}
        />
      </form>
    </>
  );
}

function CeremonySection({ election }: { election: ElectionDetail }) {
  const ceremony = useCeremony(election.id, true);
  return (
    <>
      <p className="govuk-body">Each trustee signs in and takes part at this address:</p>
      <CopyableLink id="trustee-page-link" label="Trustee page" url={trusteePageUrl(election.id)} />
      {ceremony.isError ? <ProblemBanner what="the key ceremony" error={ceremony.error} /> : null}
      {ceremony.data ? <CeremonyProgress state={ceremony.data} /> : <LoadingMessage>Loading the key ceremony…</LoadingMessage>}
    </>
  );
}

/** Closed: start the tally, then follow the aggregation (it runs in the background) until it is done. */
function TallyStartSection({ election }: { election: ElectionDetail }) {
  const tally = useTally(election.id, true);
  const start = useElectionTransition(election.id, 'tally');
  const aggregation = tally.data?.aggregation ?? null;
  if (aggregation && aggregation.failure === null) return <AggregationProgress summed={aggregation.summed} total={aggregation.total} />;
  if (start.isPending || (start.isSuccess && !aggregation)) return <LoadingMessage>Starting the tally…</LoadingMessage>;
  return (
    <>
      {aggregation?.failure ? <WarningText>{aggregation.failure}</WarningText> : null}
      <TransitionButton
        mutation={start}
        label={aggregation?.failure ? 'Start the tally again' : 'Start the tally'}
        explanation="The counted ballots are added up while still encrypted; then the trustees decrypt the totals. A large election takes a minute or two; you can leave this page meanwhile."
        confirm={{
          question: 'Start the tally now?',
          consequences: 'The encrypted totals of the counted ballots are computed and recorded in the election’s public ledger. This cannot be undone: the trustees are then asked to decrypt them and the result is published.',
          confirmLabel: 'Yes, start the tally',
        }}
      />
    </>
  );
}

/** Ready or open: open or close the election before its scheduled time. */
function OpenOrCloseNow({ election, transition, label, explanation }: { election: ElectionDetail; transition: 'open' | 'close'; label: string; explanation: string }) {
  const mutation = useElectionTransition(election.id, transition);
  const confirm =
    transition === 'close'
      ? {
          question: 'Close the election now?',
          consequences: `Voting stops at once, before the scheduled close (${formatDateTime(election.closesAt)}). This cannot be undone: no resident can vote or change their vote after it, and the close is recorded in the election’s public ledger.`,
          confirmLabel: 'Yes, close the election now',
        }
      : {
          question: 'Open the election now?',
          consequences: `Voting starts at once, before the scheduled opening (${formatDateTime(election.opensAt)}), and stays open until ${formatDateTime(election.closesAt)}. This cannot be undone: an open election cannot go back to waiting.`,
          confirmLabel: 'Yes, open the election now',
        };
  return <TransitionButton mutation={mutation} label={label} explanation={explanation} confirm={confirm} isWarning={transition === 'close'} />;
}

/** The button for a lifecycle step (each cannot be undone, so it asks first); the caller owns the request, so it can also follow its progress. */
function TransitionButton({
  mutation,
  label,
  explanation,
  confirm,
  isWarning = false,
}: {
  mutation: ReturnType<typeof useElectionTransition>;
  label: string;
  explanation: string;
  confirm: { question: string; consequences: string; confirmLabel: string };
  isWarning?: boolean;
}) {
  return (
    <>
      {mutation.isError ? <ProblemBanner what="" headline={`${label}: that did not work.`} error={mutation.error} /> : null}
      <p className="govuk-body">{explanation}</p>
      <ConfirmAction
        label={label}
        question={confirm.question}
        consequences={<p className="govuk-body">{confirm.consequences}</p>}
        confirmLabel={confirm.confirmLabel}
        onConfirm={() => mutation.mutate()}
        isPending={mutation.isPending}
        isWarning={isWarning}
        buttonClassName={isWarning ? 'govuk-button--warning' : ''}
      />
    </>
  );
}

function DashboardSection({ election }: { election: ElectionDetail }) {
  const dashboard = useDashboard(election.id, true);
  if (dashboard.isError) return <ProblemBanner what="the live figures" error={dashboard.error} />;
  if (!dashboard.data) return <LoadingMessage>Loading the live figures…</LoadingMessage>;
  return <ElectionDashboard dashboard={dashboard.data} updatedAt={dashboard.dataUpdatedAt} />;
}

function TallySection({ election }: { election: ElectionDetail }) {
  const tally = useTally(election.id, true);
  if (tally.isError) return <ProblemBanner what="the tally" error={tally.error} />;
  if (!tally.data) return <LoadingMessage>Loading the tally…</LoadingMessage>;
  const t = tally.data;
  return (
    <section aria-labelledby="tally-heading">
      <h2 className="govuk-heading-m" id="tally-heading">
        {t.result ? 'Result' : 'Decrypting the result'}
      </h2>
      {t.result ? (
        <ElectionResults election={election} tally={t} />
      ) : (
        <>
          <p className="govuk-body" data-testid="tally-progress">
            {trusteesDecrypted(t.partialDecryptions.length, t.threshold)} their share of the totals of {t.countedBallots} counted{' '}
            {t.countedBallots === 1 ? 'ballot' : 'ballots'}. The result is published as soon as {t.threshold} have.
          </p>
          <p className="govuk-body">Trustees decrypt on the trustee page:</p>
          <CopyableLink id="trustee-page-link" label="Trustee page" url={trusteePageUrl(election.id)} />
        </>
      )}
    </section>
  );
}
