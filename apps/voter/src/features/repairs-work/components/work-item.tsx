import { HAZARDS, PRIORITIES, REJECTION_REASONS, type ContractDetail, type Repair } from '@townhall/protocol';
import {
  ApiError,
  choiceId,
  Choices,
  ConfirmAction,
  errorFor,
  ErrorSummary,
  type FieldError,
  formatDateTime,
  LoadingMessage,
  orderReference,
  ProblemBanner,
  ReceiptLink,
  SuccessBanner,
  TextArea,
  TextInput,
} from '@townhall/web-ui';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useContracts, useWorkList, useWorkStep, type WorkStep } from '../api/repairs-work.ts';
import {
  MAX_REJECTION_DETAIL,
  rejectionFieldIds,
  scheduleFieldIds,
  triageAnswersFor,
  triageFieldIds,
  validateRejection,
  validateSchedule,
  validateTriage,
  type RejectionAnswers,
  type ScheduleAnswers,
  type TriageAnswers,
} from '../lib/step-forms.ts';
import { HAZARD_LABELS, hazardStepDue, pounds, PRIORITY_LABELS, REJECTION_REASON_LABELS, WORK_STATE_TAGS, workStepWords } from '../lib/work-words.ts';
import type { WorkOrganisation } from './work-queue.tsx';

const queuePath = (organisationId: string) => `/account/organisations/${encodeURIComponent(organisationId)}/work`;

/** The catalogue of the contract's latest agreed revision (a triage is priced under the revision in force). */
function catalogueOf(contract: ContractDetail | undefined) {
  const agreed = contract?.versions.filter((v) => v.status === 'agreed').at(-1);
  return agreed?.terms.catalogue ?? [];
}

/**
 * `/account/organisations/:organisationId/work/:orderId`: one order as the association's or the
 * contractor's staff see it, with the next step this side may take (each a ledger entry).
 */
export function WorkItem({ organisation, orderId }: { organisation: WorkOrganisation; orderId: string }) {
  const list = useWorkList(organisation.id, organisation.side);
  const step = useWorkStep(organisation.id, organisation.side);
  const [done, setDone] = useState<string | null>(null);
  const repair = list.data?.repairs.find((r) => r.orderId === orderId);
  const reference = orderReference(orderId);
  const title = repair ? `Repair ${reference}` : 'Repair not found';

  const take = (work: WorkStep, outcome: string) => {
    setDone(null);
    step.mutate({ orderId, step: work }, { onSuccess: () => setDone(outcome) });
  };

  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <Link to={queuePath(organisation.id)} className="govuk-back-link">
        Back to {organisation.side === 'association' ? 'repairs' : 'work orders'}
      </Link>
      {list.isPending ? <LoadingMessage>Loading the repair…</LoadingMessage> : null}
      {list.isError ? <ProblemBanner what="the repair" error={list.error} /> : null}
      {list.isSuccess && !repair ? (
        <>
          <h1 className="govuk-heading-l">Repair not found</h1>
          <p className="govuk-body">
            There is no repair {reference} for {organisation.name}. Check the reference, or go back to the{' '}
            <Link className="govuk-link" to={queuePath(organisation.id)}>
              list
            </Link>
            .
          </p>
        </>
      ) : null}
      {repair ? (
        <>
          {done ? <SuccessBanner titleId="step-done-title" heading={done} takesFocus /> : null}
          {step.isError && !(step.error instanceof ApiError && step.error.code === 'VALIDATION_FAILED') ? (
            <ProblemBanner what="" headline="Sorry, that step could not be recorded." error={step.error} />
          ) : null}
          <span className="govuk-caption-l">{organisation.name}</span>
          <h1 className="govuk-heading-l">
            {title} <strong className={`govuk-tag ${WORK_STATE_TAGS[repair.state].className}`}>{WORK_STATE_TAGS[repair.state].text}</strong>
          </h1>
          <RepairFacts repair={repair} side={organisation.side} />
          <NextStep repair={repair} organisation={organisation} isPending={step.isPending} onStep={take} />
          <History repair={repair} />
        </>
      ) : null}
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

function RepairFacts({ repair, side }: { repair: Repair; side: WorkOrganisation['side'] }) {
  const isLate = repair.dueAt !== null && repair.state !== 'confirmed' && repair.state !== 'completed' && Date.parse(repair.dueAt) < Date.now();
  return (
    <dl className="govuk-summary-list">
      <Row label="What is wrong">{repair.description}</Row>
      <Row label="Where">
        {repair.location}
        <span className="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">{repair.address}</span>
      </Row>
      <Row label="The tenant says">
        {PRIORITY_LABELS[repair.reportedPriority]}
        {repair.hazards.dampOrMould ? '; there is damp or mould' : ''}
        {repair.hazards.immediateRisk ? '; someone’s health or safety is at risk now' : ''}
      </Row>
      {repair.itemCode ? (
        <Row label="Work ordered">
          {repair.quantity} × <code className="th-code">{repair.itemCode}</code>, {PRIORITY_LABELS[repair.priority!]}
          {repair.hazard && repair.hazard !== 'none' ? `; ${HAZARD_LABELS[repair.hazard].label.toLowerCase()}` : ''}
        </Row>
      ) : null}
      <Row label="Due by">
        {repair.dueAt ? formatDateTime(repair.dueAt) : 'Set when the association triages it'}
        {isLate ? (
          <>
            {' '}
            <strong className="govuk-tag govuk-tag--red">Late</strong>
          </>
        ) : null}
      </Row>
      {repair.appointment ? (
        <Row label="Visit">
          {formatDateTime(repair.appointment.start)} to {formatDateTime(repair.appointment.end)}
        </Row>
      ) : null}
      {repair.completionNotes ? <Row label="Completion notes">{repair.completionNotes}</Row> : null}
      {repair.rejection ? (
        <Row label="Last rejection">
          {REJECTION_REASON_LABELS[repair.rejection.reason as keyof typeof REJECTION_REASON_LABELS] ?? repair.rejection.reason}
          {repair.rejection.detail ? `: ${repair.rejection.detail}` : ''}
        </Row>
      ) : null}
      {repair.payment ? (
        <Row label="Payment">
          <PaymentFigures payment={repair.payment} side={side} />
        </Row>
      ) : null}
    </dl>
  );
}

function PaymentFigures({ payment, side }: { payment: NonNullable<Repair['payment']>; side: WorkOrganisation['side'] }) {
  return (
    <>
      <ul className="govuk-list">
        <li>Price: {pounds(payment.basePence)}</li>
        {payment.bulkDiscountPence > 0 ? <li>Bulk discount: −{pounds(payment.bulkDiscountPence)}</li> : null}
        {payment.lateReductionPence > 0 ? <li>Late-delivery reduction: −{pounds(payment.lateReductionPence)}</li> : null}
        <li>
          <strong>To the contractor: {pounds(payment.contractorPaymentPence)}</strong>
        </li>
        {side === 'association' && payment.hostFeePence > 0 ? <li>Host’s fee: {pounds(payment.hostFeePence)}</li> : null}
        {side === 'association' ? <li>The association pays: {pounds(payment.associationPaysPence)}</li> : null}
      </ul>
      <p className="govuk-body-s govuk-!-margin-bottom-0">
        {payment.paymentRunId ? 'Paid in a payment run.' : 'Not in a payment run yet.'} Computed from the contract’s terms (revision{' '}
        {payment.termsRevision}) and its recorded history; anyone with the contract record can recompute it.
      </p>
    </>
  );
}

function History({ repair }: { repair: Repair }) {
  return (
    <>
      <h2 className="govuk-heading-m">History</h2>
      <ol className="govuk-list">
        {repair.history.map((s) => (
          <li key={s.ledgerIndex} className="govuk-!-margin-bottom-3">
            <strong>{workStepWords(s.type)}</strong>, {formatDateTime(s.at)}
            <br />
            <ReceiptLink apiBasePath={appConfig.apiBasePath} log={repair.log} ledgerIndex={s.ledgerIndex} context={workStepWords(s.type)} />
          </li>
        ))}
      </ol>
    </>
  );
}

interface NextStepProps {
  repair: Repair;
  organisation: WorkOrganisation;
  isPending: boolean;
  onStep: (step: WorkStep, outcome: string) => void;
}

/** The step or steps this side may take now; nothing when the order waits on the other party. */
function NextStep({ repair, organisation, isPending, onStep }: NextStepProps) {
  const hazardStep = hazardStepDue(repair);
  if (organisation.side === 'association') {
    return (
      <>
        {repair.state === 'raised' ? <TriageForm repair={repair} organisationId={organisation.id} isPending={isPending} onStep={onStep} /> : null}
        {hazardStep === 'hazard-investigated' ? (
          <Section title="Investigate the damp or mould">
            <p className="govuk-body">
              Awaab’s Law: a significant hazard must be investigated within the contract’s working days of the report. Record it once the investigation is done;
              the contractor cannot complete the job before.
            </p>
            <ConfirmAction
              label="Record the investigation"
              question="Record that the hazard was investigated?"
              consequences={<p className="govuk-body">This adds an entry to the contract’s ledger, with the time now. It cannot be undone.</p>}
              confirmLabel="Yes, record the investigation"
              isWarning={false}
              isPending={isPending}
              onConfirm={() => onStep({ step: 'hazard-investigated', body: {} }, 'The investigation is recorded.')}
            />
          </Section>
        ) : null}
        {hazardStep === 'hazard-summary-issued' ? (
          <Section title="Send the tenant a written summary">
            <p className="govuk-body">Record when the written summary of the investigation has gone to the tenant.</p>
            <ConfirmAction
              label="Record the written summary"
              question="Record that the written summary was sent?"
              consequences={<p className="govuk-body">This adds an entry to the contract’s ledger, with the time now. It cannot be undone.</p>}
              confirmLabel="Yes, record it"
              isWarning={false}
              isPending={isPending}
              onConfirm={() => onStep({ step: 'hazard-summary-issued', body: {} }, 'The written summary is recorded.')}
            />
          </Section>
        ) : null}
        {repair.state === 'completed' ? <CheckWork isPending={isPending} onStep={onStep} /> : null}
      </>
    );
  }
  return (
    <>
      {repair.state === 'triaged' ? (
        <Section title="Accept the job">
          <p className="govuk-body">Accepting tells the association and the tenant that you will do it by {formatDateTime(repair.dueAt!)}.</p>
          <button type="button" className="govuk-button" disabled={isPending} aria-disabled={isPending} onClick={() => onStep({ step: 'accept', body: {} }, 'You accepted the job.')}>
            Accept the job
          </button>
        </Section>
      ) : null}
      {['accepted', 'scheduled', 'rejected'].includes(repair.state) ? (
        <>
          <ScheduleForm isPending={isPending} onStep={onStep} rescheduling={repair.appointment !== null} />
          {hazardStep === 'hazard-investigated' ? (
            <Section title="Complete the job">
              <p className="govuk-body">The association must record its investigation of the damp or mould hazard before the job can be completed.</p>
            </Section>
          ) : (
            <CompleteForm isPending={isPending} onStep={onStep} />
          )}
        </>
      ) : null}
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="govuk-!-margin-bottom-8" aria-label={title}>
      <h2 className="govuk-heading-m">{title}</h2>
      {children}
    </section>
  );
}

function TriageForm({ repair, organisationId, isPending, onStep }: { repair: Repair; organisationId: string; isPending: boolean; onStep: NextStepProps['onStep'] }) {
  const contracts = useContracts(organisationId);
  const catalogue = catalogueOf(contracts.data?.contracts.find((c) => c.contractId === repair.contractId));
  const [answers, setAnswers] = useState<TriageAnswers>(() => triageAnswersFor(repair));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const update = (patch: Partial<TriageAnswers>) => setAnswers((current) => ({ ...current, ...patch }));
  const ids = triageFieldIds;
  const summaryTarget = (fieldId: string) =>
    fieldId === ids.itemCode && catalogue[0] ? choiceId(ids.itemCode, catalogue[0].code) : fieldId === ids.priority ? choiceId(ids.priority, PRIORITIES[0]) : fieldId === ids.hazard ? choiceId(ids.hazard, HAZARDS[0]) : fieldId;

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateTriage(answers, catalogue.map((item) => item.code));
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    onStep(result.step, 'The job is sent to the contractor with its deadline.');
  }

  return (
    <Section title="Triage the repair">
      <ErrorSummary errors={errors.map((e) => (e.fieldId ? { ...e, fieldId: summaryTarget(e.fieldId) } : e))} />
      {contracts.isPending ? <LoadingMessage>Loading the contract’s catalogue…</LoadingMessage> : null}
      {contracts.isError ? <ProblemBanner what="the contract’s catalogue" error={contracts.error} /> : null}
      {contracts.isSuccess ? (
        <form noValidate onSubmit={submit}>
          <Choices<string>
            kind="radio"
            id={ids.itemCode}
            legend="Which catalogue item is the work?"
            legendSize="s"
            hint="The contract’s price list. The item sets the price the contractor is paid."
            error={errorFor(errors, ids.itemCode)}
            choices={catalogue.map((item) => ({
              value: item.code,
              id: choiceId(ids.itemCode, item.code),
              label: `${item.description} (${item.code})`,
              hint: `${pounds(item.unitPricePence)} each. ${item.specification}`,
            }))}
            isChecked={(code) => answers.itemCode === code}
            onToggle={(code) => update({ itemCode: code })}
          />
          <TextInput
            id={ids.quantity}
            label="How many"
            inputMode="numeric"
            width="3"
            error={errorFor(errors, ids.quantity)}
            value={answers.quantity}
            onChange={(e) => update({ quantity: e.target.value })}
          />
          <Choices
            kind="radio"
            id={ids.priority}
            legend="How urgent is it?"
            legendSize="s"
            hint={`The tenant said: ${PRIORITY_LABELS[repair.reportedPriority].toLowerCase()}. The priority sets the deadline.`}
            error={errorFor(errors, ids.priority)}
            choices={PRIORITIES.map((p) => ({ value: p, id: choiceId(ids.priority, p), label: PRIORITY_LABELS[p] }))}
            isChecked={(p) => answers.priority === p}
            onToggle={(p) => update({ priority: p })}
          />
          <Choices
            kind="radio"
            id={ids.hazard}
            legend="Is there a damp or mould hazard?"
            legendSize="s"
            hint={repair.hazards.dampOrMould ? 'The tenant reported damp or mould.' : 'The tenant did not report damp or mould.'}
            error={errorFor(errors, ids.hazard)}
            choices={HAZARDS.map((h) => ({ value: h, id: choiceId(ids.hazard, h), label: HAZARD_LABELS[h].label, hint: HAZARD_LABELS[h].hint }))}
            isChecked={(h) => answers.hazard === h}
            onToggle={(h) => update({ hazard: h })}
          />
          <button type="submit" className="govuk-button" disabled={isPending} aria-disabled={isPending}>
            {isPending ? 'Sending…' : 'Send to the contractor'}
          </button>
        </form>
      ) : null}
    </Section>
  );
}

function ScheduleForm({ isPending, onStep, rescheduling }: { isPending: boolean; onStep: NextStepProps['onStep']; rescheduling: boolean }) {
  const [answers, setAnswers] = useState<ScheduleAnswers>({ start: '', end: '' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateSchedule(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    onStep(result.step, 'The visit is booked. The tenant sees it in their account.');
  }
  return (
    <Section title={rescheduling ? 'Change the visit' : 'Book a visit'}>
      <ErrorSummary errors={errors} />
      <form noValidate onSubmit={submit}>
        <TextInput
          id={scheduleFieldIds.start}
          label="Starts"
          hint="Date and time in your time zone"
          type="datetime-local"
          width="20"
          error={errorFor(errors, scheduleFieldIds.start)}
          value={answers.start}
          onChange={(e) => setAnswers({ ...answers, start: e.target.value })}
        />
        <TextInput
          id={scheduleFieldIds.end}
          label="Ends"
          type="datetime-local"
          width="20"
          error={errorFor(errors, scheduleFieldIds.end)}
          value={answers.end}
          onChange={(e) => setAnswers({ ...answers, end: e.target.value })}
        />
        <button type="submit" className="govuk-button govuk-button--secondary" disabled={isPending} aria-disabled={isPending}>
          {rescheduling ? 'Change the visit' : 'Book the visit'}
        </button>
      </form>
    </Section>
  );
}

function CompleteForm({ isPending, onStep }: { isPending: boolean; onStep: NextStepProps['onStep'] }) {
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | undefined>();
  function submit(event: FormEvent) {
    event.preventDefault();
    if (notes.trim().length > 1000) {
      setError('The notes must be 1,000 characters or fewer');
      return;
    }
    setError(undefined);
    onStep({ step: 'complete', body: { notes: notes.trim() } }, 'The job is marked complete. The association will check it.');
  }
  return (
    <Section title="Complete the job">
      <ErrorSummary errors={error ? [{ fieldId: 'completion-notes', message: error }] : []} />
      <form noValidate onSubmit={submit}>
        <TextArea
          id="completion-notes"
          label="What you did (optional)"
          hint="For the association. The notes are not recorded in the ledger."
          error={error}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
        <button type="submit" className="govuk-button" disabled={isPending} aria-disabled={isPending}>
          Mark the job complete
        </button>
      </form>
    </Section>
  );
}

function CheckWork({ isPending, onStep }: { isPending: boolean; onStep: NextStepProps['onStep'] }) {
  const [answers, setAnswers] = useState<RejectionAnswers>({ reason: '', detail: '' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  function reject(event: FormEvent) {
    event.preventDefault();
    const result = validateRejection(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    onStep(result.step, 'The work is rejected. The contractor must do it again.');
  }
  return (
    <>
      <Section title="Confirm the work">
        <p className="govuk-body">Confirm once you have checked the work is done and right. Confirming prices the job from the contract’s terms.</p>
        <ConfirmAction
          label="Confirm the work is done"
          question="Confirm the work is done?"
          consequences={
            <p className="govuk-body">
              The job is priced now, with the contract’s discounts and any late-delivery reduction, and the payment becomes due in your next payment run.
              This is recorded in the contract’s ledger and cannot be undone.
            </p>
          }
          confirmLabel="Yes, confirm the work"
          isWarning={false}
          isPending={isPending}
          onConfirm={() => onStep({ step: 'confirm', body: {} }, 'The work is confirmed and the job is priced.')}
        />
      </Section>
      <Section title="Or reject the work">
        <ErrorSummary
          errors={errors.map((e) => (e.fieldId === rejectionFieldIds.reason ? { ...e, fieldId: choiceId(rejectionFieldIds.reason, REJECTION_REASONS[0]) } : e))}
        />
        <form noValidate onSubmit={reject}>
          <Choices
            kind="radio"
            id={rejectionFieldIds.reason}
            legend="Why is the work not right?"
            legendSize="s"
            error={errorFor(errors, rejectionFieldIds.reason)}
            choices={REJECTION_REASONS.map((r) => ({ value: r, id: choiceId(rejectionFieldIds.reason, r), label: REJECTION_REASON_LABELS[r] }))}
            isChecked={(r) => answers.reason === r}
            onToggle={(r) => setAnswers({ ...answers, reason: r })}
          />
          <TextArea
            id={rejectionFieldIds.detail}
            label="Detail for the contractor (optional)"
            hint={`Up to ${MAX_REJECTION_DETAIL} characters. It is recorded in the ledger: write no names, addresses or other personal details.`}
            rows={3}
            error={errorFor(errors, rejectionFieldIds.detail)}
            value={answers.detail}
            onChange={(e) => setAnswers({ ...answers, detail: e.target.value })}
          />
          <button type="submit" className="govuk-button govuk-button--warning" disabled={isPending} aria-disabled={isPending}>
            Reject the work
          </button>
        </form>
      </Section>
    </>
  );
}
