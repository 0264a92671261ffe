import { ASSURANCE_LEVELS, type ServiceRegistered, type TownhallIdClaim } from '@townhall/protocol';
import { ApiError, Choices, errorFor, ErrorSummary, type FieldError, Panel, TextInput, WarningText } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useRegisterService } from '../api/services.ts';
import {
  emptyAnswers,
  errorsFromIssues,
  fieldIds,
  optionId,
  requestFromAnswers,
  summaryTarget,
  validateRegistration,
  type AuthMethod,
  type ClientType,
  type RegistrationAnswers,
  type ValidRegistration,
} from '../lib/registration-form.ts';
import { CLAIM_WORDS, CLAIMS_IN_ORDER, scopeOf } from '../lib/service-words.ts';
import { Textarea } from './form-controls.tsx';

const PAGE_TITLE = 'Register a service';

/**
 * "Register a service": the form, then the confirmation with the service's client id and, when one
 * was made, its client secret. The secret lives only in this component's state: it is shown once,
 * and leaving the confirmation forgets it.
 */
export function RegisterService() {
  const register = useRegisterService();
  const [registered, setRegistered] = useState<ServiceRegistered | null>(null);
  if (registered) {
    return (
      <ServiceRegisteredConfirmation
        registered={registered}
        onRegisterAnother={() => {
          register.reset();
          setRegistered(null);
        }}
      />
    );
  }
  return (
    <RegistrationForm isSaving={register.isPending} onSave={(request) => register.mutateAsync(request)} onRegistered={setRegistered} />
  );
}

interface RegistrationFormProps {
  isSaving: boolean;
  /** Rejects with the server's ApiError; VALIDATION_FAILED issues are shown on their fields. */
  onSave: (request: ValidRegistration) => Promise<ServiceRegistered>;
  onRegistered: (registered: ServiceRegistered) => void;
}

const HINTS = {
  redirectUris:
    'Where Townhall ID may send people back to after they sign in, one per line, exactly as the service asks for them. ' +
    'All on one host name, and https only (http only for localhost).',
  claims:
    'People choose what to share when they first sign in to the service: ask only for what it needs. Whatever you choose, ' +
    'the service gets a reference number for each person, different for each service.',
};

/** A text field's label in the weight of the form's other labels (GOV.UK `govuk-label--s`). */
const boldLabel = (text: string) => <span className="govuk-!-font-weight-bold">{text}</span>;

function RegistrationForm({ isSaving, onSave, onRegistered }: RegistrationFormProps) {
  const [answers, setAnswers] = useState<RegistrationAnswers>(emptyAnswers);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const update = (patch: Partial<RegistrationAnswers>) => setAnswers((current) => ({ ...current, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateRegistration(answers);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    try {
      onRegistered(await onSave(result.request));
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) setErrors(errorsFromIssues(error.issues, requestFromAnswers(answers)));
      else setErrors([{ fieldId: null, message: error instanceof Error ? error.message : 'The service could not be registered' }]);
    }
  }

  const toggleClaim = (claim: TownhallIdClaim, checked: boolean) =>
    setAnswers((current) => ({
      ...current,
      claims: checked ? [...current.claims, claim] : current.claims.filter((c) => c !== claim),
      requiredClaims: checked ? current.requiredClaims : current.requiredClaims.filter((c) => c !== claim),
    }));
  const toggleRequired = (claim: TownhallIdClaim, checked: boolean) =>
    setAnswers((current) => ({
      ...current,
      requiredClaims: checked ? [...current.requiredClaims, claim] : current.requiredClaims.filter((c) => c !== claim),
    }));
  const chosenClaims = CLAIMS_IN_ORDER.filter((claim) => answers.claims.includes(claim));
  const error = (fieldId: string) => errorFor(errors, fieldId);

  const keysQuestions = (
    <>
      <Choices<AuthMethod>
        kind="radio"
        id={fieldIds.authMethod}
        legend="How does it prove who it is?"
        legendSize="s"
        error={error(fieldIds.authMethod)}
        choices={[
          {
            value: 'private_key_jwt',
            id: optionId(fieldIds.authMethod, 'private_key_jwt'),
            label: 'With its own keys (recommended)',
            hint: 'It signs with a private key that never leaves its server. You paste its public keys.',
          },
          {
            value: 'client_secret_basic',
            id: optionId(fieldIds.authMethod, 'client_secret_basic'),
            label: 'With a client secret made for it',
            hint: 'Townhall ID makes a secret and shows it to you once, for you to pass on to the service’s developers securely.',
          },
        ]}
        isChecked={(value) => answers.authMethod === value}
        onToggle={(authMethod) => update({ authMethod })}
      />
      {answers.authMethod === 'private_key_jwt' ? (
        <Textarea
          id={fieldIds.jwks}
          label="Its public keys (a JWK Set)"
          hint={
            <>
              Paste the JSON the service’s developers gave you, like <span className="th-code">{'{"keys": [{"kty": "EC", …}]}'}</span>.
              Public keys only: a key with a private part (“d”) is refused.
            </>
          }
          rows={6}
          isCode
          error={error(fieldIds.jwks)}
          value={answers.jwks}
          onChange={(jwks) => update({ jwks })}
        />
      ) : null}
    </>
  );

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${PAGE_TITLE} – ${appConfig.serviceName}`}</title>
      <Link to="/services" className="govuk-back-link">
        Back to the services
      </Link>
      <ErrorSummary errors={errors.map((e) => (e.fieldId ? { ...e, fieldId: summaryTarget(e.fieldId, answers) } : e))} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{PAGE_TITLE}</h1>
          <p className="govuk-body">
            Let one of the council’s online services sign people in with Townhall ID. Its developers can tell you its addresses and, for
            a server, its public keys. The registration is recorded in the public registry log.
          </p>
          <form noValidate onSubmit={(event) => void submit(event)}>
            <TextInput
              id={fieldIds.name}
              label={boldLabel('Name of the service')}
              hint="People see it when they sign in, for example “Garden waste subscription”"
              error={error(fieldIds.name)}
              value={answers.name}
              onChange={(event) => update({ name: event.target.value })}
              autoComplete="off"
            />
            <Textarea
              id={fieldIds.redirectUris}
              label="Redirect URIs"
              hint={HINTS.redirectUris}
              isCode
              error={error(fieldIds.redirectUris)}
              value={answers.redirectUris}
              onChange={(redirectUris) => update({ redirectUris })}
            />
            <Textarea
              id={fieldIds.postLogoutRedirectUris}
              label="Sign-out return URIs (optional)"
              hint="Where people may be sent back to after signing out of Townhall ID from the service, one per line."
              isCode
              error={error(fieldIds.postLogoutRedirectUris)}
              value={answers.postLogoutRedirectUris}
              onChange={(postLogoutRedirectUris) => update({ postLogoutRedirectUris })}
            />
            <TextInput
              id={fieldIds.backchannelLogoutUri}
              label={boldLabel('Back-channel logout URI (optional)')}
              hint="Where Townhall ID tells the service’s server that a person signed out, so that it ends their session too."
              error={error(fieldIds.backchannelLogoutUri)}
              value={answers.backchannelLogoutUri}
              onChange={(event) => update({ backchannelLogoutUri: event.target.value })}
              isCode
              spellCheck={false}
              autoComplete="off"
              type="url"
            />

            <Choices<ClientType>
              kind="radio"
              id={fieldIds.clientType}
              legend="What kind of service is it?"
              error={error(fieldIds.clientType)}
              choices={[
                {
                  value: 'confidential',
                  id: optionId(fieldIds.clientType, 'confidential'),
                  label: 'A server that can keep a key or a secret',
                  hint: 'A website whose code runs on the council’s or a supplier’s server (a confidential client).',
                  conditional: keysQuestions,
                },
                {
                  value: 'public',
                  id: optionId(fieldIds.clientType, 'public'),
                  label: 'An app in the browser or on a phone',
                  hint: 'It cannot keep a secret, so it has no key or secret here and signs people in with PKCE only (a public client).',
                },
              ]}
              isChecked={(value) => answers.clientType === value}
              onToggle={(clientType) => update({ clientType })}
            />

            <Choices<TownhallIdClaim>
              kind="checkbox"
              id={fieldIds.claims}
              legend="What may it ask people to share?"
              hint={HINTS.claims}
              error={error(fieldIds.claims)}
              choices={CLAIMS_IN_ORDER.map((claim) => ({
                value: claim,
                id: optionId(fieldIds.claims, claim),
                label: CLAIM_WORDS[claim],
                hint: (
                  <>
                    Scope <span className="th-code">{scopeOf(claim)}</span>
                  </>
                ),
              }))}
              isChecked={(claim) => answers.claims.includes(claim)}
              onToggle={toggleClaim}
            />

            {chosenClaims.length > 0 ? (
              <Choices<TownhallIdClaim>
                kind="checkbox"
                id={fieldIds.requiredClaims}
                legend="Which of these does it need?"
                hint="People cannot sign in to the service without sharing what you tick here. They can decline the others."
                error={error(fieldIds.requiredClaims)}
                choices={chosenClaims.map((claim) => ({
                  value: claim,
                  id: optionId(fieldIds.requiredClaims, claim),
                  label: CLAIM_WORDS[claim],
                }))}
                isChecked={(claim) => answers.requiredClaims.includes(claim)}
                onToggle={toggleRequired}
              />
            ) : null}

            <Choices
              kind="radio"
              id={fieldIds.minimumAcr}
              legend="Minimum level of assurance"
              hint="How a person’s identity must have been proved for them to sign in. People proved to a higher level can sign in too."
              error={error(fieldIds.minimumAcr)}
              choices={ASSURANCE_LEVELS.map((level, index) => ({
                value: level.acr,
                id: optionId(fieldIds.minimumAcr, index),
                label: level.words,
                hint: <span className="th-code">{level.acr}</span>,
              }))}
              isChecked={(acr) => answers.minimumAcr === acr}
              onToggle={(minimumAcr) => update({ minimumAcr })}
            />

            <Choices
              kind="checkbox"
              id={fieldIds.acceptsRepresentatives}
              legend="People acting for someone"
              error={undefined}
              hint="A resident can appoint someone, such as a carer, to manage their council services. The service is told when it is them."
              choices={[
                {
                  value: 'yes',
                  id: optionId(fieldIds.acceptsRepresentatives, 'yes'),
                  label: 'Let people sign in for a resident who appointed them',
                },
              ]}
              isChecked={() => answers.acceptsRepresentatives}
              onToggle={() => update({ acceptsRepresentatives: !answers.acceptsRepresentatives })}
            />

            <button type="submit" className="govuk-button" disabled={isSaving} aria-disabled={isSaving}>
              Register the service
            </button>
          </form>
        </div>
      </div>
    </>
  );
}

interface ConfirmationProps {
  registered: ServiceRegistered;
  onRegisterAnother: () => void;
}

/** The service's client id and, if one was made, its secret: shown here once and never again. */
function ServiceRegisteredConfirmation({ registered: { service, clientSecret }, onRegisterAnother }: ConfirmationProps) {
  const [copied, setCopied] = useState(false);
  async function copySecret(secret: string) {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Without clipboard access the secret stays selectable in its box.
      setCopied(false);
    }
  }
  return (
    <>
      <title>{`Service registered – ${appConfig.serviceName}`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Service registered">
            {service.name} can now sign people in with Townhall ID.
            <br />
            Its client ID is
            <br />
            <strong className="th-code">{service.clientId}</strong>
          </Panel>
          {clientSecret ? (
            <>
              <h2 className="govuk-heading-m">Its client secret</h2>
              <WarningText>Copy the client secret now. It will not be shown again, and nobody can look it up later.</WarningText>
              <Textarea
                id="client-secret"
                label="Client secret"
                hint="Give it to the service’s developers securely, never by email. If it is lost, register the service again."
                error={undefined}
                value={clientSecret}
                rows={2}
                isCode
              />
              <button
                type="button"
                className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                onClick={() => void copySecret(clientSecret)}
              >
                Copy the secret
              </button>
              <p className="govuk-body-s" role="status">
                {copied ? 'The secret is copied.' : ''}
              </p>
            </>
          ) : null}
          <h2 className="govuk-heading-m">What happens next</h2>
          <p className="govuk-body">
            Give the service’s developers its client ID{clientSecret ? ' and, securely, its secret' : ''}.
          </p>
          <p className="govuk-body">
            The registration is recorded in the public registry log
            {service.ledgerIndex !== null ? ` as entry ${service.ledgerIndex}` : ''}: anyone can see that {service.name} may ask for
            what you chose.
          </p>
          <div className="govuk-button-group">
            <Link to="/services" className="govuk-button" draggable={false}>
              Back to the services
            </Link>
            <button type="button" className="govuk-button govuk-button--secondary" onClick={onRegisterAnother}>
              Register another service
            </button>
          </div>
        </div>
      </div>
    </>
  );
}
