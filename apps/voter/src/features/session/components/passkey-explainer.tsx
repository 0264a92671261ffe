/** What a passkey is, in plain words, before someone is asked to create one. */
export function PasskeyExplainer() {
  return (
    <>
      <p className="govuk-body">
        A passkey lets you sign in without a password. Your phone or computer keeps it safe and unlocks it
        with your fingerprint, your face or your screen lock (PIN, pattern or password).
      </p>
      <p className="govuk-body">
        Your fingerprint and face never leave your device: the council only receives a public key that
        lets it check it is you.
      </p>
      <p className="govuk-body">When you select the button, your device will ask you to confirm.</p>
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">If other people use this device</span>
        </summary>
        <div className="govuk-details__text">
          Anyone who can unlock this device could use the passkey. Create it on your own phone instead: when
          your browser asks where to save the passkey, choose to use a phone or tablet and scan the code it
          shows.
        </div>
      </details>
    </>
  );
}
