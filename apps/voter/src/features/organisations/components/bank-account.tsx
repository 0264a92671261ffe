import type { BankAccount as BankAccountData } from '@townhall/protocol';
import { ApiError, ErrorSummary, type FieldError, formatDateTime, LoadingMessage, ProblemBanner, SuccessBanner, TextInput } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { useBankAccount, useSetBankAccount } from '../api/organisations.ts';
import { answersOf, BANK_FIELD_IDS, type BankAccountAnswers, checkBankAccount, fieldErrorsOf, formatIban, formatSortCode } from '../lib/bank-account-form.ts';

/**
 * "Bank account for payments" on an organisation's page, for its administrators (docs/organisations.md
 * §2.4): the account a payment run's bank file pays from (an association) or into (a contractor, a
 * host), shown with who set it last, and the form that sets or changes it.
 */
export function BankAccountSection({ organisationId, organisationName }: { organisationId: string; organisationName: string }) {
  const account = useBankAccount(organisationId);
  const [isEditing, setEditing] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const current = account.data?.bankAccount ?? null;

  return (
    <section aria-labelledby="bank-account-heading" className="govuk-!-margin-top-8">
      <h2 className="govuk-heading-m" id="bank-account-heading">
        Bank account for payments
      </h2>
      {savedAt ? (
        <SuccessBanner titleId="bank-account-saved-title" heading="Bank account for payments saved" takesFocus>
          <p className="govuk-body">Every bank file made from now on uses it. It is kept in the council’s register, not in the public ledger.</p>
        </SuccessBanner>
      ) : null}
      <p className="govuk-body">
        Repairs payment runs pay from this account when {organisationName} is the association paying, and into it when {organisationName} is paid as a
        contractor or as the host association. The bank file of a run cannot be made until every organisation it names has one.
      </p>
      {account.isPending ? <LoadingMessage>Loading the bank account…</LoadingMessage> : null}
      {account.isError ? <ProblemBanner what="the bank account" error={account.error} /> : null}
      {account.isSuccess && current && !isEditing ? (
        <>
          <AccountSummary account={current} />
          <button
            type="button"
            className="govuk-button govuk-button--secondary"
            onClick={() => {
              setSavedAt(null);
              setEditing(true);
            }}
          >
            Change the bank account
          </button>
        </>
      ) : null}
      {account.isSuccess && (!current || isEditing) ? (
        <>
          {current ? null : <div className="govuk-inset-text">No bank account for payments is recorded for {organisationName} yet.</div>}
          <BankAccountForm
            key={current?.updatedAt ?? 'new'}
            organisationId={organisationId}
            current={current}
            onSaved={(saved) => {
              setEditing(false);
              setSavedAt(saved.updatedAt);
            }}
            onCancel={current ? () => setEditing(false) : undefined}
          />
        </>
      ) : null}
    </section>
  );
}

function AccountSummary({ account }: { account: BankAccountData }) {
  const rows: [string, string, boolean][] = [
    ['Name on the account', account.accountName, false],
    ['Sort code', formatSortCode(account.sortCode), true],
    ['Account number', account.accountNumber, true],
    ['IBAN', account.iban ? formatIban(account.iban) : 'Not given', account.iban !== null],
    ['BIC', account.bic ?? 'Not given', account.bic !== null],
  ];
  return (
    <>
      <dl className="govuk-summary-list">
        {rows.map(([key, value, isCode]) => (
          <div className="govuk-summary-list__row" key={key}>
            <dt className="govuk-summary-list__key">{key}</dt>
            <dd className={`govuk-summary-list__value${isCode ? ' th-code' : ''}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="govuk-body-s">
        Last set by {account.updatedBy} on {formatDateTime(account.updatedAt)}.
      </p>
    </>
  );
}

interface BankAccountFormProps {
  organisationId: string;
  current: BankAccountData | null;
  onSaved: (saved: BankAccountData) => void;
  onCancel: (() => void) | undefined;
}

function BankAccountForm({ organisationId, current, onSaved, onCancel }: BankAccountFormProps) {
  const save = useSetBankAccount(organisationId);
  const [answers, setAnswers] = useState<BankAccountAnswers>(() => answersOf(current));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  const field = (name: keyof BankAccountAnswers) => ({
    id: BANK_FIELD_IDS[name],
    value: answers[name],
    error: errorFor(BANK_FIELD_IDS[name]),
    onChange: (event: { target: { value: string } }) => setAnswers((previous) => ({ ...previous, [name]: event.target.value })),
    autoComplete: 'off',
    spellCheck: false,
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkBankAccount(answers);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    try {
      const saved = await save.mutateAsync(checked.body);
      onSaved(saved.bankAccount!);
    } catch (failure) {
      const named = failure instanceof ApiError ? fieldErrorsOf(failure.issues, answers) : [];
      setErrors(named.length > 0 ? named : [{ fieldId: null, message: failure instanceof Error ? failure.message : 'The bank account could not be saved' }]);
    }
  }

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <form noValidate onSubmit={(event) => void submit(event)}>
          <TextInput {...field('accountName')} label="Name on the account" hint="As your bank has it, for example Castle Homes Ltd" />
          <TextInput {...field('sortCode')} label="Sort code" hint="Must be 6 digits long" width="5" inputMode="numeric" isCode />
          <TextInput {...field('accountNumber')} label="Account number" hint="Must be 8 digits long" width="10" inputMode="numeric" isCode />
          <TextInput {...field('iban')} label="IBAN (optional)" hint="Only if your bank gave you one, for example GB29 NWBK 6016 1331 9268 19" width="30" isCode />
          <TextInput {...field('bic')} label="BIC or SWIFT code (optional)" hint="8 or 11 letters and numbers, for example NWBKGB2L" width="10" isCode />
          <div className="govuk-button-group">
            <button type="submit" className="govuk-button" disabled={save.isPending} aria-disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save the bank account'}
            </button>
            {onCancel ? (
              <button type="button" className="govuk-button govuk-button--secondary" onClick={onCancel}>
                Cancel
              </button>
            ) : null}
          </div>
        </form>
      </div>
    </div>
  );
}
