import type { Page } from '@playwright/test';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { expect, test } from '../support/fixtures.ts';
import { addVirtualAuthenticator, withoutPasskeyAutofill } from '../support/virtual-authenticator.ts';

// Each test seeds an administrator and a poll card of its own first: give them room on a busy CI box.
test.describe.configure({ timeout: 60_000 });

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
  luca: { number: 'RVS-0004', givenName: 'Luca', postcode: 'DB3 3CB', dateOfBirth: ['25', '6', '2003'] },
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
  // Signing in from the account page's address: the sign-in page's one button, and back to the account.
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText('Signed in as Eleanor')).toBeVisible();
  await expect(passkeys.getByRole('row').nth(1)).not.toContainText('Not used yet');
  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
});

test('a wrong, a mistyped and a reused activation code are refused with a clear message', async ({ page, browser, cardIssuer, virtualAuthenticator }) => {
  // Mistyped: checked in the page before anything is sent.
  await enterCode(page, 'ABCD-EFGH');
  await expect(errorSummary(page)).toContainText('The activation code must be 16 letters and numbers; you entered 8');
  await expect(page).toHaveTitle(/^Error: /);

  // Well formed but not a poll card's: the API refuses it, telling nothing about which part is wrong.
  await enterCode(page, 'ABCD-EFGH-JKMN-PQRS');
  await enterPostcode(page, electors.isla.postcode);
  await expect(errorSummary(page)).toContainText('do not match a poll card');
  await expect(errorSummary(page)).toBeFocused();

  // A real code with the wrong postcode: the same answer.
  const code = await cardIssuer.issueCode(electors.isla.number);
  await enterCode(page, code);
  await enterPostcode(page, 'DB9 9ZZ');
  await expect(errorSummary(page)).toContainText('The activation code and the postcode do not match a poll card');
  await expect(page.getByLabel('Postcode', { exact: true })).toHaveAttribute('aria-describedby', /postcode-error/);

  await page.getByRole('button', { name: 'Continue' }).click();
  await enterPostcode(page, electors.isla.postcode);
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account is set up' })).toBeVisible();
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);

  // Someone else (another browser) tries the same card again: it worked once only.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await enterCode(otherPage, code);
  await enterPostcode(otherPage, electors.isla.postcode);
  await expect(errorSummary(otherPage)).toContainText('do not match a poll card');
  await expect(errorSummary(otherPage)).toContainText('A code works only once');
  await other.close();
});

test('a second passkey on another device signs in on its own', async ({ page, cardIssuer }) => {
  await withoutPasskeyAutofill(page);
  const laptop = await addVirtualAuthenticator(page);
  await enrol(page, await cardIssuer.issueCode(electors.yusuf.number), electors.yusuf, 'dateOfBirth');
  await page.goto('/account');
  const passkeys = page.getByRole('table', { name: 'Your passkeys' });
  await expect(passkeys.getByRole('row')).toHaveCount(2);

  // First the resident confirms it is them with the passkey they have (the laptop's)…
  await page.getByRole('button', { name: 'Add a passkey on another device' }).click();
  await expect(page.getByRole('button', { name: 'Create the new passkey' })).toBeVisible();
  // …then the laptop is out of reach and the phone (another authenticator) answers the browser's request.
  await laptop.remove();
  const phone = await addVirtualAuthenticator(page);
  await page.getByRole('button', { name: 'Create the new passkey' }).click();
  await expect(page.getByText('Your new passkey was added.')).toBeVisible();
  await expect(passkeys.getByRole('row')).toHaveCount(3);
  expect(await phone.credentials()).toHaveLength(1);

  await signOut(page);
  await signInWithButton(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByText('Signed in as Yusuf')).toBeVisible();
  await expect(passkeys.getByRole('row', { name: /Passkey 2/ })).not.toContainText('Not used yet');
  // The laptop's passkey was used once, to confirm it was the resident who added the phone's.
  await expect(passkeys.getByRole('row', { name: /Passkey 1/ })).not.toContainText('Not used yet');
  await expect(page.getByRole('region', { name: /^Enrolled/ })).toHaveCount(2);
});

test('a re-issued poll card revokes the old passkey, whose sign-in is then refused', async ({ page, cardIssuer, virtualAuthenticator }) => {
  await withoutPasskeyAutofill(page);
  await enrol(page, await cardIssuer.issueCode(electors.siobhan.number), electors.siobhan);
  await signOut(page);

  const newCode = await cardIssuer.issueCode(electors.siobhan.number);
  await signInWithButton(page);
  await expect(errorSummary(page)).toContainText('This passkey was revoked');
  await expect(page.getByText('Not signed in')).toBeVisible();

  // The new card sets the account up again, here on a new device (the API lists the revoked
  // passkey in excludeCredentials, so this device would refuse to make another); the old passkey
  // stays listed as revoked, and the ledger holds the revocation.
  await virtualAuthenticator.remove();
  const newDevice = await addVirtualAuthenticator(page);
  await enrol(page, newCode, electors.siobhan);
  expect(await newDevice.credentials()).toHaveLength(1);
  await page.goto('/account');
  const passkeys = page.getByRole('table', { name: 'Your passkeys' });
  await expect(passkeys.getByRole('row', { name: /Passkey 1/ })).toContainText('Revoked');
  await expect(passkeys.getByRole('row', { name: /Passkey 2/ })).toContainText('Active');
  await expect(page.getByRole('region', { name: /^PasskeyRevoked/ })).toHaveCount(1);
});

test('an assertion without user verification, or with a bogus signature, is refused', async ({ page, cardIssuer, virtualAuthenticator }) => {
  await withoutPasskeyAutofill(page);
  await enrol(page, await cardIssuer.issueCode(electors.daniel.number), electors.daniel);
  await signOut(page);

  await virtualAuthenticator.setResponseOverrideBits({ isBadUV: true });
  await signInWithButton(page);
  await expect(errorSummary(page)).toContainText('Your passkey could not be verified');
  await expect(page.getByText('Not signed in')).toBeVisible();

  await virtualAuthenticator.setResponseOverrideBits({ isBogusSignature: true });
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(errorSummary(page)).toContainText('Your passkey could not be verified');
  await expect(page.getByText('Not signed in')).toBeVisible();

  // The same passkey, answering honestly, still works: the refusals were about the answers.
  await virtualAuthenticator.setResponseOverrideBits({});
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByText('Signed in as Daniel')).toBeVisible();
});

test('a cancelled passkey prompt can be tried again', async ({ page, cardIssuer, virtualAuthenticator }) => {
  const code = await cardIssuer.issueCode(electors.kwame.number);
  await enterCode(page, code);
  await enterPostcode(page, electors.kwame.postcode);
  // A failed fingerprint or a closed prompt: the browser answers NotAllowedError.
  await virtualAuthenticator.setUserVerified(false);
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(errorSummary(page)).toContainText('No passkey was created: the request was cancelled or it timed out');
  await virtualAuthenticator.setUserVerified(true);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account is set up' })).toBeVisible();
});

test('every resident page passes WCAG 2.2 AA checks and fits the screen @phone', async ({ page, cardIssuer, virtualAuthenticator }, testInfo) => {
  test.setTimeout(90_000);
  // The desktop and phone runs go in parallel, each with an elector of its own.
  const elector = testInfo.project.name === 'phone' ? electors.luca : electors.mei;
  const pages: string[] = [];
  async function check(name: string, heading: string) {
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} overflows sideways`).toBeLessThanOrEqual(0);
    expect(await findAccessibilityViolations(page), name).toEqual([]);
    pages.push(name);
  }
  const code = await cardIssuer.issueCode(elector.number);
  await page.goto('/');
  await check('start', 'Vote in your council’s elections');
  await page.goto('/sign-in');
  // One button, and no empty box to type in (Chromium offers passkey autofill, which needed one).
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeVisible();
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await check('sign in', 'Sign in');
  await enterCode(page, '');
  await expect(errorSummary(page)).toContainText('Enter the activation code from your poll card');
  await check('activation code, with an error', 'Enter your activation code');
  await page.getByLabel('Enter your activation code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'How do you want to show the poll card is yours?' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(errorSummary(page)).toContainText('Select whether to check your postcode or your date of birth');
  await check('postcode or date of birth, with an error', 'How do you want to show the poll card is yours?');
  await page.getByLabel('My date of birth').check();
  await page.getByLabel('Day').fill('31');
  await page.getByLabel('Month').fill('2');
  await page.getByLabel('Year').fill(elector.dateOfBirth[2]);
  // 31 February: not a real date whoever you are.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(errorSummary(page)).toContainText('Date of birth must be a real date');
  await check('date of birth, with an error', 'How do you want to show the poll card is yours?');
  await page.getByLabel('Day').fill(elector.dateOfBirth[0]);
  await page.getByLabel('Month').fill(elector.dateOfBirth[1]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create a passkey' })).toBeVisible();
  await check('create a passkey', 'Create a passkey');
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await check('confirmation', 'Your account is set up');
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);
  await page.goto('/account');
  await expect(page.getByRole('table', { name: 'Your passkeys' })).toBeVisible();
  await page.getByText('The entry as recorded').first().click();
  await check('account', 'Your account');
  await signOut(page);
  await check('signed out', 'You have signed out');
  expect(pages).toHaveLength(9);
  testInfo.annotations.push({ type: 'pages', description: pages.join(', ') });
});
