import { ORGANISATION_KINDS, type OrganisationKind } from '@townhall/protocol';
import {
  ApiError,
  choiceId,
  Choices,
  errorFor,
  ErrorSummary,
  type FieldError,
  ORGANISATION_KIND_WORDS,
  Panel,
  ProblemBanner,
  TextInput,
} from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useRegisterOrganisation, type NewOrganisation, type RegistrationOutcome } from '../api/organisations.ts';
import {
  duplicateNumberError,
  emptyAnswers,
  errorsFromIssues,
  fieldIds,
  summaryTarget,
  validateRegistration,
  type RegistrationAnswers,
} from '../lib/registration-form.ts';
import { InvitationLink } from './invitation-link.tsx';
import { InviteAdministratorForm } from './invite-administrator.tsx';

const PAGE_TITLE = 'Register an organisation';
const ADMINISTRATOR_HINT =
  'The person who will manage the organisation’s members. They get a one-time invitation link, and others see this name.';

const KIND_HINTS: Record<OrganisationKind, string> = {
  business: 'A company or sole trader that uses the council’s services, for example for licences or trade waste',
  contractor: 'A firm that works for the council or its housing associations, for example on repairs',
  'housing-association': 'A registered provider of social housing',
  council: 'Another council, for example in a consortium',
  charity: 'A registered charity',
};

/**
 * "Register an organisation": the form, then the confirmation with the first administrator's
 * one-time invitation link. The link lives only in this component's state: it is shown once.
 */
export function RegisterOrganisation() {
  const register = useRegisterOrganisation();
  const [registered, setRegistered] = useState<{ outcome: RegistrationOutcome; administratorName: string } | null>(null);
  if (registered) {
    return (
      <OrganisationRegistered
        {...registered}
        onRegisterAnother={() => {
          register.reset();
          setRegistered(null);
        }}
      />
    );
  }
  return (
    <RegistrationForm
      isSaving={register.isPending}
      onSave={(request) => register.mutateAsync(request)}
      onRegistered={(outcome, administratorName) => setRegistered({ outcome, administratorName })}
    />
  );
}

interface RegistrationFormProps {
  isSaving: boolean;
  /** Rejects with the server's ApiError; VALIDATION_FAILED issues are shown on their fields. */
  onSave: (request: NewOrganisation) => Promise<RegistrationOutcome>;
  onRegistered: (outcome: RegistrationOutcome, administratorName: string) => void;
}

function RegistrationForm({ isSaving, onSave, onRegistered }: RegistrationFormProps) {
  const [answers, setAnswers] = useState<RegistrationAnswers>(emptyAnswers);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const update = (patch: Partial<RegistrationAnswers>) => setAnswers((current) => ({ ...current, ...patch }));
  const error = (fieldId: string) => errorFor(errors, fieldId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateRegistration(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    try {
      const { registration, administratorName } = result;
      onRegistered(await onSave({ registration, administratorName }), administratorName);
    } catch (failure) {
      if (failure instanceof ApiError && failure.issues.length > 0) setErrors(errorsFromIssues(failure.issues));
      else if (failure instanceof ApiError && failure.code === 'CONFLICT') setErrors([duplicateNumberError(answers, failure.message)]);
      else {
        const message = failure instanceof Error ? failure.message : 'The organisation could not be registered';
        setErrors([{ fieldId: null, message }]);
      }
    }
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${PAGE_TITLE} – ${appConfig.serviceName}`}</title>
      <Link to="/organisations" className="govuk-back-link">
        Back to the organisations
      </Link>
      <ErrorSummary errors={errors.map((e) => (e.fieldId ? { ...e, fieldId: summaryTarget(e.fieldId) } : e))} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{PAGE_TITLE}</h1>
          <p className="govuk-body">
            Register a business, contractor, housing association, council or charity so that its people can sign in to the council’s
            services for it. Its kind, legal name and numbers are recorded in the public registry log; its address is kept in the
            council’s register only.
          </p>
          <form noValidate onSubmit={(event) => void submit(event)}>
            <Choices<OrganisationKind>
              kind="radio"
              id={fieldIds.kind}
              legend="What kind of organisation is it?"
              error={error(fieldIds.kind)}
              choices={ORGANISATION_KINDS.map((kind) => ({
                value: kind,
                id: choiceId(fieldIds.kind, kind),
                label: ORGANISATION_KIND_WORDS[kind],
                hint: KIND_HINTS[kind],
              }))}
              isChecked={(kind) => answers.kind === kind}
              onToggle={(kind) => update({ kind })}
            />
            <TextInput
              id={fieldIds.legalName}
              label={<strong>Legal name</strong>}
              hint="As registered, for example with Companies House or the Charity Commission"
              error={error(fieldIds.legalName)}
              value={answers.legalName}
              onChange={(event) => update({ legalName: event.target.value })}
              autoComplete="off"
            />
            <TextInput
              id={fieldIds.companyNumber}
              label={<strong>Companies House number (if it has one)</strong>}
              hint="8 characters, for example 01234567 or SC123456"
              error={error(fieldIds.companyNumber)}
              value={answers.companyNumber}
              onChange={(event) => update({ companyNumber: event.target.value })}
              width="10"
              spellCheck={false}
              autoComplete="off"
            />
            <TextInput
              id={fieldIds.charityNumber}
              label={<strong>Charity number (if it has one)</strong>}
              hint="Its number with the Charity Commission for England and Wales, for example 1123456 or 1123456-1"
              error={error(fieldIds.charityNumber)}
              value={answers.charityNumber}
              onChange={(event) => update({ charityNumber: event.target.value })}
              width="10"
              spellCheck={false}
              autoComplete="off"
            />
            <div className={`govuk-form-group${error(fieldIds.address) ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label govuk-label--s" htmlFor={fieldIds.address}>
                Address
              </label>
              <div className="govuk-hint" id={`${fieldIds.address}-hint`}>
                Its registered or main office address. It is not published.
              </div>
              {error(fieldIds.address) ? (
                <p className="govuk-error-message" id={`${fieldIds.address}-error`}>
                  <span className="govuk-visually-hidden">Error:</span> {error(fieldIds.address)}
                </p>
              ) : null}
              <textarea
                className={`govuk-textarea${error(fieldIds.address) ? ' govuk-textarea--error' : ''}`}
                id={fieldIds.address}
                name={fieldIds.address}
                rows={4}
                autoComplete="off"
                aria-describedby={`${fieldIds.address}-hint${error(fieldIds.address) ? ` ${fieldIds.address}-error` : ''}`}
                value={answers.address}
                onChange={(event) => update({ address: event.target.value })}
              />
            </div>
            <h2 className="govuk-heading-m">Its first administrator</h2>
            <TextInput
              id={fieldIds.administratorName}
              label={<strong>Their name</strong>}
              hint={ADMINISTRATOR_HINT}
              error={error(fieldIds.administratorName)}
              value={answers.administratorName}
              onChange={(event) => update({ administratorName: event.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
            <button type="submit" className="govuk-button" disabled={isSaving} aria-disabled={isSaving}>
              {isSaving ? 'Registering…' : 'Register and create the invitation link'}
            </button>
          </form>
        </div>
      </div>
    </>
  );
}

interface RegisteredProps {
  outcome: RegistrationOutcome;
  administratorName: string;
  onRegisterAnother: () => void;
}

function OrganisationRegistered({ outcome, administratorName, onRegisterAnother }: RegisteredProps) {
  const { organisation } = outcome;
  return (
    <>
      <title>{`Organisation registered – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Organisation registered">
            {organisation.legalName} is on the council’s register
            <br />
            (registry entry {organisation.registeredIndex})
          </Panel>
          {outcome.invitation ? (
            <InvitationLink invitation={outcome.invitation} administratorName={administratorName} />
          ) : (
            <>
              <ProblemBanner
                what=""
                headline={`Sorry, the invitation link for ${administratorName} could not be made.`}
                error={outcome.invitationError}
              />
              <InviteAdministratorForm organisation={organisation} initialName={administratorName} />
            </>
          )}
          <h2 className="govuk-heading-m">What happens next</h2>
          <p className="govuk-body">
            The registration is recorded in the public registry log. Anyone can see {organisation.legalName}’s kind, name, numbers and
            status on its public page, and residents can check there that someone at their door is one of its current members.
          </p>
          <div className="govuk-button-group">
            <Link to="/organisations" className="govuk-button" draggable={false}>
              Back to the organisations
            </Link>
            <button type="button" className="govuk-button govuk-button--secondary" onClick={onRegisterAnother}>
              Register another organisation
            </button>
          </div>
        </div>
      </div>
    </>
  );
}
