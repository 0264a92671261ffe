import { fireEvent, screen, within } from '@testing-library/react';
import { rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders, serveFakeApi } from '../../../test-support/fake-api.tsx';
import { BankAccountSection } from './bank-account.tsx';

const PATH = '/api/organisations/ha1/bank-account';
const saved = {
  accountName: 'Castle Homes',
  sortCode: '309430',
  accountNumber: '00733445',
  iban: null,
  bic: null,
  updatedAt: '2027-02-01T12:00:00.000Z',
  updatedBy: 'Hana Host',
};

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save the bank account' }));

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('BankAccountSection', () => {
  it('asks for an account when there is none, checks each field before sending, and confirms what it saved', async () => {
    const calls = serveFakeApi({
      [`GET ${PATH}`]: () => Response.json({ bankAccount: calls.some((c) => c.call.startsWith('PUT')) ? saved : null }),
      [`PUT ${PATH}`]: () => Response.json({ bankAccount: saved }),
    });
    renderWithProviders(<BankAccountSection organisationId="ha1" organisationName="Castle Homes" />);
    expect(await screen.findByText('No bank account for payments is recorded for Castle Homes yet.')).toBeTruthy();

    save();
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter the name on the account', '#bank-account-name'],
      ['Enter a sort code', '#bank-sort-code'],
      ['Enter an account number', '#bank-account-number'],
    ]);
    expect(screen.getByLabelText('Sort code').getAttribute('aria-describedby')).toBe('bank-sort-code-hint bank-sort-code-error');

    type('Name on the account', 'Castle Homes');
    type('Sort code', '30-94-3');
    type('Account number', '0073 3445');
    type('IBAN (optional)', 'GB29 NWBK 6016 1331 9268 18');
    save();
    expect((await screen.findByRole('alert')).textContent).toContain('Enter a valid sort code, like 309430');
    expect(screen.getByRole('alert').textContent).toContain('Enter a valid IBAN');
    expect(calls.some((c) => c.call.startsWith('PUT'))).toBe(false);

    type('Sort code', '30-94-30');
    type('IBAN (optional)', '');
    save();
    expect(await screen.findByText('Bank account for payments saved')).toBeTruthy();
    expect(calls.find((c) => c.call === `PUT ${PATH}`)!.body).toEqual({ accountName: 'Castle Homes', sortCode: '30-94-30', accountNumber: '0073 3445', iban: null, bic: null });
    expect(screen.getByText('30-94-30')).toBeTruthy();
    expect(screen.getByText('00733445')).toBeTruthy();
    expect(screen.getByText(/Last set by Hana Host/)).toBeTruthy();
  });

  it('shows the account recorded and who set it, and puts the server’s refusal of a field next to it', async () => {
    serveFakeApi({
      [`GET ${PATH}`]: () => Response.json({ bankAccount: { ...saved, iban: 'GB29NWBK60161331926819', bic: 'NWBKGB2L', sortCode: '601613', accountNumber: '31926819' } }),
      [`PUT ${PATH}`]: () =>
        Response.json(
          { error: { code: 'VALIDATION_FAILED', message: 'The request is not valid', requestId: 'r', issues: [{ path: 'iban', message: 'does not hold the sort code and account number given: check all three' }] } },
          { status: 400 },
        ),
    });
    renderWithProviders(<BankAccountSection organisationId="ha1" organisationName="Castle Homes" />);
    expect(await screen.findByText('GB29 NWBK 6016 1331 9268 19')).toBeTruthy();
    expect(screen.getByText('60-16-13')).toBeTruthy();
    expect(screen.getByText(/Last set by Hana Host/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Change the bank account' }));
    expect((screen.getByLabelText('Sort code') as HTMLInputElement).value).toBe('60-16-13');
    expect((screen.getByLabelText('IBAN (optional)') as HTMLInputElement).value).toBe('GB29 NWBK 6016 1331 9268 19');
    // Valid here, refused there (say, a rule the server has and this page has not): the field says why.
    save();
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'The IBAN does not hold this sort code and account number: check all three' }).getAttribute('href')).toBe('#bank-iban');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Change the bank account' })).toBeTruthy();
  });
});
