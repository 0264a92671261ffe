import { PRIORITIES, type Repair, type RepairAssociation } from '@townhall/protocol';
import { ApiError, choiceId, Choices, errorFor, ErrorSummary, type FieldError, LoadingMessage, orderReference, Panel, ProblemBanner, TextArea, TextInput, WarningText } from '@townhall/web-ui';
import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useRepairAssociations, useReportRepair } from '../api/repairs.ts';
import { PRIORITY_WORDS } from '../lib/repair-words.ts';
import {
  chosenAssociation,
  DESCRIPTION_MAX,
  emptyReport,
  fieldIds,
  LOCATION_MAX,
  reportBody,
  reportErrors,
  summaryTarget,
  type ReportAnswers,
  type YesNo,
} from '../lib/report-form.ts';
import { useReportAnswers } from './report-repair-context.tsx';

const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

/** Waits for the associations the resident may report to; explains how to become a tenant when there are none. */
function WithAssociations({ children }: { children: (associations: RepairAssociation[]) => React.ReactNode }) {
  const associations = useRepairAssociations();
  if (associations.isPending) return <LoadingMessage>Loading…</LoadingMessage>;
  if (associations.isError) {
    return (
      <>
        <h1 className="govuk-heading-l">Report a repair</h1>
        <ProblemBanner what="where you can report a repair" error={associations.error} />
      </>
    );
  }
  if (associations.data.associations.length === 0) return <NotATenant />;
  return <>{children(associations.data.associations)}</>;
}

/** A resident who is nobody's tenant here: what to do instead. */
export function NotATenant() {
  return (
    <>
      <title>{`You cannot report a repair here yet – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">You cannot report a repair here yet</h1>
      <p className="govuk-body">You can report repairs here if you rent your home from a housing association that uses this service.</p>
      <p className="govuk-body">
        Your housing association invites you: ask it for an invitation link, open it while you are signed in, and it links your
        account to your tenancy. Until then, report repairs to your housing association as you do now.
      </p>
      <p className="govuk-body">
        <Link to="/account" className="govuk-link">
          Go to your account
        </Link>
      </p>
    </>
  );
}

/** The report's questions on one short page (GOV.UK question pages): then the check page. */
export function ReportRepairForm() {
  return <WithAssociations>{(associations) => <ReportRepairQuestions associations={associations} />}</WithAssociations>;
}

function ReportRepairQuestions({ associations }: { associations: RepairAssociation[] }) {
  const { answers, setAnswers } = useReportAnswers();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const navigate = useNavigate();
  const set = (change: Partial<ReportAnswers>) => setAnswers({ ...answers, ...change });
  const yesNo = (field: 'dampOrMould' | 'immediateRisk') =>
    YES_NO.map((choice) => ({ value: choice.value, id: choiceId(fieldIds[field], choice.value), label: choice.label }));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const found = reportErrors(answers, associations);
    setErrors(found);
    if (found.length === 0) void navigate('/repairs/report/check');
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Report a repair – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors.map((e) => ({ ...e, fieldId: e.fieldId && summaryTarget(e.fieldId, associations) }))} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Report a repair</h1>
          {associations.length === 1 ? (
            <p className="govuk-body">Your report goes to {associations[0]!.legalName}, who look after your home.</p>
          ) : null}
          <WarningText>If you smell gas, call the National Gas Emergency number, 0800 111 999, now. Do not report it here.</WarningText>
          <form noValidate onSubmit={submit}>
            {associations.length > 1 ? (
              <Choices
                kind="radio"
                id={fieldIds.associationId}
                legend="Which home is the repair in?"
                legendSize="s"
                hint="Choose the housing association you rent it from"
                error={errorFor(errors, fieldIds.associationId)}
                choices={associations.map((a) => ({ value: a.associationId, id: choiceId(fieldIds.associationId, a.associationId), label: a.legalName }))}
                isChecked={(value) => answers.associationId === value}
                onToggle={(value) => set({ associationId: value })}
              />
            ) : null}
            <TextArea
              id={fieldIds.description}
              label={<span className="govuk-!-font-weight-bold">What is wrong?</span>}
              hint="Say what you can see or hear, since when, and what you have tried. Do not include anyone’s health details."
              error={errorFor(errors, fieldIds.description)}
              value={answers.description}
              maxLength={DESCRIPTION_MAX}
              onChange={(event) => set({ description: event.target.value })}
            />
            <TextInput
              id={fieldIds.location}
              label={<span className="govuk-!-font-weight-bold">Where in your home is it?</span>}
              hint="For example, kitchen, under the sink"
              error={errorFor(errors, fieldIds.location)}
              value={answers.location}
              maxLength={LOCATION_MAX}
              onChange={(event) => set({ location: event.target.value })}
            />
            <Choices
              kind="radio"
              id={fieldIds.priority}
              legend="How urgent is it?"
              legendSize="s"
              hint="Your housing association decides how urgent it is when it reads your report; this helps it."
              error={errorFor(errors, fieldIds.priority)}
              choices={PRIORITIES.map((priority) => ({
                value: priority,
                id: choiceId(fieldIds.priority, priority),
                label: PRIORITY_WORDS[priority].label,
                hint: PRIORITY_WORDS[priority].hint,
              }))}
              isChecked={(value) => answers.priority === value}
              onToggle={(value) => set({ priority: value })}
            />
            <Choices
              kind="radio"
              id={fieldIds.dampOrMould}
              legend="Is there damp or mould?"
              legendSize="s"
              hint="Damp patches, black spots of mould, or condensation that does not dry. The law gives your landlord fixed times to look into it."
              error={errorFor(errors, fieldIds.dampOrMould)}
              choices={yesNo('dampOrMould')}
              isChecked={(value) => answers.dampOrMould === value}
              onToggle={(value) => set({ dampOrMould: value as YesNo })}
            />
            <Choices
              kind="radio"
              id={fieldIds.immediateRisk}
              legend="Is anyone’s health or safety at risk now?"
              legendSize="s"
              hint="For example, no heating or water, exposed wiring, or a leak near electrics"
              error={errorFor(errors, fieldIds.immediateRisk)}
              choices={yesNo('immediateRisk')}
              isChecked={(value) => answers.immediateRisk === value}
              onToggle={(value) => set({ immediateRisk: value as YesNo })}
            />
            <button type="submit" className="govuk-button">
              Continue
            </button>
          </form>
        </div>
      </div>
    </>
  );
}

/** GOV.UK check answers: each answer with a link back to change it, then the report is sent. */
export function ReportRepairCheck() {
  return <WithAssociations>{(associations) => <CheckAnswers associations={associations} />}</WithAssociations>;
}

function CheckAnswers({ associations }: { associations: RepairAssociation[] }) {
  const { answers } = useReportAnswers();
  const report = useReportRepair();
  const navigate = useNavigate();
  const association = chosenAssociation(answers, associations);
  // Come here without answers (a reload, a bookmark): start again.
  if (!association || reportErrors(answers, associations).length > 0) return <Navigate to="/repairs/report" replace />;

  const rows: { label: string; value: React.ReactNode; fieldId: string }[] = [
    ...(associations.length > 1 ? [{ label: 'Housing association', value: association.legalName, fieldId: summaryTarget(fieldIds.associationId, associations) }] : []),
    { label: 'What is wrong', value: answers.description.trim(), fieldId: fieldIds.description },
    { label: 'Where in your home', value: answers.location.trim(), fieldId: fieldIds.location },
    { label: 'How urgent', value: answers.priority ? PRIORITY_WORDS[answers.priority].label : '', fieldId: summaryTarget(fieldIds.priority, associations) },
    { label: 'Damp or mould', value: answers.dampOrMould === 'yes' ? 'Yes' : 'No', fieldId: summaryTarget(fieldIds.dampOrMould, associations) },
    { label: 'Health or safety at risk now', value: answers.immediateRisk === 'yes' ? 'Yes' : 'No', fieldId: summaryTarget(fieldIds.immediateRisk, associations) },
  ];
  const refused = report.isError ? [{ fieldId: null, message: reportProblem(report.error) }] : [];

  return (
    <>
      <title>{`${refused.length ? 'Error: ' : ''}Check your answers before reporting the repair – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={refused} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Check your answers before reporting the repair</h1>
          <dl className="govuk-summary-list govuk-!-margin-bottom-9">
            {rows.map((row) => (
              <div className="govuk-summary-list__row" key={row.label}>
                <dt className="govuk-summary-list__key">{row.label}</dt>
                <dd className="govuk-summary-list__value">{row.value}</dd>
                <dd className="govuk-summary-list__actions">
                  <Link className="govuk-link" to={`/repairs/report#${row.fieldId}`}>
                    Change<span className="govuk-visually-hidden"> {row.label.toLowerCase()}</span>
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
          <h2 className="govuk-heading-m">Now send your report</h2>
          <p className="govuk-body">
            {association.legalName} and its contractor will see your report, your name and your address. The public record of the
            repair shows only that a repair was reported, and when: not who you are, where you live or what you wrote.
          </p>
          <button
            type="button"
            className="govuk-button"
            disabled={report.isPending}
            aria-disabled={report.isPending}
            onClick={() =>
              report.mutate(
                { associationId: association.associationId, report: reportBody(answers, association) },
                {
                  onSuccess: (repair) => void navigate('/repairs/report/done', { replace: true, state: { repair } }),
                },
              )
            }
          >
            {report.isPending ? 'Sending your report…' : 'Report the repair'}
          </button>
        </div>
      </div>
    </>
  );
}

function reportProblem(error: Error): string {
  if (error instanceof ApiError && error.code === 'CONTRACT_WRONG_STATE') {
    return 'Your housing association cannot take repairs through this service at the moment. Report it to them as you did before.';
  }
  if (error instanceof ApiError && error.status !== null && error.status < 500) return error.message;
  return 'Your report could not be sent. Try again in a few minutes.';
}

/** GOV.UK confirmation page: the reference and what happens next. */
export function ReportRepairDone() {
  const repair = (useLocation().state as { repair?: Repair } | null)?.repair;
  const { setAnswers } = useReportAnswers();
  // Sent: the next report starts empty.
  useEffect(() => setAnswers(emptyReport()), [setAnswers]);
  if (!repair) return <Navigate to="/repairs" replace />;
  const reference = orderReference(repair.orderId);
  return (
    <>
      <title>{`Repair reported – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Repair reported">
            Your reference
            <br />
            <strong>{reference}</strong>
          </Panel>
          <h2 className="govuk-heading-m">What happens next</h2>
          <p className="govuk-body">
            Your housing association reads your report and decides how urgent the repair is. That sets the date by which its
            contractor must finish the work: within a day for an emergency, within days for an urgent repair, within weeks for a
            routine one.
          </p>
          <p className="govuk-body">The contractor then contacts you to book a visit. You can follow each step in your repairs.</p>
          <p className="govuk-body">
            <Link to={`/repairs/${repair.orderId}`} className="govuk-link">
              See this repair
            </Link>
          </p>
          <p className="govuk-body">
            <Link to="/repairs" className="govuk-link">
              Your repairs
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}
