import type { Page } from '@playwright/test';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { expect, test } from '../support/fixtures.ts';
import { addVirtualAuthenticator } from '../support/virtual-authenticator.ts';

// The demo roll (apps/api/src/seed/demo-roll.ts). Each test claims electors of its own so the tests
// run in parallel; Castle (CAS) is left to the roll-import test, which issues that ward's cards.
const electors = {
  eleanor: { number: 'NGT-0001', givenName: 'Eleanor', postcode: 'DB2 2BA', dateOfBirth: ['17', '5', '1955'] },
  yusuf: { number: 'NGT-0002', givenName: 'Yusuf', postcode: 'DB2 2BA', dateOfBirth: ['9', '9', '2001'] },
  siobhan: { number: 'NGT-0003', givenName: 'Siobhan', postcode: 'DB2 2BB', dateOfBirth: ['1', '12', '1988'] },
  daniel: { number: 'NGT-0004', givenName: 'Daniel', postcode: 'DB2 2BB', dateOfBirth: ['14', '4', '1973'] },
  mei: { number: 'RVS-0001', givenName: 'Mei', postcode: 'DB3 3CA', dateOfBirth: ['28', '2', '1996'] },
  kwame: { number: 'RVS-0002', givenName: 'Kwame', postcode: 'DB3 3CA', dateOfBirth: ['6', '8', '1981'] },
  isla: { number: 'RVS-0003', givenName: 'Isla', postcode: 'DB3 3CB', dateOfBirth: ['19', '10', '1964'] },
} as const;
type Elector = (typeof electors)[keyof typeof electors];

async function enterCode(page: Page, code: string) {
  await page.goto('/enrol');
  await page.getByLabel('Enter your activation code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function enterPostcode(page: Page, postcode: string) {
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The whole enrolment by the code from the poll card's QR link, ending signed in. */
async function enrol(page: Page, code: string, elector: Elector, by: 'postcode' | 'dateOfBirth' = 'postcode') {
  await page.goto(`/enrol?code=${code}`);
  await expect(page.getByLabel('Enter your activation code')).toHaveValue(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  if (by === 'postcode') {
    await enterPostcode(page, elector.postcode.toLowerCase().replace(' ', ''));
  } else {
    await page.getByLabel('My date of birth').check();
    const [day, month, year] = elector.dateOfBirth;
    await page.getByLabel('Day').fill(day);
    await page.getByLabel('Month').fill(month);
    await page.getByLabel('Year').fill(year);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Create a passkey' })).toBeVisible();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account is set up' })).toBeVisible();
  await expect(page.getByText(`Signed in as ${elector.givenName}`)).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await expect(page.getByText('Not signed in')).toBeVisible();
}

async function signInWithButton(page: Page) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
}

const errorSummary = (page: Page) => page.locator('.govuk-error-summary');

test('a resident enrols with the poll card, signs out and signs in with the passkey', async ({ page, cardIssuer, virtualAuthenticator, pageProblems }) => {
  const code = await cardIssuer.issueCode(electors.eleanor.number);
  await enrol(page, code, electors.eleanor);
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);
  // The code left the address bar once it was in the form.
  expect(page.url()).not.toContain(code);

  await page.getByRole('link', { name: 'Go to your account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  const passkeys = page.getByRole('table', { name: 'Your passkeys' });
  await expect(passkeys.getByRole('row')).toHaveCount(2);
  await expect(passkeys).toContainText('Active');
  const enrolled = page.getByRole('region', { name: /^Enrolled \(entry \d+\)$/ });
  await expect(enrolled).toContainText('Leaf hash');
  await expect(enrolled.getByText(/^(Verified|Waiting)$/)).toBeVisible();

  await signOut(page);
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByText('Signed in as Eleanor')).toBeVisible();
  await expect(passkeys.getByRole('row').nth(1)).not.toContainText('Not used yet');
  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
});
