import { electronicFormatIBAN, extractIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { z } from 'zod';

/**
 * An organisation's bank account for payments (docs/organisations.md §2.4): the account a payment
 * run's ISO 20022 pain.001 file pays from (an association's) or into (a contractor's, a host's).
 * Set by the organisation's administrators; kept in the council's register only, never in a ledger.
 *
 * GET  /organisations/:id/bank-account   organisation(administrator)   – → BankAccountAnswer
 * PUT  /organisations/:id/bank-account   organisation(administrator)   BankAccountInput → BankAccountAnswer
 *
 * The checks are ISO 13616 (IBAN: country format and mod-97 check digits) and ISO 9362 (BIC) by
 * `ibantools`; the UK sort code and account number are checked for their form only (6 and 8 digits).
 */

/** Spaces and hyphens people type between the groups of a number (`30-94-57`, `3094 5712`) are dropped. */
const digitsTyped = z.string().transform((value) => value.replace(/[\s-]/g, ''));

export const SortCode = digitsTyped.pipe(z.string().regex(/^\d{6}$/, 'must be 6 digits, like 309430'));
export const UkAccountNumber = digitsTyped.pipe(z.string().regex(/^\d{8}$/, 'must be 8 digits, like 00733445'));

/** The name the bank holds the account under; at most 70 characters, as ISO 20022 `CashAccount38/Nm` allows. */
export const BankAccountName = z
  .string()
  .transform((value) => value.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'is required').max(70, 'must be at most 70 characters'));

const optionalCode = z
  .string()
  .transform((value) => value.replace(/\s/g, '').toUpperCase())
  .nullable()
  .default(null)
  .transform((value) => (value === '' ? null : value));

export const BankAccountInput = z
  .strictObject({
    accountName: BankAccountName,
    sortCode: SortCode,
    accountNumber: UkAccountNumber,
    /** Optional: when set, payment files identify the account by it. */
    iban: optionalCode,
    /** Optional: the bank's BIC (SWIFT code), 8 or 11 characters. */
    bic: optionalCode,
  })
  .superRefine((account, context) => {
    if (account.iban !== null) {
      const iban = electronicFormatIBAN(account.iban) ?? account.iban;
      if (!isValidIBAN(iban)) {
        context.addIssue({ code: 'custom', path: ['iban'], message: 'is not a valid IBAN: check the country code, the length and the two check digits' });
      } else if (iban.startsWith('GB')) {
        // A UK IBAN holds the sort code and account number (ISO 13616 BBAN: bank code, sort code, account):
        // they must be the ones given, or the file would pay one account while the page shows another.
        const { branchIdentifier, bban } = extractIBAN(iban);
        if (branchIdentifier !== account.sortCode || bban?.slice(-8) !== account.accountNumber) {
          context.addIssue({ code: 'custom', path: ['iban'], message: 'does not hold the sort code and account number given: check all three' });
        }
      }
    }
    if (account.bic !== null && !isValidBIC(account.bic)) {
      context.addIssue({ code: 'custom', path: ['bic'], message: 'is not a valid BIC: 8 or 11 letters and digits, like NWBKGB2L' });
    }
  });
export type BankAccountInput = z.input<typeof BankAccountInput>;

export const BankAccount = z.object({
  accountName: z.string(),
  sortCode: z.string(),
  accountNumber: z.string(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  updatedAt: z.iso.datetime(),
  /** The display name of the administrator who set it last. */
  updatedBy: z.string(),
});
export type BankAccount = z.infer<typeof BankAccount>;

/** `bankAccount` is null until an administrator sets one. */
export const BankAccountAnswer = z.object({ bankAccount: BankAccount.nullable() });
export type BankAccountAnswer = z.infer<typeof BankAccountAnswer>;
