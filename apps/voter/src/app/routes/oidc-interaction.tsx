import { WebAuthnAbortService } from '@simplewebauthn/browser';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { InteractionDetails } from '@townhall/protocol';
import { ApiError, describePasskeyProblem, ErrorSummary, LoadingMessage, ProblemBanner, type FieldError } from '@townhall/web-ui';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { sessionQueryKey, signInWithPasskey, useSession } from '../../features/session/api/session.ts';
import {
  getInteractionDetails,
  signInToService,
  useCancelSignIn,
  useInteractionDetails,
  useShareWithService,
} from '../../features/townhall-id/api/interaction.ts';
import { ConsentForm } from '../../features/townhall-id/components/consent-form.tsx';
import { leaveFor } from '../../features/townhall-id/lib/leave-for.ts';

const SIGN_IN_BUTTON_ID = 'sign-in-with-passkey';
const CANCEL_BUTTON_ID = 'cancel-sign-in';

const isExpired = (error: unknown) => error instanceof ApiError && error.code === 'SIGN_IN_REQUEST_EXPIRED';

/**
 * Townhall ID's sign-in page (/oidc/interaction/:uid): a council service sent the person here to sign
 * in. First they sign in with their passkey; then, the first time, they choose what the service may
 * know. Each step ends by going back into the provider, which returns them to the service.
 */
export function OidcInteractionRoute() {
  const { uid = '' } = useParams();
  const details = useInteractionDetails(uid);

  if (details.isPending) {
    return (
      <>
        <title>Sign in with Townhall ID</title>
        <LoadingMessage>Loading…</LoadingMessage>
      </>
    );
  }
  if (details.isError) {
    if (isExpired(details.error)) return <SignInRequestExpired />;
    return (
      <>
        <title>Error: Sign in with Townhall ID</title>
        <h1 className="govuk-heading-l">Sign in with Townhall ID</h1>
        <ProblemBanner what="this sign-in" error={details.error} />
        <p className="govuk-body">Go back to the service and try again.</p>
      </>
    );
  }
  return details.data.prompt === 'login' ? <ServiceSignIn details={details.data} /> : <ServiceConsent details={details.data} />;
}

function SignInRequestExpired() {
  return (
    <>
      <title>This sign-in link has expired – Townhall ID</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">This sign-in link has expired</h1>
          <p className="govuk-body">
            You have not been signed in. This can happen if you took a long time, if you already finished signing in, or if you started
            signing in with a different browser.
          </p>
          <p className="govuk-body">Go back to the service and start again.</p>
        </div>
      </div>
    </>
  );
}

/** Problems in words, for the error summary: a request stopped because the page was left is none. */
function problemsOf(failures: readonly { error: unknown; fieldId: string }[]): FieldError[] {
  return failures
    .filter(({ error }) => error !== null && !(error instanceof Error && error.name === 'AbortError'))
    .map(({ error, fieldId }) => ({ fieldId, message: describePasskeyProblem(error, 'sign-in') }));
}

function ServiceSignIn({ details }: { details: InteractionDetails }) {
  const service = details.service.name;
  const queryClient = useQueryClient();
  // People the signed-in resident may sign in for (their appointments), once they have signed in.
  const [representing, setRepresenting] = useState<InteractionDetails['representing']>([]);
  const signIn = useMutation({
    mutationFn: async (): Promise<{ redirectTo: string } | null> => {
      // A fresh passkey sign-in to Townhall, then that sign-in is the one the service gets.
      const session = await signInWithPasskey(false);
      queryClient.setQueryData(sessionQueryKey, session);
      const after = await getInteractionDetails(details.uid);
      if (after.representing.length > 0) {
        setRepresenting(after.representing);
        return null;
      }
      return signInToService(details.uid);
    },
    onSuccess: (answer) => {
      if (answer) leaveFor(answer.redirectTo);
    },
  });
  const continueAs = useMutation({
    mutationFn: (actingFor: string | undefined) => signInToService(details.uid, actingFor),
    onSuccess: ({ redirectTo }) => leaveFor(redirectTo),
  });
  const cancel = useCancelSignIn(details.uid);
  // A passkey request still waiting when the page is left is stopped.
  useEffect(() => () => WebAuthnAbortService.cancelCeremony(), []);

  if (isExpired(signIn.error) || isExpired(cancel.error) || isExpired(continueAs.error)) return <SignInRequestExpired />;
  if (representing.length > 0) {
    return <ChooseWhoFor service={service} representing={representing} onContinue={(id) => continueAs.mutate(id)} isBusy={continueAs.isPending || continueAs.isSuccess} problem={continueAs.error} />;
  }
  const errors = problemsOf([
    { error: signIn.error, fieldId: SIGN_IN_BUTTON_ID },
    { error: cancel.error, fieldId: CANCEL_BUTTON_ID },
  ]);
  // Once the provider answers, the page stays as it is while the browser leaves it.
  const isBusy = signIn.isPending || signIn.isSuccess || cancel.isPending || cancel.isSuccess;

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}Sign in to ${service} with Townhall ID`}</title>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <span className="govuk-caption-l">Townhall ID</span>
          <h1 className="govuk-heading-l">Sign in to {service} with Townhall ID</h1>
          <p className="govuk-body">
            {service} is a council service. It uses Townhall ID, the council’s sign-in, so you do not need a separate account for it.
          </p>
          <p className="govuk-body">
            Sign in with the passkey you created when you set up your Townhall account. Your browser asks you to choose the passkey,
            then to confirm it is you with your fingerprint, face or screen lock. If your passkey is on your phone, choose to use a phone
            or another device, and scan the code with your phone.
          </p>
          <p className="govuk-body">Nothing about you is shared with {service} until you agree to it.</p>
          <div className="govuk-button-group">
            <button
              type="button"
              id={SIGN_IN_BUTTON_ID}
              className="govuk-button"
              onClick={() => {
                cancel.reset();
                signIn.mutate();
              }}
              disabled={isBusy}
              aria-disabled={isBusy}
            >
              {signIn.isPending ? 'Waiting for your passkey…' : 'Sign in with your passkey'}
            </button>
            <button
              type="button"
              id={CANCEL_BUTTON_ID}
              className="govuk-button govuk-button--secondary"
              onClick={() => {
                signIn.reset();
                cancel.mutate(undefined, { onSuccess: ({ redirectTo }) => leaveFor(redirectTo) });
              }}
              disabled={isBusy}
              aria-disabled={isBusy}
            >
              Cancel and go back to {service}
            </button>
          </div>
          <h2 className="govuk-heading-m">If you have not set up your account</h2>
          <p className="govuk-body">
            You need the poll card the council sent you.{' '}
            <Link to="/enrol" className="govuk-link">
              Set up your Townhall account
            </Link>
            , then go back to {service} and sign in again.
          </p>
          <h2 className="govuk-heading-m">If you work for the council</h2>
          <p className="govuk-body">Sign in with the passkey you created when you joined as a member of staff.</p>
        </div>
      </div>
    </>
  );
}

const WHO_FOR_ID = 'who-for';

/** After signing in: a representative chooses to sign in as themselves, or for someone who appointed them. */
function ChooseWhoFor(props: {
  service: string;
  representing: InteractionDetails['representing'];
  onContinue: (actingFor: string | undefined) => void;
  isBusy: boolean;
  problem: unknown;
}) {
  const [choice, setChoice] = useState('myself');
  const errors = problemsOf([{ error: props.problem, fieldId: `${WHO_FOR_ID}-0` }]);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <title>{`${errors.length ? 'Error: ' : ''}Who are you signing in as? – Townhall ID`}</title>
        <ErrorSummary errors={errors} />
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            props.onContinue(choice === 'myself' ? undefined : choice);
          }}
        >
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--l">
                <h1 className="govuk-fieldset__heading">Who are you signing in to {props.service} as?</h1>
              </legend>
              <div className="govuk-hint">
                Someone appointed you to manage their council services. {props.service} will be told that it is you acting for them.
              </div>
              <div className="govuk-radios" data-module="govuk-radios">
                {[{ appointmentId: 'myself', givenName: '' }, ...props.representing].map((option, index) => (
                  <div className="govuk-radios__item" key={option.appointmentId}>
                    <input
                      className="govuk-radios__input"
                      id={`${WHO_FOR_ID}-${index}`}
                      name="who-for"
                      type="radio"
                      value={option.appointmentId}
                      checked={choice === option.appointmentId}
                      onChange={() => setChoice(option.appointmentId)}
                    />
                    <label className="govuk-label govuk-radios__label" htmlFor={`${WHO_FOR_ID}-${index}`}>
                      {option.appointmentId === 'myself' ? 'Myself' : `${option.givenName}, who appointed me`}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <button type="submit" className="govuk-button" disabled={props.isBusy} aria-disabled={props.isBusy}>
            Continue to {props.service}
          </button>
        </form>
      </div>
    </div>
  );
}

function ServiceConsent({ details }: { details: InteractionDetails }) {
  const session = useSession();
  const share = useShareWithService(details.uid);
  const cancel = useCancelSignIn(details.uid);
  const failed = share.error ?? cancel.error;
  if (isExpired(failed)) return <SignInRequestExpired />;
  const problem = failed ? describePasskeyProblem(failed, 'sign-in') : null;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ConsentForm
          details={details}
          problem={problem}
          isStaff={session.data?.principal.kind === 'staff'}
          isBusy={share.isPending || share.isSuccess || cancel.isPending || cancel.isSuccess}
          onShare={(claims, organisationId) => {
            cancel.reset();
            share.mutate({ claims, organisationId }, { onSuccess: ({ redirectTo }) => leaveFor(redirectTo) });
          }}
          onCancel={() => {
            share.reset();
            cancel.mutate(undefined, { onSuccess: ({ redirectTo }) => leaveFor(redirectTo) });
          }}
        />
      </div>
    </div>
  );
}
