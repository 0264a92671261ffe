/**
 * A resident in their own browser: enrols with the code from a poll card, then votes through the
 * voter app's pages (credential, ballot, optional Benaloh check, cast, optional re-vote).
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { testBaseUrl } from './test-database.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

export interface Resident {
  context: BrowserContext;
  page: Page;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
/**
 * How long one step (a page answering, a passkey ceremony) may take. Generous: several residents act
 * at once on a 2-core machine others share, and an expectation returns as soon as it holds.
 */
const STEP_TIMEOUT = 30_000;

/** A new browser (context) with its own passkey enrols with a poll card's code; `baseUrl` defaults to the shared e2e server. */
export async function enrolResident(browser: Browser, code: string, postcode: string, baseUrl = testBaseUrl()): Promise<Resident> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await page.goto(`/enrol?code=${code}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(heading(page, 'Your account is set up')).toBeVisible({ timeout: STEP_TIMEOUT });
  return { context, page };
}

/** Picks `options` (labels) on the ballot page, seals, optionally checks the encryption, and casts; returns the short tracking code. */
export async function castBallot(page: Page, options: readonly string[], { checkEncryptionFirst = false } = {}): Promise<string> {
  await expect(heading(page, 'Choose your answers')).toBeVisible({ timeout: STEP_TIMEOUT });
  for (const label of options) await page.getByLabel(label, { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page, 'Check your answers before sealing your ballot')).toBeVisible({ timeout: STEP_TIMEOUT });
  await page.getByRole('button', { name: 'Seal my ballot' }).click();
  await expect(heading(page, 'Your ballot is sealed and ready to cast')).toBeVisible({ timeout: 30_000 });
  if (checkEncryptionFirst) {
    await page.getByRole('button', { name: 'Check this ballot’s encryption' }).click();
    await expect(heading(page, 'Your ballot’s encryption has been checked')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('The opened ballot matches the answers you chose.')).toBeVisible();
    await page.getByRole('button', { name: 'Seal a fresh ballot' }).click();
    await expect(heading(page, 'Your ballot is sealed and ready to cast')).toBeVisible({ timeout: 30_000 });
  }
  await page.getByRole('button', { name: 'Cast my ballot' }).click();
  await expect(heading(page, 'Ballot cast')).toBeVisible({ timeout: 30_000 });
  return (await page.getByTestId('tracking-code').textContent()) ?? '';
}

/** From the resident's list of elections to the ballot: the credential step (one passkey assertion). */
export async function startVoting(page: Page, electionTitle: string): Promise<void> {
  await page.goto('/elections');
  await expect(heading(page, 'Elections you can vote in')).toBeVisible({ timeout: STEP_TIMEOUT });
  await expect(async () => {
    await page.reload();
    // Listed while the key ceremony runs; the link leads to the ballot once the election is open.
    await expect(page.getByRole('link', { name: electionTitle })).toHaveAttribute('href', /\/vote$/, { timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await page.getByRole('link', { name: electionTitle }).click();
  await expect(heading(page, electionTitle)).toBeVisible({ timeout: STEP_TIMEOUT });
  await page.getByRole('button', { name: 'Confirm it’s you and start' }).click();
}

/** Re-voting with the same credential (kept in this tab): the last ballot cast counts. */
export async function voteAgain(page: Page, options: readonly string[]): Promise<string> {
  await page.getByRole('button', { name: 'Vote again' }).click();
  return castBallot(page, options);
}
