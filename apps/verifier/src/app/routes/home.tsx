import { ErrorSummary, type FieldError, LoadingMessage, ProblemBanner, SystemStatusSection, useCouncil } from '@townhall/web-ui';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { recordUrl, useElections } from '../../features/elections/api/get-elections.ts';
import { ElectionList } from '../../features/elections/components/election-list.tsx';
import { contractRecordUrl } from '../../features/contracts/api/contract-record.ts';
import { ContractReferenceForm } from '../../features/contracts/components/contract-reference-form.tsx';
import { describeRecordFileProblem, FileDrop } from '../../features/verification/components/file-drop.tsx';
import { useVerification } from '../../features/verification/components/verification-provider.tsx';
import { warmUpVerifier } from '../../features/verification/lib/load-worker.ts';
import { appConfig } from '../../config/app-config.ts';

const FILE_ID = 'record-file';
const CONTRACT_ID = 'contract-reference';

/** Start page: pick an election from the server, name a contract on it, or choose or drop a record file. */
export function HomeRoute({ preloadWorker = warmUpVerifier }: { preloadWorker?: () => Promise<unknown> }) {
  const council = useCouncil();
  const elections = useElections();
  const { start } = useVerification();
  const navigate = useNavigate();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [isStarting, setIsStarting] = useState(false);
  const [isReadyOffline, setIsReadyOffline] = useState(false);
  const councilName = council.data?.name ?? 'the council';

  useEffect(() => {
    let isCurrent = true;
    preloadWorker().then(
      () => isCurrent && setIsReadyOffline(true),
      () => {},
    );
    return () => {
      isCurrent = false;
    };
  }, [preloadWorker]);

  async function begin(run: () => Promise<void>) {
    setIsStarting(true);
    try {
      await run();
      await navigate('/record');
    } catch (error) {
      setErrors([{ fieldId: null, message: `The verifier could not start: ${(error as Error).message}` }]);
    } finally {
      setIsStarting(false);
    }
  }

  async function chooseFile(file: File) {
    const problem = await describeRecordFileProblem(file);
    if (problem) {
      setErrors([{ fieldId: FILE_ID, message: problem }]);
      return;
    }
    setErrors([]);
    await begin(() => start({ kind: 'file', file, name: file.name }));
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {council.data ? <span className="govuk-caption-l">{council.data.name}</span> : null}
          <h1 className="govuk-heading-l">Verify an election</h1>
          {council.isPending ? <LoadingMessage>Loading the council’s details…</LoadingMessage> : null}
          {council.isError ? <ProblemBanner what="the council’s details" error={council.error} /> : null}

          <p className="govuk-body-l">
            You do not have to trust {councilName} to know an election result is right. You can check it yourself.
          </p>
          <p className="govuk-body">
            Every step of a Townhall election is written to a public ledger that other councils witness. This page checks an
            election’s record, in your browser, without sending it anywhere:
          </p>
          <ul className="govuk-list govuk-list--bullet">
            <li>every signature and witness cosignature on the ledger</li>
            <li>that each ballot was cast with a valid, unused voting credential</li>
            <li>that no more ballots were counted than electors were allowed to vote</li>
            <li>every proof that a ballot and the decrypted count are correct</li>
            <li>that the published result is the sum of the counted ballots</li>
          </ul>
          <p className="govuk-body">
            If you voted, you can then check that your ballot is in the record, and after the close that it was counted, with
            your tracking code or receipt.
          </p>
          <p className="govuk-body">
            It also checks a repairs contract’s record: that every payment to a contractor is what the contract’s terms and the
            repairs’ history give, to the penny.
          </p>

          <h2 className="govuk-heading-m">Choose an election</h2>
          {elections.isPending ? <LoadingMessage>Loading the elections…</LoadingMessage> : null}
          {elections.isError ? <ProblemBanner what="the list of elections" error={elections.error} /> : null}
          {elections.data ? (
            <ElectionList
              elections={elections.data.elections}
              isStarting={isStarting}
              recordHref={(id) => `${appConfig.apiBasePath}/elections/${id}/record`}
              onVerify={(election) => void begin(() => start({ kind: 'url', url: recordUrl(appConfig.apiBasePath, election.id), name: election.title }))}
            />
          ) : null}

          <h2 className="govuk-heading-m">Or check a repairs contract</h2>
          <ContractReferenceForm
            id={CONTRACT_ID}
            error={errors.find((e) => e.fieldId === CONTRACT_ID)?.message}
            isStarting={isStarting}
            onError={(message) => setErrors([{ fieldId: CONTRACT_ID, message }])}
            onVerify={(contractId) => {
              setErrors([]);
              void begin(() => start({ kind: 'url', url: contractRecordUrl(appConfig.apiBasePath, contractId), name: `Contract ${contractId}` }));
            }}
          />

          <h2 className="govuk-heading-m">Or check a record file</h2>
          <FileDrop
            id={FILE_ID}
            label="Choose an election record file or a contract record file"
            hint="The .jsonl file you downloaded, or one someone sent you. It stays on your device."
            accept=".jsonl,.ndjson,application/x-ndjson,application/json"
            error={errors.find((e) => e.fieldId === FILE_ID)?.message}
            onFile={(file) => void chooseFile(file)}
          />
          <p className="govuk-body" data-testid="offline-ready" aria-live="polite">
            {isReadyOffline ? 'This page is ready to check a record file without a connection.' : ''}
          </p>
        </div>
      </div>

      <SystemStatusSection />
    </>
  );
}
