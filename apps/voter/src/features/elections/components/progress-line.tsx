export const VOTING_STEPS = ['Confirm it’s you', 'Choose your answers', 'Check your answers', 'Seal and cast your ballot'] as const;

/**
 * Where the voter is in the voting journey, as a GOV.UK task list without links. The credential
 * (blind signature, passkey assertion) is the first step's work: the voter sees only "Confirm it’s you".
 */
export function ProgressLine({ current }: { current: number }) {
  return (
    <nav aria-label="Voting progress" className="govuk-!-margin-bottom-6">
      <ol className="govuk-task-list">
        {VOTING_STEPS.map((step, i) => {
          const status = i < current ? 'Completed' : i === current ? 'In progress' : 'Not yet started';
          return (
            <li key={step} className="govuk-task-list__item" aria-current={i === current ? 'step' : undefined}>
              <div className="govuk-task-list__name-and-hint">
                <span>
                  {i + 1}. {step}
                </span>
              </div>
              <div className="govuk-task-list__status">
                {i < current ? (
                  <strong className="govuk-tag govuk-tag--green">{status}</strong>
                ) : i === current ? (
                  <strong className="govuk-tag govuk-tag--blue">{status}</strong>
                ) : (
                  <span className="govuk-task-list__status--cannot-start-yet">{status}</span>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
