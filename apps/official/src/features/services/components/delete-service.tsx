import type { ServiceSummary } from '@townhall/protocol';
import { ErrorSummary, errorFor, formatDateTime, LoadingMessage, ProblemBanner, TextInput, WarningText, type FieldError } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { appConfig } from '../../../config/app-config.ts';
import { useDeleteService, useServices } from '../api/services.ts';

const NAME_FIELD_ID = 'confirm-service-name';

/** What the services list is given after a deletion, to say so in its success banner. */
export interface ServiceDeletedState {
  deletedService: string;
}

/** The error for what was typed as the service's name, or null when it is the name (spaces around it ignored). */
export function confirmationError(typed: string, name: string): string | null {
  if (typed.trim() === '') return `Enter the name of the service, ${name}, to delete it`;
  if (typed.trim() !== name) return `The name you entered does not match. Enter ${name} exactly as it is shown`;
  return null;
}

/**
 * "Delete a service": what deleting does (its sign-ins and tokens stop at once, the public registry
 * log records it, it cannot be undone, suspending is the way to pause it), then the service's name
 * typed as the confirmation, and a warning button. Back to the list, which says it is deleted.
 */
export function DeleteService({ clientId }: { clientId: string }) {
  const services = useServices();
  const service = services.data?.services.find((candidate) => candidate.clientId === clientId);
  const title = service ? `Delete ${service.name}` : 'Delete a service';
  return (
    <>
      <Link to="/services" className="govuk-back-link">
        Back
      </Link>
      {services.isPending ? <LoadingMessage>Loading the service…</LoadingMessage> : null}
      {services.isError ? <ProblemBanner what="the service" error={services.error} /> : null}
      {services.isSuccess && !service ? (
        <>
          <title>{`${title} – ${appConfig.serviceName}`}</title>
          <h1 className="govuk-heading-l">There is no such service</h1>
          <p className="govuk-body">It may have been deleted already. Deleted services are not listed.</p>
          <p className="govuk-body">
            <Link to="/services" className="govuk-link">
              Back to the services
            </Link>
          </p>
        </>
      ) : null}
      {service ? <DeleteServiceForm service={service} /> : null}
    </>
  );
}

function DeleteServiceForm({ service }: { service: ServiceSummary }) {
  const remove = useDeleteService();
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = confirmationError(typed, service.name);
    if (problem) {
      setErrors([{ fieldId: NAME_FIELD_ID, message: problem }]);
      return;
    }
    setErrors([]);
    try {
      await remove.mutateAsync(service.clientId);
      const state: ServiceDeletedState = { deletedService: service.name };
      await navigate('/services', { replace: true, state });
    } catch (error) {
      setErrors([{ fieldId: null, message: error instanceof Error ? error.message : 'The service could not be deleted' }]);
    }
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Delete ${service.name} – ${appConfig.serviceName}`}</title>
      <ErrorSummary errors={errors} />
      <span className="govuk-caption-l">Services using Townhall ID</span>
      <h1 className="govuk-heading-l">Delete {service.name}</h1>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Client ID</dt>
          <dd className="govuk-summary-list__value th-code">{service.clientId}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Status</dt>
          <dd className="govuk-summary-list__value">{service.status === 'active' ? 'Active' : 'Suspended'}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Registered</dt>
          <dd className="govuk-summary-list__value">{formatDateTime(service.createdAt)}</dd>
        </div>
      </dl>
      <p className="govuk-body">If you delete this service:</p>
      <ul className="govuk-list govuk-list--bullet">
        <li>it can no longer sign anyone in with Townhall ID, and every sign-in and token it holds stops working at once</li>
        <li>what residents agreed to share with it is cancelled</li>
        <li>
          the public registry log records that it was deleted; what it received before stays on record there, and residents still see
          it on their account page
        </li>
        <li>its client ID is never used again: to connect the service again, register it as a new service</li>
      </ul>
      <WarningText>You cannot undo this.</WarningText>
      <div className="govuk-inset-text">
        To stop it for a while instead, <Link to="/services" className="govuk-link">suspend it from the list of services</Link>: a
        suspended service can be reinstated.
      </div>
      <form onSubmit={submit} noValidate>
        <TextInput
          id={NAME_FIELD_ID}
          name="serviceName"
          label={<span className="govuk-!-font-weight-bold">To confirm, type the name of the service</span>}
          hint={`Type ${service.name}`}
          error={errorFor(errors, NAME_FIELD_ID)}
          width="30"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--warning" disabled={remove.isPending} aria-disabled={remove.isPending}>
            {remove.isPending ? 'Deleting…' : 'Delete the service'}
          </button>
          <Link to="/services" className="govuk-link">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
