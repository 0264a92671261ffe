/**
 * Voting with the keyboard alone (WCAG 2.1.1): a resident sets up their account with a poll card,
 * signs out and in, picks the election, fills the ballot, checks the answers, casts and reaches the
 * confirmation with Tab, Shift+Tab, Space, Enter and the arrow keys, typing only into the focused
 * field. Every focus stop must show a visible indicator, follow the page's order and be on screen.
 */
import type { Page } from '@playwright/test';
import { KeyboardUser } from '../support/a11y-keyboard.ts';
import { A11Y_ELECTORS, ensureAccessibilityElectors } from '../support/a11y-residents.ts';
import { expect, test } from '../support/fixtures.ts';

const DEMO_TITLE = 'Demo election (not real): favourite park improvement';
const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

test('a resident enrols, signs in and votes using only the keyboard, with a visible focus in a logical order', async ({
  page,
  cardIssuer,
  virtualAuthenticator,
  pageProblems,
}) => {
  test.setTimeout(120_000);
  const elector = A11Y_ELECTORS.keyboard;
  await ensureAccessibilityElectors(cardIssuer.staff.page);
  const code = await cardIssuer.issueCode(elector.number);
  // The sign-in page's passkey autofill would sign in without a key press: this person uses the button.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  const keyboard = new KeyboardUser(page);

  // The address printed on the poll card; from here on, only keys.
  await page.goto('/');
  await expect(heading(page, 'Vote in your council’s elections')).toBeVisible();
  expect((await keyboard.press('Tab'))?.name).toBe('Skip to main content');
  await keyboard.tabTo('Set up your account');
  await keyboard.press('Enter');
  await expect(heading(page, 'Enter your activation code')).toBeVisible();
  await keyboard.tabTo('Enter your activation code');
  await keyboard.type(code);
  await keyboard.press('Enter');

  await expect(heading(page, 'How do you want to show the poll card is yours?')).toBeVisible();
  await keyboard.tabTo('My postcode');
  await keyboard.press('Space');
  expect(await page.getByLabel('My postcode').isChecked()).toBe(true);
  await keyboard.tabTo('Postcode');
  await keyboard.type(elector.postcode);
  await keyboard.press('Enter');

  await expect(heading(page, 'Create a passkey')).toBeVisible();
  await keyboard.tabTo('Create a passkey');
  await keyboard.press('Enter');
  await expect(heading(page, 'Your account is set up')).toBeVisible();
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);

  // Sign out and back in with the passkey.
  await keyboard.tabTo('Sign out', { backwards: true });
  await keyboard.press('Enter');
  await expect(heading(page, 'You have signed out')).toBeVisible();
  await keyboard.tabTo('Sign in', { backwards: true });
  await keyboard.press('Enter');
  await expect(heading(page, 'Sign in')).toBeVisible();
  await keyboard.tabTo('Sign in with a passkey');
  await keyboard.press('Enter');
  await expect(heading(page, 'Your account')).toBeVisible();
  await expect(page.getByText(`Signed in as ${elector.givenName}`)).toBeVisible();

  // The election.
  await keyboard.tabTo('Your elections', { backwards: true });
  await keyboard.press('Enter');
  await expect(heading(page, 'Elections you can vote in')).toBeVisible();
  // The list loads after the heading: a person waits for it before tabbing on.
  await expect(page.getByRole('link', { name: DEMO_TITLE })).toBeVisible();
  await keyboard.tabTo(DEMO_TITLE);
  await keyboard.press('Enter');
  await expect(heading(page, DEMO_TITLE)).toBeVisible();
  await keyboard.tabTo('Confirm it’s you and start');
  await keyboard.press('Enter');
  await expect(heading(page, 'Choose your answers')).toBeVisible();

  // The ballot: arrows choose within the radio group, Space ticks checkboxes.
  const firstRadio = await keyboard.tabTo(/^(A new playground|More trees and benches|Better lighting on the paths)$/);
  expect(firstRadio.name).toBe('A new playground');
  const chosen = await keyboard.press('ArrowDown');
  expect(chosen).toMatchObject({ name: 'More trees and benches', isChecked: true });
  await keyboard.tabTo('A monthly market');
  await keyboard.press('Space');
  await keyboard.tabTo('Outdoor cinema');
  await keyboard.press('Space');
  await keyboard.tabTo('Continue');
  // Back through the ballot with Shift+Tab, and forward again.
  expect(await keyboard.press('Shift+Tab')).toMatchObject({ name: 'Summer concerts', isChecked: false });
  expect(await keyboard.press('Shift+Tab')).toMatchObject({ name: 'Outdoor cinema', isChecked: true });
  await keyboard.tabTo('Continue');
  await keyboard.press('Enter');

  await expect(heading(page, 'Check your answers before sealing your ballot')).toBeVisible();
  await expect(page.locator('.govuk-summary-list')).toContainText('More trees and benches');
  await expect(page.locator('.govuk-summary-list')).toContainText('A monthly market, Outdoor cinema');
  await keyboard.tabTo('Seal my ballot');
  await keyboard.press('Enter');
  await expect(heading(page, 'Your ballot is sealed and ready to cast')).toBeVisible({ timeout: 30_000 });
  await keyboard.tabTo('Cast my ballot');
  await keyboard.press('Enter');
  await expect(heading(page, 'Ballot cast')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('tracking-code')).toHaveText(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
  // The confirmation's own links are reachable too.
  await keyboard.tabTo('Check my ballot');

  test.info().annotations.push({ type: 'focus stops', description: String(keyboard.stops.length) });
  expect(keyboard.problems(), 'focus stops without a visible indicator, out of order or off screen').toEqual([]);
  expect(keyboard.stops.length).toBeGreaterThan(20);
  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
});
