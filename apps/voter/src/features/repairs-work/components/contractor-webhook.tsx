import { MAX_WEBHOOK_ATTEMPTS, type ContractorWebhook, type WebhookDelivery } from '@townhall/protocol';
import {
  ApiError,
  ConfirmAction,
  errorFor,
  ErrorSummary,
  type FieldError,
  formatDateTime,
  LoadingMessage,
  OneTimeSecret,
  orderReference,
  ProblemBanner,
  SuccessBanner,
  TextInput,
} from '@townhall/web-ui';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import {
  useChangeWebhook,
  useContractorWebhook,
  useDeleteWebhook,
  useRegisterWebhook,
  useRotateWebhookSecret,
  useWebhookDeliveries,
} from '../api/contractor-webhook.ts';
import { deliveryTag, urlErrorOf, validateWebhookUrl, WEBHOOK_EVENT_WORDS, WEBHOOK_URL_ID } from '../lib/webhook-form.ts';
import { workItemPath, type WorkOrganisation } from './work-queue.tsx';

/**
 * `/account/organisations/:organisationId/webhook`, for a contractor's administrators: the endpoint
 * its new work orders are sent to (docs/protocol/contracts.md §14), its signing secret shown once,
 * pause and resume, a new secret and deletion (each asks first), and the latest deliveries.
 */
export function ContractorWebhookPage({ organisation }: { organisation: WorkOrganisation }) {
  const state = useContractorWebhook(organisation.id);
  const webhook = state.data?.webhook ?? null;
  const [secret, setSecret] = useState<{ value: string; isRotated: boolean } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const title = `Webhook for ${organisation.name}`;
  const isRefused = state.error instanceof ApiError && ['FORBIDDEN', 'ORGANISATION_NOT_ACTIVE'].includes(state.error.code);

  return (
    <>
      <title>{`${title} – ${appConfig.serviceName}`}</title>
      <Link to={`/account/organisations/${encodeURIComponent(organisation.id)}/work`} className="govuk-back-link">
        Back to work orders
      </Link>
      {done ? <SuccessBanner titleId="webhook-done-title" heading={done} takesFocus /> : null}
      <span className="govuk-caption-l">{organisation.name}</span>
      <h1 className="govuk-heading-l">Webhook for new work orders</h1>
      <p className="govuk-body">
        Your own system can be told of each work order as soon as an association sends it to you, with its deadline, and again when the association rejects or
        confirms the work. We send it to the address you register here, and sign every request so that your system can check it came from us.
      </p>
      {state.isPending ? <LoadingMessage>Loading the webhook…</LoadingMessage> : null}
      {isRefused ? (
        <p className="govuk-body">
          {(state.error as ApiError).code === 'ORGANISATION_NOT_ACTIVE'
            ? `${organisation.name} is not active, so nobody can act for it until the council reinstates it.`
            : `Only ${organisation.name}’s administrators can manage its webhook.`}
        </p>
      ) : state.isError ? (
        <ProblemBanner what="the webhook" error={state.error} />
      ) : null}
      {secret ? <SecretOnce secret={secret.value} isRotated={secret.isRotated} onDone={() => setSecret(null)} /> : null}
      {state.isSuccess && webhook === null ? (
        <RegisterForm
          organisationId={organisation.id}
          onRegistered={(value) => {
            setDone(null);
            setSecret({ value, isRotated: false });
          }}
        />
      ) : null}
      {webhook ? (
        <>
          <Settings
            organisationId={organisation.id}
            webhook={webhook}
            onSecret={(value) => {
              setDone(null);
              setSecret({ value, isRotated: true });
            }}
            onDone={(outcome) => {
              setSecret(null);
              setDone(outcome);
            }}
          />
          <Deliveries organisationId={organisation.id} isPaused={webhook.isPaused} />
        </>
      ) : null}
    </>
  );
}

function SecretOnce({ secret, isRotated, onDone }: { secret: string; isRotated: boolean; onDone: () => void }) {
  return (
    <section className="govuk-!-margin-bottom-8" aria-labelledby="secret-heading">
      <h2 className="govuk-heading-m" id="secret-heading">
        {isRotated ? 'Your new signing secret' : 'Your webhook is registered: here is its signing secret'}
      </h2>
      <OneTimeSecret
        id="webhook-secret"
        label="Signing secret"
        hint="Put it in your system’s settings. Any Standard Webhooks library checks our requests with it."
        value={secret}
        copyLabel="Copy the secret"
        warning={isRotated ? 'Copy the secret now. It will not be shown again, and the old one no longer works.' : 'Copy the secret now. It will not be shown again.'}
      />
      <button type="button" className="govuk-button govuk-button--secondary" onClick={onDone}>
        I have saved the secret
      </button>
    </section>
  );
}

/** One address field, checked here first, then by the server; both say what to fix on the field. */
function AddressForm({ label, hint, button, isPending, initial = '', onSubmit }: { label: string; hint: ReactNode; button: string; isPending: boolean; initial?: string; onSubmit: (url: string) => Promise<unknown> }) {
  const [text, setText] = useState(initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = validateWebhookUrl(text);
    if (!checked.ok) {
      setErrors([checked.error]);
      return;
    }
    setErrors([]);
    try {
      await onSubmit(checked.url);
    } catch (failure) {
      const onField = urlErrorOf(failure);
      setErrors([onField ?? { fieldId: null, message: failure instanceof Error ? failure.message : 'The address could not be saved. Try again.' }]);
    }
  }
  return (
    <>
      <ErrorSummary errors={errors} />
      <form noValidate onSubmit={(event) => void submit(event)}>
        <TextInput
          id={WEBHOOK_URL_ID}
          label={label}
          hint={hint}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          isCode
          error={errorFor(errors, WEBHOOK_URL_ID)}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="govuk-button" disabled={isPending} aria-disabled={isPending}>
          {button}
        </button>
      </form>
    </>
  );
}

const ADDRESS_HINT = 'It must start with https://. Your system must answer each request within 10 seconds with a status from 200 to 299.';

function RegisterForm({ organisationId, onRegistered }: { organisationId: string; onRegistered: (secret: string) => void }) {
  const register = useRegisterWebhook(organisationId);
  return (
    <section aria-labelledby="register-heading">
      <h2 className="govuk-heading-m" id="register-heading">
        Register your endpoint
      </h2>
      <p className="govuk-body">No webhook is registered: work orders reach you only on your work queue.</p>
      <AddressForm
        label="Endpoint address"
        hint={ADDRESS_HINT}
        button="Register the endpoint"
        isPending={register.isPending}
        onSubmit={async (url) => onRegistered((await register.mutateAsync(url)).secret)}
      />
    </section>
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

interface SettingsProps {
  organisationId: string;
  webhook: ContractorWebhook;
  onSecret: (secret: string) => void;
  onDone: (outcome: string) => void;
}

function Settings({ organisationId, webhook, onSecret, onDone }: SettingsProps) {
  const change = useChangeWebhook(organisationId);
  const rotate = useRotateWebhookSecret(organisationId);
  const remove = useDeleteWebhook(organisationId);
  const [isChanging, setIsChanging] = useState(false);
  const failure = [change, rotate, remove].find((m) => m.isError && !urlErrorOf(m.error));
  return (
    <>
      {failure ? <ProblemBanner what="" headline="Sorry, that could not be done." error={failure.error} /> : null}
      <h2 className="govuk-heading-m">Your endpoint</h2>
      <dl className="govuk-summary-list">
        <Row label="Address">
          <code className="th-code">{webhook.url}</code>
        </Row>
        <Row label="Deliveries">
          {webhook.isPaused ? (
            <>
              <strong className="govuk-tag govuk-tag--grey">Paused</strong> New events wait and are sent, oldest first, when you resume.
            </>
          ) : (
            <strong className="govuk-tag govuk-tag--green">On</strong>
          )}
        </Row>
        <Row label="Registered">{formatDateTime(webhook.createdAt)}</Row>
        <Row label="Signing secret">Made {formatDateTime(webhook.secretCreatedAt)}. It is shown only when it is made.</Row>
      </dl>

      {isChanging ? (
        <section className="govuk-!-margin-bottom-6" aria-labelledby="change-heading">
          <h3 className="govuk-heading-s" id="change-heading">
            Change the address
          </h3>
          <AddressForm
            label="New endpoint address"
            hint={`${ADDRESS_HINT} Deliveries not yet made go to the new address.`}
            button="Save the new address"
            isPending={change.isPending}
            initial={webhook.url}
            onSubmit={async (url) => {
              await change.mutateAsync({ url });
              setIsChanging(false);
              onDone('The new address is saved.');
            }}
          />
        </section>
      ) : null}
      <div className="govuk-button-group">
        {isChanging ? null : (
          <button type="button" className="govuk-button govuk-button--secondary" onClick={() => setIsChanging(true)}>
            Change the address
          </button>
        )}
        <button
          type="button"
          className="govuk-button govuk-button--secondary"
          disabled={change.isPending}
          aria-disabled={change.isPending}
          onClick={() =>
            change.mutate(
              { isPaused: !webhook.isPaused },
              { onSuccess: () => onDone(webhook.isPaused ? 'Deliveries are on again. Any that waited are being sent.' : 'Deliveries are paused. New events wait until you resume.') },
            )
          }
        >
          {webhook.isPaused ? 'Resume deliveries' : 'Pause deliveries'}
        </button>
      </div>

      <h3 className="govuk-heading-s">If the secret may be known to someone else</h3>
      <ConfirmAction
        label="Make a new secret"
        buttonClassName="govuk-button--secondary"
        question="Make a new signing secret?"
        consequences={
          <p className="govuk-body">
            The current secret stops working at once: every request from now on, retries included, is signed with the new one. Put the new secret in your system
            straight away, or it will refuse our requests.
          </p>
        }
        confirmLabel="Yes, make a new secret"
        isPending={rotate.isPending}
        onConfirm={() => rotate.mutate(undefined, { onSuccess: (answer) => onSecret(answer.secret) })}
      />
      <h3 className="govuk-heading-s">Stop using a webhook</h3>
      <ConfirmAction
        label="Delete the webhook"
        buttonClassName="govuk-button--warning"
        question="Delete the webhook?"
        consequences={
          <p className="govuk-body">
            We stop sending events to <code className="th-code">{webhook.url}</code>, and drop any not yet delivered. Your work orders stay on your work queue. You
            can register an endpoint again later; it gets a new secret.
          </p>
        }
        confirmLabel="Yes, delete the webhook"
        isPending={remove.isPending}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => onDone('The webhook is deleted.') })}
      />
    </>
  );
}

function Deliveries({ organisationId, isPaused }: { organisationId: string; isPaused: boolean }) {
  const deliveries = useWebhookDeliveries(organisationId, { enabled: true });
  return (
    <section aria-labelledby="deliveries-heading" className="govuk-!-margin-top-6">
      <h2 className="govuk-heading-m" id="deliveries-heading">
        Recent deliveries
      </h2>
      {deliveries.isPending ? <LoadingMessage>Loading the deliveries…</LoadingMessage> : null}
      {deliveries.isError ? <ProblemBanner what="the deliveries" error={deliveries.error} /> : null}
      {deliveries.isSuccess && deliveries.data.deliveries.length === 0 ? (
        <p className="govuk-body">No deliveries yet. Each work order an association sends you will be listed here, with what your endpoint answered.</p>
      ) : null}
      {deliveries.isSuccess && deliveries.data.deliveries.length > 0 ? (
        <>
          <p className="govuk-body">
            The latest {deliveries.data.deliveries.length === 1 ? 'delivery' : `${deliveries.data.deliveries.length} deliveries`}, newest first. A delivery that fails is
            tried again, {MAX_WEBHOOK_ATTEMPTS} times in all over about a day, each wait longer than the one before.
          </p>
          <DeliveryTable organisationId={organisationId} deliveries={deliveries.data.deliveries} isPaused={isPaused} />
        </>
      ) : null}
    </section>
  );
}

const HEADINGS = ['Event', 'Status', 'HTTP status', 'Attempts', 'Next try'] as const;

function DeliveryTable({ organisationId, deliveries, isPaused }: { organisationId: string; deliveries: WebhookDelivery[]; isPaused: boolean }) {
  const cell = (heading: (typeof HEADINGS)[number], content: ReactNode) => (
    <td className="govuk-table__cell" role="cell">
      <span className="th-stacked-table__label" aria-hidden="true">
        {heading}
      </span>
      {content}
    </td>
  );
  const hint = (text: string) => <span className="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0 th-break-anywhere">{text}</span>;
  // On a phone each row is stacked, every value under its column's name (th-stacked-table).
  return (
    <table className="govuk-table th-stacked-table" role="table">
      <caption className="govuk-table__caption govuk-visually-hidden">Recent deliveries</caption>
      <thead className="govuk-table__head" role="rowgroup">
        <tr className="govuk-table__row" role="row">
          <th scope="col" className="govuk-table__header" role="columnheader">
            Order
          </th>
          {HEADINGS.map((heading) => (
            <th key={heading} scope="col" className="govuk-table__header" role="columnheader">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body" role="rowgroup">
        {deliveries.map((delivery) => {
          const tag = deliveryTag(delivery, isPaused);
          return (
            <tr className="govuk-table__row" role="row" key={delivery.id}>
              <th scope="row" className="govuk-table__header th-nowrap" role="rowheader">
                <Link className="govuk-link" to={workItemPath(organisationId, delivery.orderId)}>
                  <span className="govuk-visually-hidden">Repair </span>
                  {orderReference(delivery.orderId)}
                </Link>
              </th>
              {cell(
                'Event',
                <>
                  {WEBHOOK_EVENT_WORDS[delivery.type]}
                  {hint(formatDateTime(delivery.createdAt))}
                </>,
              )}
              {cell(
                'Status',
                <>
                  <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
                  {delivery.lastError ? hint(delivery.lastError) : null}
                </>,
              )}
              {cell('HTTP status', delivery.lastStatusCode ?? (delivery.attempts === 0 ? '–' : 'No answer'))}
              {cell('Attempts', `${delivery.attempts} of ${MAX_WEBHOOK_ATTEMPTS}`)}
              {cell('Next try', delivery.nextAttemptAt && !isPaused ? formatDateTime(delivery.nextAttemptAt) : '–')}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
