import type { InteractionDetails, TownhallIdClaim } from '@townhall/protocol';
import { ErrorSummary, type FieldError } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';

const OPTIONAL_CLAIMS_ID = 'optional-claims';

interface ConsentFormProps {
  details: InteractionDetails;
  /** The problem the last "Continue" or "Cancel" met, in words, or null. */
  problem: string | null;
  /** Staff have no account page listing their services (it is for residents). */
  isStaff: boolean;
  isBusy: boolean;
  onShare: (claims: TownhallIdClaim[], organisationId?: string) => void;
  onCancel: () => void;
}

/**
 * "<service> wants to know": what a service asks for, each claim in plain words. The claims it
 * requires are listed (declining them means not signing in: cancel); the optional ones are ticked
 * and can be unticked.
 */
export function ConsentForm({ details, problem, isStaff, isBusy, onShare, onCancel }: ConsentFormProps) {
  const service = details.service.name;
  // `townhall:org` cannot be given by someone who acts for no organisation now (never joined one, or
  // its membership was revoked or the organisation suspended): it is not offered as a choice.
  const noOrganisation = details.organisations.length === 0;
  const unavailable = (claim: TownhallIdClaim) => claim === 'townhall:org' && noOrganisation;
  const required = details.claims.filter((c) => c.required);
  const optional = details.claims.filter((c) => !c.required && !unavailable(c.claim));
  const optionalUnavailable = details.claims.some((c) => !c.required && unavailable(c.claim));
  const [declined, setDeclined] = useState<ReadonlySet<TownhallIdClaim>>(new Set());
  // `townhall:org`: the organisation the person acts for at this service (the first, until they choose).
  const [organisationId, setOrganisationId] = useState<string | undefined>(details.organisations[0]?.id);
  const asksForOrganisation = details.claims.some((c) => c.claim === 'townhall:org') && details.organisations.length > 0;
  // The server's refusal is about the request as a whole (a claim it needs, a sign-in that ended), not one box.
  const errors: FieldError[] = problem ? [{ fieldId: null, message: problem }] : [];

  function submit(event: FormEvent) {
    event.preventDefault();
    const claims = details.claims
      .filter((c) => c.required || !unavailable(c.claim))
      .map((c) => c.claim)
      .filter((claim) => !declined.has(claim));
    onShare(claims, claims.includes('townhall:org') ? organisationId : undefined);
  }

  function toggle(claim: TownhallIdClaim, isTicked: boolean) {
    const next = new Set(declined);
    if (isTicked) next.delete(claim);
    else next.add(claim);
    setDeclined(next);
  }

  return (
    <>
      <title>{`${errors.length ? 'Error: ' : ''}${service} wants to know – Townhall ID`}</title>
      <ErrorSummary errors={errors} />
      <span className="govuk-caption-l">Townhall ID</span>
      <h1 className="govuk-heading-l">{service} wants to know</h1>
      <form onSubmit={submit} noValidate>
        {details.claims.length === 0 ? (
          <p className="govuk-body">{service} only needs to know that it is you. It does not ask for your name or any other details.</p>
        ) : null}
        {required.length > 0 ? (
          <>
            <h2 className="govuk-heading-s govuk-!-margin-bottom-2">It needs:</h2>
            <ul className="govuk-list govuk-list--bullet">
              {required.map((c) => (
                <li key={c.claim}>{c.words}</li>
              ))}
            </ul>
            <p className="govuk-body">
              If you do not want to share {required.length === 1 ? 'this' : 'these'}, cancel: you will not be signed in to {service}.
            </p>
          </>
        ) : null}
        {optional.length > 0 ? (
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset" aria-describedby={`${OPTIONAL_CLAIMS_ID}-hint`}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                {required.length > 0 ? 'You can choose whether to share:' : `You can choose what to share with ${service}:`}
              </legend>
              <div id={`${OPTIONAL_CLAIMS_ID}-hint`} className="govuk-hint">
                Untick anything you do not want to share.
              </div>
              <div className="govuk-checkboxes" data-module="govuk-checkboxes">
                {optional.map((c, position) => (
                  <div className="govuk-checkboxes__item" key={c.claim}>
                    <input
                      className="govuk-checkboxes__input"
                      id={`${OPTIONAL_CLAIMS_ID}-${position}`}
                      name="claims"
                      type="checkbox"
                      value={c.claim}
                      checked={!declined.has(c.claim)}
                      onChange={(event) => toggle(c.claim, event.target.checked)}
                    />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor={`${OPTIONAL_CLAIMS_ID}-${position}`}>
                      {c.words}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        ) : null}
        {optionalUnavailable ? (
          <p className="govuk-body">
            {service} also asks which organisation you are acting for. You are not acting for any organisation at the moment, so it will not
            be told one.
          </p>
        ) : null}
        <p className="govuk-body">
          {service} also gets a reference number for you that no other service gets, so services cannot join up what they know about you.
        </p>
        <div className="govuk-inset-text">
          Townhall records what you agree to share, and each time {service} receives it, in the council’s public ledger. The ledger
          names you by a pseudonym used only for {service}, not by your name.
          {isStaff ? null : <> You can see these records, and withdraw {service}’s access, on your account page.</>}
        </div>
        {asksForOrganisation && !declined.has('townhall:org') ? (
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Which organisation are you acting for?</legend>
              <div className="govuk-radios" data-module="govuk-radios">
                {details.organisations.map((organisation, index) => (
                  <div className="govuk-radios__item" key={organisation.id}>
                    <input
                      className="govuk-radios__input"
                      id={`organisation-${index}`}
                      name="organisation"
                      type="radio"
                      value={organisation.id}
                      checked={organisationId === organisation.id}
                      onChange={() => setOrganisationId(organisation.id)}
                    />
                    <label className="govuk-label govuk-radios__label" htmlFor={`organisation-${index}`}>
                      {organisation.name}
                    </label>
                    <div className="govuk-hint govuk-radios__hint">Your roles: {organisation.roles.join(', ')}</div>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        ) : null}
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button" disabled={isBusy} aria-disabled={isBusy}>
            Continue to {service}
          </button>
          <button
            type="button"
            className="govuk-button govuk-button--secondary"
            onClick={onCancel}
            disabled={isBusy}
            aria-disabled={isBusy}
          >
            Cancel and go back to {service}
          </button>
        </div>
      </form>
    </>
  );
}
