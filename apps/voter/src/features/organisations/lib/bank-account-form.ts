import { BankAccountInput, type BankAccount, type ValidationIssue } from '@townhall/protocol';
import type { FieldError } from '@townhall/web-ui';

/** The form's answers, as typed. */
export interface BankAccountAnswers {
  accountName: string;
  sortCode: string;
  accountNumber: string;
  iban: string;
  bic: string;
}

export const BANK_FIELD_IDS = {
  accountName: 'bank-account-name',
  sortCode: 'bank-sort-code',
  accountNumber: 'bank-account-number',
  iban: 'bank-iban',
  bic: 'bank-bic',
} as const;
type Field = keyof typeof BANK_FIELD_IDS;

export const answersOf = (account: BankAccount | null): BankAccountAnswers => ({
  accountName: account?.accountName ?? '',
  sortCode: account ? formatSortCode(account.sortCode) : '',
  accountNumber: account?.accountNumber ?? '',
  iban: account?.iban ? formatIban(account.iban) : '',
  bic: account?.bic ?? '',
});

/** `309430` → `30-94-30`, as banks print it. */
export const formatSortCode = (sortCode: string) => sortCode.replace(/^(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3');
/** An IBAN in groups of four, as banks print it. */
export const formatIban = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ');

/** What to say about a field the protocol's check refused (GOV.UK's bank details pattern). */
function messageFor(field: Field, answers: BankAccountAnswers, issue: string): string {
  const isBlank = answers[field].trim() === '';
  switch (field) {
    case 'accountName':
      return isBlank ? 'Enter the name on the account' : 'Name on the account must be 70 characters or fewer';
    case 'sortCode':
      return isBlank ? 'Enter a sort code' : 'Enter a valid sort code, like 309430';
    case 'accountNumber':
      return isBlank ? 'Enter an account number' : 'Enter a valid account number, like 00733445';
    case 'iban':
      return issue.includes('does not hold')
        ? 'The IBAN does not hold this sort code and account number: check all three'
        : 'Enter a valid IBAN, like GB29 NWBK 6016 1331 9268 19, or leave it empty';
    case 'bic':
      return 'Enter a valid BIC, 8 or 11 letters and numbers like NWBKGB2L, or leave it empty';
  }
}

/** The problems the server named (or the same check here found), one per field, in the form's order. */
export function fieldErrorsOf(issues: readonly ValidationIssue[], answers: BankAccountAnswers): FieldError[] {
  return (Object.keys(BANK_FIELD_IDS) as Field[]).flatMap((field) => {
    const issue = issues.find((i) => i.path === field);
    return issue ? [{ fieldId: BANK_FIELD_IDS[field], message: messageFor(field, answers, issue.message) }] : [];
  });
}

/** The body to send, or what is wrong with the answers: the protocol's own check, run before sending. */
export function checkBankAccount(answers: BankAccountAnswers): { ok: true; body: BankAccountInput } | { ok: false; errors: FieldError[] } {
  const body: BankAccountInput = {
    accountName: answers.accountName,
    sortCode: answers.sortCode,
    accountNumber: answers.accountNumber,
    iban: answers.iban.trim() === '' ? null : answers.iban,
    bic: answers.bic.trim() === '' ? null : answers.bic,
  };
  const checked = BankAccountInput.safeParse(body);
  if (checked.success) return { ok: true, body };
  const issues = checked.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return { ok: false, errors: fieldErrorsOf(issues, answers) };
}
