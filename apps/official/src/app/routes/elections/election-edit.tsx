import { LoadingMessage, ProblemBanner } from '@townhall/web-ui';
import { useNavigate, useParams } from 'react-router';
import { useElection, useSaveDraft } from '../../../features/elections/api/elections.ts';
import { ElectionDraftForm } from '../../../features/elections/components/election-draft-form.tsx';
import { answersFromElection, emptyContest, type DraftAnswers } from '../../../features/elections/lib/draft-form.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

export function NewElectionRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <NewElection />
    </RequireStaff>
  );
}

export function EditElectionRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <EditElection />
    </RequireStaff>
  );
}

function blankAnswers(): DraftAnswers {
  return { title: '', description: '', contests: [emptyContest()], eligibleDistricts: [], opensAt: '', closesAt: '' };
}

function NewElection() {
  const save = useSaveDraft(null);
  const navigate = useNavigate();
  return (
    <>
      <title>{`Create an election – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Create an election</h1>
      <p className="govuk-body">The election is a draft until you start its key ceremony: you can change anything until then.</p>
      <ElectionDraftForm
        initial={blankAnswers()}
        submitLabel="Save the draft"
        isSaving={save.isPending}
        onSave={async (draft) => navigate(`/elections/${(await save.mutateAsync(draft)).id}`)}
      />
    </>
  );
}

function EditElection() {
  const { electionId = '' } = useParams();
  const election = useElection(electionId);
  const save = useSaveDraft(electionId);
  const navigate = useNavigate();
  if (election.isPending) return <LoadingMessage>Loading the election…</LoadingMessage>;
  if (election.isError) return <ProblemBanner what="the election" error={election.error} />;
  return (
    <>
      <title>{`Change ${election.data.title} – ${appConfig.serviceName}`}</title>
      <span className="govuk-caption-l">{election.data.title}</span>
      <h1 className="govuk-heading-l">Change the draft</h1>
      {election.data.status !== 'draft' ? (
        <p className="govuk-body">This election is no longer a draft: its definition is frozen in the ledger and cannot change.</p>
      ) : (
        <ElectionDraftForm
          initial={answersFromElection(election.data)}
          submitLabel="Save the changes"
          isSaving={save.isPending}
          onSave={async (draft) => {
            await save.mutateAsync(draft);
            await navigate(`/elections/${electionId}`);
          }}
        />
      )}
    </>
  );
}
