import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { addVirtualAuthenticator, withoutPasskeyAutofill } from '../support/virtual-authenticator.ts';

// The demo council service that npm start runs beside Townhall (apps/demo-service), registered with
// Townhall ID; e2e/playwright.config.ts chooses its port.
const demoService = `http://localhost:${process.env.TOWNHALL_E2E_DEMO_SERVICE_PORT}`;
const SERVICE = 'Garden waste subscription (demo)';

test.describe.configure({ timeout: 90_000 });

async function enrolWithPostcode(page: Page, code: string, postcode: string) {
  await page.goto(`/enrol?code=${code}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account is set up' })).toBeVisible();
}

/** From the service's start page, through Townhall ID's sign-in with the passkey, to its consent page. */
async function signInThroughTownhallId(page: Page) {
  await page.goto(demoService);
  await page.getByRole('button', { name: 'Sign in with Townhall ID' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Sign in to ${SERVICE} with Townhall ID` })).toBeVisible();
  expect(await findAccessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Sign in with your passkey' }).click();
}

test('a resident signs in to a council service with their passkey, declines one detail, sees the release with its receipt, and withdraws access', async ({
  page,
  cardIssuer,
  virtualAuthenticator,
  pageProblems,
}) => {
  await withoutPasskeyAutofill(page);
  await enrolWithPostcode(page, await cardIssuer.issueCode('NGT-0005'), 'DB2 2BB');
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);

  await signInThroughTownhallId(page);
  await expect(page.getByRole('heading', { level: 1, name: `${SERVICE} wants to know` })).toBeVisible();
  expect(await findAccessibilityViolations(page)).toEqual([]);
  await page.getByRole('checkbox', { name: 'Your postcode' }).uncheck();
  await page.getByRole('button', { name: `Continue to ${SERVICE}` }).click();

  // Back on the service, which shows what it received: no postcode.
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Priya' })).toBeVisible();
  const received = page.getByRole('table', { name: 'What this service received' });
  await expect(received).toContainText('Priya Shah');
  await expect(received).toContainText('Yes, Northgate');
  await expect(received).toContainText('urn:townhall:acr:roll-poll-card');
  await expect(received).not.toContainText('Postcode');
  await expect(received).not.toContainText('DB2');

  // The account lists the service, what it may know, and each record with its receipt.
  await page.goto('/account');
  const card = page.getByRole('region', { name: SERVICE });
  await expect(card.getByText('Has access')).toBeVisible();
  await expect(card).toContainText('Your name');
  await expect(card).not.toContainText('Your postcode');
  const receipts = card.getByRole('link', { name: /^Receipt for entry \d+/ });
  await expect(receipts).toHaveCount(2);
  const receipt = await page.request.get((await receipts.first().getAttribute('href'))!);
  expect(receipt.status()).toBe(200);
  expect(await receipt.text()).toContain('c2sp.org/tlog-proof');
  expect(await findAccessibilityViolations(page)).toEqual([]);

  // Withdrawing asks first, then the service has no access and was told (back-channel logout) that
  // her session with it has ended: she is signed out of it. Its next sign-in asks again.
  await card.getByRole('button', { name: 'Withdraw access' }).click();
  await page.getByRole('button', { name: /^Yes, withdraw/ }).click();
  await expect(card.getByText('Withdrawn')).toBeVisible();
  await page.goto(demoService);
  await expect(page.getByRole('button', { name: 'Sign in with Townhall ID' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Priya' })).toHaveCount(0);
  // Still signed in to Townhall itself, she is asked straight away what to share.
  await page.getByRole('button', { name: 'Sign in with Townhall ID' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${SERVICE} wants to know` })).toBeVisible();
  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
});

test('a member of staff signs in to a council service as staff', async ({ cardIssuer }) => {
  // The card issuer is an administrator who joined with a passkey: the same Townhall ID sign-in.
  const { page } = cardIssuer.staff;
  await withoutPasskeyAutofill(page);
  await signInThroughTownhallId(page);
  await expect(page.getByRole('heading', { level: 1, name: `${SERVICE} wants to know` })).toBeVisible();
  await page.getByRole('button', { name: `Continue to ${SERVICE}` }).click();
  const received = page.getByRole('table', { name: 'What this service received' });
  await expect(received).toContainText('urn:townhall:acr:staff-invitation');
  await expect(received).not.toContainText('On the electoral roll');
});

test('a resident who cancels goes back to the service, which was told so', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await withoutPasskeyAutofill(page);
  await page.goto(demoService);
  await page.getByRole('button', { name: 'Sign in with Townhall ID' }).click();
  await page.getByRole('button', { name: `Cancel and go back to ${SERVICE}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You are not signed in' })).toBeVisible();
  await expect(page.getByText('You chose not to sign in.')).toBeVisible();
  await context.close();
});
