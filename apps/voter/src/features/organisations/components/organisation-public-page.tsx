import { MembershipCodeText, type MembershipCheckResult, type OrganisationPublicPage as PublicPage } from '@townhall/protocol';
import {
  ApiError,
  ErrorSummary,
  formatDateTime,
  LoadingMessage,
  ORGANISATION_STATUS_TAGS,
  organisationKindWords,
  ProblemBanner,
  ReceiptLink,
  rolesInWords,
  TextInput,
} from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { appConfig } from '../../../config/app-config.ts';
import { useCheckMember, usePublicOrganisation } from '../api/organisations.ts';

const CODE_ID = 'membership-code';

const HISTORY_WORDS: Record<PublicPage['status'], string> = {
  active: 'Reinstated',
  suspended: 'Suspended',
  closed: 'Closed',
};

const describeHistory = (item: PublicPage['history'][number]) =>
  item.type === 'OrganisationRegistered' ? 'Registered with the council' : HISTORY_WORDS[item.status];

/**
 * `/organisations/:organisationId`, with no sign-in: the organisation's public facts, its status
 * history with a receipt for each entry, and "Check a member" for the code someone at the door shows.
 */
export function OrganisationPublicPage({ organisationId }: { organisationId: string }) {
  const organisation = usePublicOrganisation(organisationId);
  const isUnknown = organisation.error instanceof ApiError && organisation.error.code === 'NOT_FOUND';
  if (isUnknown) {
    return (
      <>
        <title>{`Organisation not found – ${appConfig.serviceName}`}</title>
        <h1 className="govuk-heading-l">Organisation not found</h1>
        <p className="govuk-body">There is no organisation at this address. Check the link you were given.</p>
      </>
    );
  }
  const data = organisation.data;
  return (
    <>
      <title>{`${data?.legalName ?? 'Organisation'} – ${appConfig.serviceName}`}</title>
      {organisation.isPending ? <LoadingMessage>Loading the organisation…</LoadingMessage> : null}
      {organisation.isError ? (
        <>
          <h1 className="govuk-heading-l">Organisation</h1>
          <ProblemBanner what="the organisation" error={organisation.error} />
        </>
      ) : null}
      {data ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <span className="govuk-caption-l">{organisationKindWords(data.kind)}</span>
            <h1 className="govuk-heading-l">{data.legalName}</h1>
            <PublicFacts organisation={data} />
            <CheckMember organisation={data} />
            <StatusHistory organisation={data} />
          </div>
        </div>
      ) : null}
    </>
  );
}

/** A number's row, when the organisation has that number. */
const numberRow = (key: string, number: string | null): [string, React.ReactNode][] =>
  number ? [[key, <span className="th-code">{number}</span>]] : [];

function PublicFacts({ organisation }: { organisation: PublicPage }) {
  const tag = ORGANISATION_STATUS_TAGS[organisation.status];
  const rows: [string, React.ReactNode][] = [
    ['Status', <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>],
    ['Kind', organisationKindWords(organisation.kind)],
    ...numberRow('Companies House number', organisation.companyNumber),
    ...numberRow('Charity number', organisation.charityNumber),
    ['Current members', organisation.currentMembers],
  ];
  return (
    <>
      <p className="govuk-body">
        This organisation is registered with the council. Its registration and every change of its status are recorded in the council’s
        public registry log.
      </p>
      <dl className="govuk-summary-list">
        {rows.map(([key, value]) => (
          <div className="govuk-summary-list__row" key={key}>
            <dt className="govuk-summary-list__key">{key}</dt>
            <dd className="govuk-summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
      {organisation.status !== 'active' ? (
        <div className="govuk-inset-text">
          {organisation.status === 'suspended'
            ? 'The council has suspended this organisation: nobody can act for it at the moment.'
            : 'This organisation is closed: nobody can act for it.'}
        </div>
      ) : null}
    </>
  );
}

function CheckMember({ organisation }: { organisation: PublicPage }) {
  const check = useCheckMember(organisation.id);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<MembershipCheckResult | 'not-confirmed' | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    if (code.trim() === '') {
      setError('Enter the code the person shows you');
      return;
    }
    const parsed = MembershipCodeText.safeParse(code);
    if (!parsed.success) {
      setError('Enter the 10 letters and digits of the code, like ABCDE-FGHJK');
      return;
    }
    setError(undefined);
    try {
      setResult(await check.mutateAsync(parsed.data));
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'NOT_FOUND') setResult('not-confirmed');
    }
  }

  return (
    <section aria-labelledby="check-member-heading" className="govuk-!-margin-bottom-8">
      <ErrorSummary errors={error ? [{ fieldId: CODE_ID, message: error }] : []} />
      <h2 className="govuk-heading-m" id="check-member-heading">
        Check a member
      </h2>
      <p className="govuk-body">
        If someone says they are from {organisation.legalName}, ask them to show you a membership code from their Townhall
        account, and type
        it in here. A code works for 10 minutes.
      </p>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <TextInput
          id={CODE_ID}
          label={<strong>Membership code</strong>}
          hint="10 letters and digits, for example ABCDE-FGHJK"
          error={error}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          width="10"
          isCode
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="characters"
        />
        <button type="submit" className="govuk-button" disabled={check.isPending} aria-disabled={check.isPending}>
          {check.isPending ? 'Checking…' : 'Check the code'}
        </button>
      </form>
      <div role="status">
        {result === 'not-confirmed' ? (
          <div className="govuk-notification-banner" aria-labelledby="check-result-title">
            <div className="govuk-notification-banner__header">
              <h3 className="govuk-notification-banner__title" id="check-result-title">
                Not confirmed
              </h3>
            </div>
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">
                This code does not confirm a current member of {organisation.legalName}.
              </p>
              <p className="govuk-body">
                The code may be mistyped, expired or for another organisation, or the person may no longer be a member. We give the same
                answer in every case, so this page cannot be used to find out who the members are.
              </p>
              <p className="govuk-body govuk-!-margin-bottom-0">
                Check you typed it correctly, or ask them for a new code. If in doubt, do not let them in.
              </p>
            </div>
          </div>
        ) : result ? (
          <div className="govuk-notification-banner govuk-notification-banner--success" aria-labelledby="check-result-title">
            <div className="govuk-notification-banner__header">
              <h3 className="govuk-notification-banner__title" id="check-result-title">
                Confirmed
              </h3>
            </div>
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">
                {result.displayName} is a current member of {result.organisation.legalName}.
              </p>
              <p className="govuk-body">
                {result.roles.length === 1 ? 'Role' : 'Roles'}: {rolesInWords(result.roles)}.
              </p>
              <p className="govuk-body govuk-!-margin-bottom-0">
                Check that this is the name of the person in front of you. Their code works until {formatDateTime(result.codeExpiresAt)}.
              </p>
            </div>
          </div>
        ) : null}
      </div>
      {check.isError && !(check.error instanceof ApiError && check.error.code === 'NOT_FOUND') ? (
        <ProblemBanner what="" headline="Sorry, we could not check the code." error={check.error} />
      ) : null}
    </section>
  );
}

function StatusHistory({ organisation }: { organisation: PublicPage }) {
  const newestFirst = [...organisation.history].reverse();
  return (
    <section aria-labelledby="history-heading">
      <h2 className="govuk-heading-m" id="history-heading">
        Status history
      </h2>
      <p className="govuk-body">
        Each receipt proves the entry is in the council’s public ledger. Anyone can check a receipt offline.
      </p>
      <table className="govuk-table th-stacked-table" role="table">
        <caption className="govuk-table__caption govuk-visually-hidden">Status history of {organisation.legalName}, newest first</caption>
        <thead className="govuk-table__head" role="rowgroup">
          <tr className="govuk-table__row" role="row">
            {['Date', 'What happened', 'Ledger record'].map((column) => (
              <th scope="col" className="govuk-table__header" role="columnheader" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body" role="rowgroup">
          {newestFirst.map((item) => (
            <tr className="govuk-table__row" role="row" key={item.ledgerIndex}>
              <th scope="row" className="govuk-table__header" role="rowheader">
                {formatDateTime(item.at)}
              </th>
              <td className="govuk-table__cell" role="cell">
                <span className="th-stacked-table__label" aria-hidden="true">
                  What happened
                </span>
                {describeHistory(item)}
              </td>
              <td className="govuk-table__cell" role="cell">
                <span className="th-stacked-table__label" aria-hidden="true">
                  Ledger record
                </span>
                <ReceiptLink
                  apiBasePath={appConfig.apiBasePath}
                  ledgerIndex={item.ledgerIndex}
                  context={describeHistory(item).toLowerCase()}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
